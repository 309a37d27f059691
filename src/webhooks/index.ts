/**
 * `posthog-conversations/webhooks`: verify PostHog's signed webhook deliveries (Standard Webhooks)
 * and read the Conversations events in them, typed. Synchronous, on Node.js and edge runtimes.
 * Receivers handle each delivery once across replicas with an idempotency store (Redis, memory, yours).
 *
 * @packageDocumentation
 * @module posthog-conversations/webhooks
 */
export {
  createWebhookVerifier,
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type WebhookVerifier,
  type WebhookVerifierOptions,
  type WebhookHeaders,
  type WebhookVerificationCode,
} from './verify.js';
export {
  CONVERSATION_EVENT_NAMES,
  parseConversationEvent,
  type ConversationEvent,
  type ConversationEventName,
  type WebhookDelivery,
  type WebhookEventEnvelope,
  type WebhookPerson,
} from './events.js';
export {
  createWebhookHandler,
  createWebhookReceiver,
  type WebhookAnswer,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './receiver.js';
export {
  IdempotencyStoreError,
  type IdempotencyClaim,
  type IdempotencyStore,
  type WebhookIdempotencyOptions,
} from './idempotency.js';
export { memoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './stores/memory.js';
export { redisIdempotencyStore, type RedisCommandClient, type RedisIdempotencyStoreOptions } from './stores/redis.js';
export { ConfigurationError, PostHogConversationsError, ValidationError, type PostHogConversationsErrorCode } from '../basics/errors.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
