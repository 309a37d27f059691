// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import { createPostHogIdentity, createPostHogWebhook, type PostHogNextIdentity } from './shared.js';

/** @deprecated Renamed {@link createPostHogIdentity}, in PostHog's own casing; the old name goes in 1.0. */
export const createPosthogIdentity = createPostHogIdentity;
/** @deprecated Renamed {@link createPostHogWebhook}, in PostHog's own casing; the old name goes in 1.0. */
export const createPosthogWebhook = createPostHogWebhook;
/** @deprecated Renamed {@link PostHogNextIdentity}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogNextIdentity = PostHogNextIdentity;
