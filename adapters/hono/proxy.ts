/** Hono's widget proxy: PostHog served from the app's own origin, the widget's calls signed on the server. */
import type { Context, Env, Handler } from 'hono';
import { createProxyHandler } from '../../src/proxy/handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from '../../src/proxy/options.js';

/** Options of {@link posthogProxy}: the proxy's, with `getDistinctId(c)` reading your own auth, and the `prefix` you route it under. */
export type PostHogProxyOptions<E extends Env = Env> = ConversationsProxyOptions<Context<E>>;

/**
 * The proxy as a Hono handler: route every method under the prefix posthog-js's `api_host` ends with.
 *
 * @example
 * app.all('/ingest/*', posthogProxy({ prefix: '/ingest', secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (c) => c.var.session?.userId }))
 */
export function posthogProxy<E extends Env = Env>(options: PostHogProxyOptions<E>): Handler<E> {
  const handle = createProxyHandler(resolveProxyOptions(options, 'posthogProxy options'));
  // Cloudflare says who the client is; elsewhere the proxy passes on the X-Forwarded-For it was given.
  return (c) => handle(c.req.raw, c, { clientAddress: c.req.header('cf-connecting-ip') ?? undefined });
}
