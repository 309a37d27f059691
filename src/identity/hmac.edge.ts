import type { HmacKey } from './hmac-key.js';
import { createHmacSha256 } from './sha256.js';

/**
 * HMAC-SHA256 for edge runtimes, where Web Crypto only offers an async HMAC: the same
 * JavaScript HMAC the Node build uses for short messages (sha256.ts), here for every length.
 */
export function createHmacKey(secret: string): HmacKey {
  const hex = createHmacSha256(new TextEncoder().encode(secret));
  return { hex };
}
