import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { HmacKey } from './hmac-key.js';

/**
 * HMAC-SHA256 from @noble/hashes (audited, synchronous, no node:* imports) for edge runtimes,
 * where Web Crypto only offers an async HMAC. The keyed state is built once and cloned per call.
 */
export function createHmacKey(secret: string): HmacKey {
  const keyed = hmac.create(sha256, utf8ToBytes(secret));
  return {
    hex(message: string): string {
      return bytesToHex(keyed.clone().update(utf8ToBytes(message)).digest());
    },
  };
}
