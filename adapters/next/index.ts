/**
 * `posthog-conversations/next` (App Router, Next 15 and 16), server only: importing it from a
 * client component fails the build, so the secret can never be bundled for the browser. On the
 * edge runtime the package's `edge-light` condition picks the edge build of the same helpers.
 *
 * @packageDocumentation
 * @module posthog-conversations/next
 */
import 'server-only';

export * from './shared.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
