/**
 * The edge build of `posthog-conversations/next`: the same helpers, for edge route handlers and
 * middleware, with the identity signed by the edge identity build (no node:* import).
 */
export * from './shared.js';
