/**
 * `posthog-conversations/express` (Express 4.21+ and 5): put the signed identity of the logged-in
 * user where templates and single-page apps can use it, and receive PostHog's signed webhooks.
 * Nothing here imports Express at run time.
 */
export { identityRoute, posthogIdentity, type PosthogIdentityMiddleware, type PosthogIdentityOptions } from './identity.js';
export { posthogWebhook, type PosthogWebhookOptions } from './webhook.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { WebhookDelivery, ConversationEvent } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';
