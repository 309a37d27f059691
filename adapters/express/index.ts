/**
 * `posthog-conversations/express`: the express adapter. It maps express onto the identity core; for now it
 * offers the core's signer, which the adapter's helpers will take.
 */
export { IdentitySigner, identityFor, type IdentityFields } from '../../src/identity/index.js';
