/**
 * posthog-conversations: a server-side SDK for PostHog's Support / Conversations widget.
 * Community-built; not affiliated with PostHog Inc.
 */
export * from './identity/index.js';
export {
  posthogInitSnippet,
  serializeForInlineScript,
  type PosthogInitSnippetOptions,
} from './html.js';
