import { nowSeconds } from '../basics/time.js';
import { ValidationError, describeType } from '../basics/errors.js';
import { assertInputKeys } from '../basics/options.js';
import type { HmacKey } from './hmac-key.js';
import { isHashShaped, keyFor, keysFor, matchesAny } from './keys.js';
import { isWellFormed, pythonStrip, textProblem, toDistinctId, tryDistinctId } from './rules.js';

/** The longest `emailTtlSeconds` the server accepts: it refuses a claim more than 24 h (+5 min skew) ahead. */
export const MAX_EMAIL_CLAIM_TTL_SECONDS = 86_400;
const SERVER_CLOCK_SKEW_SECONDS = 300;
const MAX_EMAIL_LENGTH = 254;

/** The fields a signed email claim adds to a widget request (and to `posthog.init`). */
export interface EmailClaimFields {
  /** The email, canonical (trimmed, lowercased) as the server compares it. */
  identity_email: string;
  /** Hex HMAC-SHA256 over the claim. */
  identity_hash_email: string;
  /** Expiry in whole Unix seconds. */
  identity_exp_email: number;
}

/** What {@link signEmailClaim} needs. */
export interface SignEmailClaimOptions {
  /** The verified user's distinct id: the same value you sign with `computeIdentityHash`. */
  distinctId: string | number;
  /** The user's email as your app knows it; it is canonicalised the way the server does. */
  email: string;
  /** The project's Secret API key (`phs_...`). */
  secret: string;
  /** Seconds the claim stays valid: a whole number from 1 to 86400. Default 3600. The same name as in `identityFor` and the adapters. */
  emailTtlSeconds?: number | undefined;
  /** The current time as a `Date` or epoch milliseconds (`Date.now()`); for tests. Default now. */
  now?: Date | number | undefined;
}

/** What {@link verifyEmailClaim} checks. Values may come straight from an untrusted request. */
export interface VerifyEmailClaimOptions {
  distinctId: unknown;
  email: unknown;
  hash: unknown;
  /** Unix seconds, as a number or a string of decimal digits (as a query string carries it). */
  exp: unknown;
  /** One secret, or several (current first). */
  secrets: string | readonly string[];
  /** The current time as a `Date` or epoch milliseconds. Default now. */
  now?: Date | number | undefined;
}

/** The server's canonical form of an email: Python's `email.strip().lower()`. */
export function canonicalEmail(email: string): string {
  return pythonStrip(email).toLowerCase();
}

/** The option names of each function, for strict checking (see options.ts). */
export const SIGNER_EMAIL_CLAIM_KEYS = ['distinctId', 'email', 'emailTtlSeconds', 'now'] as const;
const SIGN_EMAIL_CLAIM_KEYS = [...SIGNER_EMAIL_CLAIM_KEYS, 'secret'] as const;
export const SIGNER_VERIFY_EMAIL_CLAIM_KEYS = ['distinctId', 'email', 'hash', 'exp', 'now'] as const;
const VERIFY_EMAIL_CLAIM_KEYS = [...SIGNER_VERIFY_EMAIL_CLAIM_KEYS, 'secrets'] as const;

function claimMessage(distinctId: string, email: string, exp: number): string {
  return `v1\0${distinctId}\0email\0${email}\0${exp}`;
}

function toCanonicalEmail(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ValidationError('email', `email must be a string, got ${describeType(value)}`);
  }
  const email = canonicalEmail(value);
  const problem = textProblem(email, 'email', MAX_EMAIL_LENGTH);
  if (problem !== undefined) throw new ValidationError('email', problem);
  const at = email.indexOf('@');
  if (at <= 0 || at === email.length - 1) {
    throw new ValidationError('email', 'email must look like an address (name@domain)');
  }
  return email;
}

/** The claim lifetime in seconds, or a ValidationError naming the server's 24 h limit. */
export function toEmailTtl(value: unknown): number {
  if (value === undefined) return 3600;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_EMAIL_CLAIM_TTL_SECONDS) {
    throw new ValidationError(
      'emailTtlSeconds',
      `emailTtlSeconds must be a whole number of seconds from 1 to ${MAX_EMAIL_CLAIM_TTL_SECONDS} (the server rejects claims more than 24 hours ahead), got ${typeof value === 'number' ? value : describeType(value)}`,
    );
  }
  return value;
}

/** Signs with a prepared key; shared by {@link signEmailClaim} and `IdentitySigner`. */
export function signEmailClaimWithKey(key: HmacKey, options: Omit<SignEmailClaimOptions, 'secret'>): EmailClaimFields {
  return claimForId(key, toDistinctId(options.distinctId), options.email, options.emailTtlSeconds, options.now);
}

/** The claim for a distinct id already checked (by `identityFor`, which has just signed it). */
export function claimForId(
  key: HmacKey,
  distinctId: string,
  emailValue: unknown,
  ttlSeconds: unknown,
  now: Date | number | undefined,
): EmailClaimFields {
  const email = toCanonicalEmail(emailValue);
  const exp = nowSeconds(now) + toEmailTtl(ttlSeconds);
  return {
    identity_email: email,
    identity_hash_email: key.hex(claimMessage(distinctId, email, exp)),
    identity_exp_email: exp,
  };
}

/**
 * Signs an email claim (reference §1.3): lets a verified user also see tickets filed under their
 * email, such as ones imported from Zendesk. The claim expires after `emailTtlSeconds` (default 1 h,
 * at most 24 h); sign a fresh one per page render.
 *
 * @example
 * const claim = signEmailClaim({ distinctId: user.id, email: user.email, secret })
 * // { identity_email: 'ada@example.com', identity_hash_email: '…', identity_exp_email: 1764090000 }
 */
export function signEmailClaim(options: SignEmailClaimOptions): EmailClaimFields {
  assertInputKeys(options, SIGN_EMAIL_CLAIM_KEYS, 'signEmailClaim options');
  return signEmailClaimWithKey(keyFor(options.secret), options);
}

function toExp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** Checks a claim with prepared keys; shared by {@link verifyEmailClaim} and `IdentitySigner`. */
export function verifyEmailClaimWithKeys(keys: readonly HmacKey[], options: Omit<VerifyEmailClaimOptions, 'secrets'>): boolean {
  const now = nowSeconds(options.now);
  const distinctId = tryDistinctId(options.distinctId);
  const exp = toExp(options.exp);
  if (distinctId === undefined || exp === undefined || typeof options.email !== 'string') return false;
  if (exp <= now || exp > now + MAX_EMAIL_CLAIM_TTL_SECONDS + SERVER_CLOCK_SKEW_SECONDS) return false;
  const email = canonicalEmail(options.email);
  if (email.length === 0 || email.includes('\0') || !isWellFormed(email) || !isHashShaped(options.hash)) return false;
  return matchesAny(keys, claimMessage(distinctId, email, exp), options.hash);
}

/**
 * Verifies a signed email claim as the server does: valid only while `now < exp <= now + 24 h + 5 min`,
 * with a matching hash for any of the secrets. Untrusted input never throws; it is `false`.
 */
export function verifyEmailClaim(options: VerifyEmailClaimOptions): boolean {
  assertInputKeys(options, VERIFY_EMAIL_CLAIM_KEYS, 'verifyEmailClaim options');
  return verifyEmailClaimWithKeys(keysFor(options.secrets), options);
}
