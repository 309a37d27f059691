/**
 * Nest's widget proxy: a functional middleware for either platform (Nest hands Express's request,
 * or on Fastify the raw Node request, to middleware; both are Node's `IncomingMessage`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendFetchResponse, toFetchRequest } from '../../src/adapter-kit/node-http-bridge.js';
import { createProxyHandler } from '../../src/proxy/handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from '../../src/proxy/options.js';

/** Options of {@link posthogProxy}: the proxy's, with `getDistinctId(req)` reading your own auth, and the `prefix` you apply it to. */
export type PostHogProxyOptions = ConversationsProxyOptions<IncomingMessage>;

/** Nest middleware (a function): apply it to the prefix posthog-js's `api_host` ends with. */
export type PostHogProxyMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The widget proxy as Nest middleware, on the Express and the Fastify platform.
 *
 * @example
 * // app.module.ts
 * configure(consumer: MiddlewareConsumer) {
 *   consumer.apply(posthogProxy({ prefix: '/ingest', secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (req) => req.user?.id })).forRoutes('ingest/*path')
 * }
 */
export function posthogProxy(options: PostHogProxyOptions): PostHogProxyMiddleware {
  const handle = createProxyHandler(resolveProxyOptions(options, 'posthogProxy options'));
  return (req, res, next) => {
    // Express's originalUrl keeps the path a mount took off; Fastify's raw url is whole.
    const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const request = toFetchRequest(req, `${protocol}://${req.headers.host ?? 'localhost'}${path}`);
    handle(request, req, { clientAddress: req.socket.remoteAddress }).then((response) => sendFetchResponse(res, response), next);
  };
}
