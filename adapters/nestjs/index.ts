/**
 * `posthog-conversations/nestjs`: the nestjs adapter. It maps nestjs onto the identity core; for now it
 * offers the core's signer, which the adapter's helpers will take.
 */
export { IdentitySigner, identityFor, type IdentityFields } from '../../src/identity/index.js';
