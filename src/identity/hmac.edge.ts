import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { HmacKey } from './hmac-key.js';

const encoder = new TextEncoder();
const DIGEST_SIZE = 32;
// Up to this many UTF-16 units (3 UTF-8 bytes each at most), messages are encoded into one
// reused buffer; longer ones, rare for an identity, get their own.
const REUSED_BUFFER_UNITS = 512;

/**
 * HMAC-SHA256 for edge runtimes, where Web Crypto only offers an async HMAC: `@noble/hashes`
 * (audited, bundled into this build). The keyed state is built once and copied into one reused
 * HMAC object per call, so signing a short id allocates almost nothing and needs no key schedule.
 */
export function createHmacKey(secret: string): HmacKey {
  const keyed = hmac.create(sha256, encoder.encode(secret));
  const scratch = keyed.clone();
  const bytes = new Uint8Array(REUSED_BUFFER_UNITS * 3);
  const digest = new Uint8Array(DIGEST_SIZE);
  return {
    hex(message: string): string {
      // Reusing scratch, bytes and digest is safe: this function runs start to end without yielding.
      keyed._cloneInto(scratch);
      if (message.length > REUSED_BUFFER_UNITS) scratch.update(encoder.encode(message));
      else scratch.update(bytes.subarray(0, encoder.encodeInto(message, bytes).written));
      scratch.digestInto(digest);
      return bytesToHex(digest);
    },
  };
}

/** A webhook signing key, prepared once: signs `prefix` then `body` (Standard Webhooks' `id.timestamp.body`). */
export interface WebhookKey {
  signBase64(prefix: string, body: Uint8Array): string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A webhook key on @noble/hashes: the keyed state made once and cloned per delivery. */
export function prepareWebhookKey(key: Uint8Array): WebhookKey {
  const keyed = hmac.create(sha256, key);
  return { signBase64: (prefix, body) => toBase64(keyed.clone().update(encoder.encode(prefix)).update(body).digest()) };
}
