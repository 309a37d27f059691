/**
 * `posthog-conversations/nestjs` (Nest 10 to 12, Express or Fastify platform): the signer and the
 * API client by dependency injection, `@PostHogIdentity()` for handlers, an interceptor for login
 * answers and an optional SPA identity endpoint. Every injection names its token, so no
 * decorator metadata is needed.
 *
 * @packageDocumentation
 * @module posthog-conversations/nestjs
 */
export { PostHogConversationsModule } from './module.js';
export { POSTHOG_CONVERSATIONS_OPTIONS, PostHogConversationsService, type PostHogConversationsModuleOptions } from './service.js';
export { PostHogIdentity, PostHogIdentityInterceptor, PostHogIdentityPipe } from './identity.js';
export { PostHogWebhookDelivery, PostHogWebhookInterceptor, PostHogWebhookPipe } from './webhook.js';
export type { WebhookRequest } from './service.js';
export type { WebhookIdempotencyOptions } from '../../src/webhooks/idempotency.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

export { posthogProxy, type PostHogProxyMiddleware, type PostHogProxyOptions } from './proxy.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
