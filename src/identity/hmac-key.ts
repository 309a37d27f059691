/**
 * HMAC-SHA256 with the key material prepared once. Two implementations share this shape:
 * `hmac.node.ts` (node:crypto) and `hmac.edge.ts` (@noble/hashes, no node:* import). Modules
 * import `#hmac`, and the package's `"imports"` conditions choose one: `node` for Node.js,
 * `edge-light` / `workerd` / `worker` for the edge build. tsc, vitest and the build all resolve
 * it the same way.
 */
export interface HmacKey {
  /** Lowercase hex HMAC-SHA256 of the UTF-8 bytes of `message`. */
  hex(message: string): string;
}
