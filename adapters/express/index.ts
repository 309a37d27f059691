/**
 * `posthog-conversations/express` (Express 4.21+ and 5): put the signed identity of the logged-in
 * user where templates and single-page apps can use it, and receive PostHog's signed webhooks.
 * Nothing here imports Express at run time.
 *
 * @packageDocumentation
 * @module posthog-conversations/express
 */
export { identityRoute, posthogIdentity, type PostHogIdentityMiddleware, type PostHogIdentityOptions } from './identity.js';
export { posthogWebhook, type PostHogWebhookOptions } from './webhook.js';
export { posthogProxy, type PostHogProxyOptions } from './proxy.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { WebhookDelivery, ConversationEvent } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
