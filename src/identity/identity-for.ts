import { assertInputKeys } from '../basics/options.js';
import type { EmailClaimFields } from './email-claim.js';
import { nowSeconds } from '../basics/time.js';
import { claimForId, toEmailTtl } from './email-claim.js';
import type { HmacKey } from './hmac-key.js';
import { keyFor } from './keys.js';
import { toDistinctId } from './rules.js';

/** The identity fields posthog-js reads from its init options (or `setIdentity`). */
export interface IdentityFields extends Partial<EmailClaimFields> {
  identity_distinct_id: string;
  identity_hash: string;
}

/** Options of {@link identityFor}. */
export interface IdentityForOptions {
  /** The project's Secret API key (`phs_...`). */
  secret: string;
  /** Also sign an email claim, so tickets filed under this email are visible too. */
  email?: string | undefined;
  /** Lifetime of the email claim in seconds (1 to 86400, default 3600). */
  emailTtlSeconds?: number | undefined;
  /** The current time for the email claim's expiry; for tests. */
  now?: Date | number | undefined;
}

/** The option names of `signer.identityFor` and `identityFor`, for strict checking. */
export const SIGNER_IDENTITY_FOR_KEYS = ['email', 'emailTtlSeconds', 'now'] as const;
const IDENTITY_FOR_KEYS = [...SIGNER_IDENTITY_FOR_KEYS, 'secret'] as const;

/** Builds the fields with a prepared key; shared by {@link identityFor} and `IdentitySigner`. */
export function identityWithKey(key: HmacKey, distinctId: string | number, options?: Omit<IdentityForOptions, 'secret'>): IdentityFields {
  const id = toDistinctId(distinctId);
  const fields: IdentityFields = { identity_distinct_id: id, identity_hash: key.hex(id) };
  if (options?.email === undefined) {
    // Checked even without an email: a bad lifetime or clock is a bug that should not wait for the first user with an email.
    if (options?.emailTtlSeconds !== undefined) toEmailTtl(options.emailTtlSeconds);
    if (options?.now !== undefined) nowSeconds(options.now);
    return fields;
  }
  return { ...fields, ...claimForId(key, id, options.email, options.emailTtlSeconds, options.now) };
}

/**
 * Exactly the object a page spreads into `posthog.init` for a logged-in user:
 * `identity_distinct_id`, `identity_hash` and, when `email` is given, the signed email claim.
 *
 * @example
 * posthog.init('phc_...', { api_host, ...identityFor(user.id, { secret }) })
 */
export function identityFor(distinctId: string | number, options: IdentityForOptions): IdentityFields {
  assertInputKeys(options, IDENTITY_FOR_KEYS, 'identityFor options');
  return identityWithKey(keyFor(options.secret), distinctId, options);
}
