// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import type { PostHogIdentityMiddleware, PostHogIdentityOptions, PostHogIdentityVariables } from './identity.js';
import type { Env } from 'hono';
import type { PostHogWebhookOptions } from './webhook.js';

/** @deprecated Renamed {@link PostHogIdentityMiddleware}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityMiddleware<E extends Env = Env> = PostHogIdentityMiddleware<E>;
/** @deprecated Renamed {@link PostHogIdentityOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityOptions<E extends Env = Env> = PostHogIdentityOptions<E>;
/** @deprecated Renamed {@link PostHogIdentityVariables}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityVariables = PostHogIdentityVariables;
/** @deprecated Renamed {@link PostHogWebhookOptions}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogWebhookOptions<E extends Env = Env> = PostHogWebhookOptions<E>;
