import { createHmac, hash } from 'node:crypto';
import type { HmacKey } from './hmac-key.js';

const BLOCK_SIZE = 64;
const DIGEST_SIZE = 32;
// Messages up to this many UTF-16 units (3 UTF-8 bytes each at most) take the fast path.
const FAST_PATH_UNITS = 2048;

/**
 * HMAC-SHA256 (RFC 2104) on node:crypto's one-shot SHA-256 with the padded key blocks computed
 * once. `createHmac` re-derives them and allocates a native object per call; skipping that makes
 * a cached key about 1.2-1.3x faster than a bare `createHmac(...).digest('hex')` (see bench/).
 * Fixture and property tests check it against `createHmac` byte for byte.
 */
export function createHmacKey(secret: string): HmacKey {
  let key: Buffer = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK_SIZE) key = hash('sha256', key, 'buffer');
  const inner = Buffer.alloc(BLOCK_SIZE + FAST_PATH_UNITS * 3);
  const outer = Buffer.alloc(BLOCK_SIZE + DIGEST_SIZE);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const byte = i < key.length ? key[i]! : 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  const longKey = key;
  return {
    hex(message: string): string {
      if (message.length > FAST_PATH_UNITS) return createHmac('sha256', longKey).update(message, 'utf8').digest('hex');
      // The buffers are reused: safe because this function is synchronous from start to end.
      const length = inner.write(message, BLOCK_SIZE, 'utf8');
      hash('sha256', inner.subarray(0, BLOCK_SIZE + length), 'buffer').copy(outer, BLOCK_SIZE);
      return hash('sha256', outer, 'hex');
    },
  };
}
