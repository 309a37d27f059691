// The names from before PostHog's casing (PostHog, not Posthog), kept as deprecated aliases for 0.x.
import { PostHogConversationsModule } from './module.js';
import { PostHogConversationsService, type PostHogConversationsModuleOptions } from './service.js';
import { PostHogIdentity, PostHogIdentityInterceptor, PostHogIdentityPipe } from './identity.js';
import { PostHogWebhookDelivery, PostHogWebhookPipe } from './webhook.js';

/** @deprecated Renamed {@link PostHogConversationsModule}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogConversationsModule = PostHogConversationsModule;
/** @deprecated Renamed {@link PostHogConversationsModule}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogConversationsModule = PostHogConversationsModule;
/** @deprecated Renamed {@link PostHogConversationsService}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogConversationsService = PostHogConversationsService;
/** @deprecated Renamed {@link PostHogConversationsService}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogConversationsService = PostHogConversationsService;
/** @deprecated Renamed {@link PostHogConversationsModuleOptions}, in PostHog's own casing; the old name goes in 1.0. */
// biome-ignore lint/suspicious/noExplicitAny: the same default as PostHogConversationsModuleOptions
export type PosthogConversationsModuleOptions<Req = any> = PostHogConversationsModuleOptions<Req>;
/** @deprecated Renamed {@link PostHogIdentity}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogIdentity = PostHogIdentity;
/** @deprecated Renamed {@link PostHogIdentityInterceptor}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogIdentityInterceptor = PostHogIdentityInterceptor;
/** @deprecated Renamed {@link PostHogIdentityInterceptor}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityInterceptor = PostHogIdentityInterceptor;
/** @deprecated Renamed {@link PostHogIdentityPipe}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogIdentityPipe = PostHogIdentityPipe;
/** @deprecated Renamed {@link PostHogIdentityPipe}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogIdentityPipe = PostHogIdentityPipe;
/** @deprecated Renamed {@link PostHogWebhookDelivery}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogWebhookDelivery = PostHogWebhookDelivery;
/** @deprecated Renamed {@link PostHogWebhookPipe}, in PostHog's own casing; the old name goes in 1.0. */
export const PosthogWebhookPipe = PostHogWebhookPipe;
/** @deprecated Renamed {@link PostHogWebhookPipe}, in PostHog's own casing; the old name goes in 1.0. */
export type PosthogWebhookPipe = PostHogWebhookPipe;
