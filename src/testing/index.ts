/**
 * `posthog-conversations/testing`: run PostHog's Conversations API locally, for tests, examples
 * and offline development. Node only.
 *
 * @packageDocumentation
 * @module posthog-conversations/testing
 */
export * from './emulator/index.js';
