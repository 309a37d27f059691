/**
 * `posthog-conversations/testing`: run PostHog's Conversations API locally, for tests, examples
 * and offline development. Node only.
 *
 * @packageDocumentation
 * @module posthog-conversations/testing
 */
export * from './emulator/index.js';
export { webhookDelivery, type SignedWebhookDelivery, type WebhookDeliveryOptions } from './webhook-delivery.js';
