/**
 * HMAC-SHA256 with the key material prepared once. Two implementations share this shape:
 * `hmac.ts` (Node) and `hmac.edge.ts` (no node:* import); the edge build swaps the first for the
 * second, so every other module is the same on every runtime.
 */
export interface HmacKey {
  /** Lowercase hex HMAC-SHA256 of the UTF-8 bytes of `message`. */
  hex(message: string): string;
}
