/**
 * `posthog-conversations/hono` (Hono 4, on Node.js, Bun, Deno, Cloudflare Workers and every other
 * runtime Hono runs on): the signed identity of the logged-in user in `c.var.posthogIdentity`, an
 * endpoint for single-page apps, the init script, and PostHog's signed webhooks. On edge runtimes
 * the package's export conditions pick the edge build of the signing code. Nothing here imports
 * Hono at run time.
 *
 * @packageDocumentation
 * @module posthog-conversations/hono
 */
export { posthogIdentity, type PostHogIdentityMiddleware, type PostHogIdentityOptions, type PostHogIdentityVariables } from './identity.js';
export { posthogWebhook, type PostHogWebhookOptions } from './webhook.js';
export { posthogProxy, type PostHogProxyOptions } from './proxy.js';
export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
