// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import type { PostHogIdentityMiddleware, PostHogIdentityOptions } from './identity.js';
import type { PostHogWebhookOptions } from './webhook.js';

/** @deprecated Renamed {@link PostHogIdentityMiddleware}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityMiddleware = PostHogIdentityMiddleware;
/** @deprecated Renamed {@link PostHogIdentityOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityOptions = PostHogIdentityOptions;
/** @deprecated Renamed {@link PostHogWebhookOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogWebhookOptions = PostHogWebhookOptions;
