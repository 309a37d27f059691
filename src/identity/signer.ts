import { ConfigurationError, describeType } from '../basics/errors.js';
import { assertConfigKeys, assertInputKeys } from '../basics/options.js';
import type { EmailClaimFields, SignEmailClaimOptions, VerifyEmailClaimOptions } from './email-claim.js';
import { SIGNER_EMAIL_CLAIM_KEYS, SIGNER_VERIFY_EMAIL_CLAIM_KEYS, signEmailClaimWithKey, verifyEmailClaimWithKeys } from './email-claim.js';
import type { HmacKey } from './hmac-key.js';
import { createHmacKey } from '#hmac';
import type { IdentityForOptions, IdentityFields } from './identity-for.js';
import { SIGNER_IDENTITY_FOR_KEYS, identityWithKey } from './identity-for.js';
import { isHashShaped, matchesAny } from './keys.js';
import { assertSecret, toDistinctId, tryDistinctId } from './rules.js';

/** Options of {@link IdentitySigner}. */
export interface IdentitySignerOptions {
  /** The project's current Secret API key (`phs_...`): everything is signed with it. */
  secret: string;
  /**
   * Keys that were current before a rotation. `verify` accepts hashes made with them too, the way
   * the server keeps accepting `secret_api_token_backup` until you delete it.
   */
  previousSecrets?: readonly string[] | undefined;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const SIGNER_KEYS = ['secret', 'previousSecrets'] as const;

/**
 * Signs and verifies identities with key material prepared once: the object to create at start-up
 * and hand to request handlers (the Express, NestJS and Next.js adapters hold one).
 * Secrets are validated when it is constructed, and never appear in its `inspect`, JSON or string.
 *
 * @example
 * const signer = new IdentitySigner({
 *   secret: process.env.POSTHOG_SECRET_API_TOKEN!,
 *   previousSecrets: [process.env.POSTHOG_SECRET_API_TOKEN_BACKUP!].filter(Boolean),
 * })
 * signer.sign('user_123') // '4d87…'
 */
export class IdentitySigner {
  // A private field: no enumeration, spread, JSON or inspect reaches the key material.
  readonly #keys: readonly HmacKey[];

  constructor(options: IdentitySignerOptions) {
    assertConfigKeys(options, SIGNER_KEYS, 'IdentitySigner options ({ secret, previousSecrets? })');
    assertSecret(options.secret, 'secret');
    const previous = options.previousSecrets ?? [];
    if (!Array.isArray(previous)) {
      throw new ConfigurationError(`previousSecrets must be an array of strings, got ${describeType(previous)}`);
    }
    for (const [i, secret] of previous.entries()) assertSecret(secret, `previousSecrets[${i}]`);
    this.#keys = [options.secret, ...previous].map(createHmacKey);
  }

  /** The identity hash of `distinctId` with the current secret (same rules as `computeIdentityHash`). */
  sign(distinctId: string | number): string {
    return this.#keys[0]!.hex(toDistinctId(distinctId));
  }

  /** Constant-time check against the current and every previous secret; untrusted input is just `false`. */
  verify(distinctId: string | number, hash: string): boolean {
    const id = tryDistinctId(distinctId);
    if (id === undefined || !isHashShaped(hash)) return false;
    return matchesAny(this.#keys, id, hash);
  }

  /** The object to spread into `posthog.init` (see `identityFor`). */
  identityFor(distinctId: string | number, options?: Omit<IdentityForOptions, 'secret'>): IdentityFields {
    if (options !== undefined) assertInputKeys(options, SIGNER_IDENTITY_FOR_KEYS, 'identityFor options');
    return identityWithKey(this.#keys[0]!, distinctId, options);
  }

  /** A signed email claim with the current secret (see `signEmailClaim`). */
  signEmailClaim(options: Omit<SignEmailClaimOptions, 'secret'>): EmailClaimFields {
    assertInputKeys(options, SIGNER_EMAIL_CLAIM_KEYS, 'signEmailClaim options');
    return signEmailClaimWithKey(this.#keys[0]!, options);
  }

  /** Verifies an email claim against the current and previous secrets (see `verifyEmailClaim`). */
  verifyEmailClaim(options: Omit<VerifyEmailClaimOptions, 'secrets'>): boolean {
    assertInputKeys(options, SIGNER_VERIFY_EMAIL_CLAIM_KEYS, 'verifyEmailClaim options');
    return verifyEmailClaimWithKeys(this.#keys, options);
  }

  /** Never the secrets: only how many there are. */
  toString(): string {
    return `IdentitySigner { secrets: ${this.#keys.length} }`;
  }

  /** Never the secrets: only how many there are. */
  toJSON(): { type: 'IdentitySigner'; secrets: number } {
    return { type: 'IdentitySigner', secrets: this.#keys.length };
  }

  /** What `util.inspect` and `console.log` show: never the secrets. */
  [INSPECT](): string {
    return this.toString();
  }
}
