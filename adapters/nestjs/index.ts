/**
 * `posthog-conversations/nestjs` (Nest 10 to 12, Express or Fastify platform): the signer and the
 * API client by dependency injection, `@PosthogIdentity()` for handlers, an interceptor for login
 * answers and an optional SPA identity endpoint. Every injection names its token, so no
 * decorator metadata is needed.
 */
export { PosthogConversationsModule } from './module.js';
export { POSTHOG_CONVERSATIONS_OPTIONS, PosthogConversationsService, type PosthogConversationsModuleOptions } from './service.js';
export { PosthogIdentity, PosthogIdentityInterceptor, PosthogIdentityPipe } from './identity.js';
export { PosthogWebhookDelivery, PosthogWebhookPipe } from './webhook.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';
