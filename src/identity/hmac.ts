import { createHmac, hash } from 'node:crypto';
import type { HmacKey } from './hmac-key.js';
import { createHmacSha256 } from './sha256.js';

const BLOCK_SIZE = 64;
const DIGEST_SIZE = 32;
// Up to this many UTF-16 units (distinct ids, emails, email claims) the JavaScript HMAC is faster;
// longer messages go to OpenSSL, whose per-block speed wins once the call overhead is paid off.
const JS_PATH_UNITS = 128;
// Up to this many UTF-16 units (3 UTF-8 bytes each at most), OpenSSL is fed one reused buffer.
const REUSED_BUFFER_UNITS = 2048;

/**
 * HMAC-SHA256 with the key prepared once. Short messages, nearly every identity, take the
 * JavaScript HMAC with precomputed key states (sha256.ts): no native call at all. Longer ones use
 * node:crypto's one-shot SHA-256 over the padded key blocks computed once, and the longest
 * `createHmac`. Fixture and property tests check every path against `createHmac` byte for byte.
 */
export function createHmacKey(secret: string): HmacKey {
  let key: Buffer = Buffer.from(secret, 'utf8');
  const short = createHmacSha256(key);
  if (key.length > BLOCK_SIZE) key = hash('sha256', key, 'buffer');
  const inner = Buffer.alloc(BLOCK_SIZE + REUSED_BUFFER_UNITS * 3);
  const outer = Buffer.alloc(BLOCK_SIZE + DIGEST_SIZE);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const byte = i < key.length ? key[i]! : 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  const longKey = key;
  return {
    hex(message: string): string {
      if (message.length <= JS_PATH_UNITS) return short(message);
      if (message.length > REUSED_BUFFER_UNITS) return createHmac('sha256', longKey).update(message, 'utf8').digest('hex');
      // The buffers are reused: safe because this function is synchronous from start to end.
      const length = inner.write(message, BLOCK_SIZE, 'utf8');
      hash('sha256', inner.subarray(0, BLOCK_SIZE + length), 'buffer').copy(outer, BLOCK_SIZE);
      return hash('sha256', outer, 'hex');
    },
  };
}
