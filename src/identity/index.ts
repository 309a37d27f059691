/**
 * `posthog-conversations/identity`: sign and verify widget identities. The smallest import: no
 * HTTP client, no schema library. On edge runtimes the package's export conditions pick a build
 * with the same functions and types and no node:* import.
 *
 * @packageDocumentation
 * @module posthog-conversations/identity
 */
export { computeIdentityHash, verifyIdentityHash } from './hash.js';
export {
  canonicalEmail,
  signEmailClaim,
  verifyEmailClaim,
  MAX_EMAIL_CLAIM_TTL_SECONDS,
  type EmailClaimFields,
  type SignEmailClaimOptions,
  type VerifyEmailClaimOptions,
} from './email-claim.js';
export { identityFor, type IdentityFields, type IdentityForOptions } from './identity-for.js';
export { IdentitySigner, type IdentitySignerOptions } from './signer.js';
export { MAX_DISTINCT_ID_LENGTH } from './rules.js';
export {
  ConfigurationError,
  ERROR_CODES,
  PostHogConversationsError,
  ValidationError,
  type PostHogConversationsErrorCode,
} from '../basics/errors.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
