import { isHashShaped, keyFor, keysFor, matchesAny } from './keys.js';
import { toDistinctId, tryDistinctId } from './rules.js';

/**
 * Signs a logged-in user's distinct id for the Support widget: lowercase hex HMAC-SHA256 of the
 * UTF-8 id, keyed with the project's Secret API key. Byte-identical to PostHog's Python
 * `hmac.new(secret.encode(), distinct_id.encode(), hashlib.sha256).hexdigest()`.
 *
 * Synchronous on every runtime. Key material is cached per secret, so calling it on every page
 * render is cheap. A safe integer id is converted with `String()`.
 *
 * @throws {ValidationError} when the id could never verify on the server (empty, over 400
 *   characters, surrounding whitespace, NUL, a lone surrogate, not a string or safe integer).
 * @throws {ConfigurationError} when the secret is missing, padded with whitespace, or a public
 *   `phc_` / personal `phx_` key.
 * @example
 * const hash = computeIdentityHash(user.id, process.env.POSTHOG_SECRET_API_TOKEN!)
 * // posthog.init(key, { identity_distinct_id: user.id, identity_hash: hash })
 */
export function computeIdentityHash(distinctId: string | number, secret: string): string {
  const id = toDistinctId(distinctId);
  return keyFor(secret).hex(id);
}

/**
 * Checks a hash in constant time against one secret or several (current first, then previous
 * ones, as the server tries them after a key rotation). Every secret is tried whatever matched.
 *
 * Untrusted input never throws: an uppercase, short or non-hex hash, or an id the server would
 * refuse, is simply `false`, as on the server. Only a bad secret (your configuration) throws.
 *
 * @example
 * verifyIdentityHash('user_123', hash, [process.env.SECRET!, process.env.SECRET_BACKUP!]) // true
 */
export function verifyIdentityHash(distinctId: string | number, hash: string, secrets: string | readonly string[]): boolean {
  const keys = keysFor(secrets);
  const id = tryDistinctId(distinctId);
  if (id === undefined || !isHashShaped(hash)) return false;
  return matchesAny(keys, id, hash);
}
