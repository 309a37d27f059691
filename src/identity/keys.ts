import { ConfigurationError } from '../basics/errors.js';
import { createHmacKey } from '#hmac';
import type { HmacKey } from './hmac-key.js';
import { assertSecret } from './rules.js';

// Most apps sign with one or two secrets; a small bound keeps a buggy caller from growing it.
const MAX_CACHED_KEYS = 16;
const cache = new Map<string, HmacKey>();

/**
 * The prepared HMAC key for `secret`, validated and built on first use only. This keeps the
 * per-call cost of `computeIdentityHash` to one map lookup and the hash itself.
 */
export function keyFor(secret: unknown, field = 'secret'): HmacKey {
  if (typeof secret === 'string') {
    const cached = cache.get(secret);
    if (cached !== undefined) return cached;
  }
  assertSecret(secret, field);
  if (cache.size >= MAX_CACHED_KEYS) cache.clear();
  const key = createHmacKey(secret);
  cache.set(secret, key);
  return key;
}

/** Prepared keys for one secret or a list (current first, then previous ones). */
export function keysFor(secrets: unknown, field = 'secrets'): HmacKey[] {
  if (typeof secrets === 'string') return [keyFor(secrets, field)];
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new ConfigurationError(`${field} must be a secret string or a non-empty array of them (current first, then previous ones)`);
  }
  return secrets.map((secret, i) => keyFor(secret, `${field}[${i}]`));
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** True for what the server can accept as a hash: exactly 64 lowercase hex characters. */
export function isHashShaped(value: unknown): value is string {
  return typeof value === 'string' && HASH_PATTERN.test(value);
}

/**
 * 1 if `hash` matches any key's HMAC of `message`, else 0. Every key is computed and every
 * character compared whatever matched, so timing tells nothing about which secret (or how much
 * of the hash) was right.
 */
export function matchesAny(keys: readonly HmacKey[], message: string, hash: string): boolean {
  let matched = 0;
  for (const key of keys) {
    const expected = key.hex(message);
    let diff = 0;
    for (let i = 0; i < 64; i++) diff |= expected.charCodeAt(i) ^ hash.charCodeAt(i);
    matched |= ((diff - 1) >>> 31) & 1; // 1 when diff === 0, without a branch
  }
  return matched === 1;
}
