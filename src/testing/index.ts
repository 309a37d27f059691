/**
 * `posthog-conversations/testing`: run PostHog's Conversations API locally, for tests, examples
 * and offline development. Node only.
 */
export * from './emulator/index.js';
