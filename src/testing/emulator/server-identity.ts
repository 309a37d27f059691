/**
 * The server's identity checks, written from PostHog's `conversations/backend/identity.py` with
 * node:crypto, independently of the SDK's signing code: a bug in the SDK's HMAC must fail the
 * contract tests, not pass them on both sides.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pythonStrip } from '../../identity/rules.js';

const CLAIM_SEP = '\0';
const IDENTITY_CLAIM_MAX_AGE_SECONDS = 24 * 60 * 60;
const IDENTITY_CLAIM_CLOCK_SKEW_SECONDS = 5 * 60;

/** `compute_identity_hash`: `hmac.new(secret.encode(), distinct_id.encode(), hashlib.sha256).hexdigest()`. */
export function computeServerIdentityHash(distinctId: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(distinctId, 'utf8').digest('hex');
}

/** `hmac.compare_digest` on two ASCII strings: constant time for equal lengths, false otherwise. */
function compareDigest(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `verify_identity_hash`. */
export function verifyServerIdentityHash(distinctId: string, hash: string, secret: string): boolean {
  return compareDigest(computeServerIdentityHash(distinctId, secret), hash);
}

/** `_canonicalize_email`: `value.strip().lower()`. */
export function canonicalizeEmail(value: string): string {
  return pythonStrip(value).toLowerCase();
}

/** `verify_identity_claim_hash` for the `email` field: the expiry window, NUL-free parts, then the HMAC. */
export function verifyServerEmailClaim(
  claim: { distinctId: string; email: string; hash: string; expiresAt: number },
  secret: string,
  nowSeconds: number,
): boolean {
  if (claim.expiresAt <= nowSeconds) return false;
  if (claim.expiresAt > nowSeconds + IDENTITY_CLAIM_MAX_AGE_SECONDS + IDENTITY_CLAIM_CLOCK_SKEW_SECONDS) return false;
  const parts = ['v1', claim.distinctId, 'email', canonicalizeEmail(claim.email), String(claim.expiresAt)];
  if (parts.some((part) => part.includes(CLAIM_SEP))) return false;
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(parts.join(CLAIM_SEP), 'utf8').digest('hex');
  return compareDigest(expected, claim.hash);
}
