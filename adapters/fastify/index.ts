/**
 * `posthog-conversations/fastify` (Fastify 4 and 5): a plugin that puts the signed identity of the
 * logged-in user on `request.posthogIdentity` across the whole app, with an optional endpoint for
 * single-page apps, and a plugin that receives PostHog's signed webhooks. Nothing here imports
 * Fastify at run time.
 *
 * @packageDocumentation
 * @module posthog-conversations/fastify
 */
export { posthogConversations, type PostHogConversationsOptions } from './identity.js';
export { posthogWebhook, type PostHogWebhookOptions } from './webhook.js';
export { posthogProxy, type PostHogProxyOptions } from './proxy.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
