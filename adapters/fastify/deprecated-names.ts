// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import type { PostHogConversationsOptions } from './identity.js';
import type { PostHogWebhookOptions } from './webhook.js';

/** @deprecated Renamed {@link PostHogConversationsOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogConversationsOptions = PostHogConversationsOptions;
/** @deprecated Renamed {@link PostHogWebhookOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogWebhookOptions = PostHogWebhookOptions;
