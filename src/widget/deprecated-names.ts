// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import { PostHogConversationsError } from '../basics/errors.js';

/** @deprecated Renamed {@link PostHogConversationsError}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogConversationsError = PostHogConversationsError;
/** @deprecated Renamed {@link PostHogConversationsError}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogConversationsError = PostHogConversationsError;
