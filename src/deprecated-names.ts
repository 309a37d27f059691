// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import type { PostHogInitSnippetOptions } from './adapter-kit/html.js';
import { PostHogConversationsClient } from './client.js';

/** @deprecated Renamed {@link PostHogInitSnippetOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogInitSnippetOptions = PostHogInitSnippetOptions;
/** @deprecated Renamed {@link PostHogConversationsClient}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogConversationsClient = PostHogConversationsClient;
/** @deprecated Renamed {@link PostHogConversationsClient}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogConversationsClient = PostHogConversationsClient;
// PosthogConversationsError and its code type come with the identity entry's names.
