/**
 * The edge build of `posthog-conversations/identity` (also `posthog-conversations/identity/edge`).
 * Its source is the Node entry: the build replaces `./hmac.js` with `./hmac.edge.ts`, so the two
 * builds cannot drift apart, and this one has no node:* import.
 */
export * from './index.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
