/**
 * The edge build of `posthog-conversations/next`: the same helpers, for edge route handlers and
 * middleware, with the identity signed by the edge identity build (no node:* import).
 */
export * from './shared.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
