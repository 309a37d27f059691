/** Express's widget proxy: PostHog served from the app's own origin, the widget's calls signed on the server. */
import type { Request, RequestHandler } from 'express';
import { ConfigurationError } from '../../src/basics/errors.js';
import { sendFetchResponse, toFetchRequest } from '../../src/adapter-kit/node-http-bridge.js';
import { createProxyHandler } from '../../src/proxy/handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from '../../src/proxy/options.js';

/** Options of {@link posthogProxy}: the proxy's, with `getDistinctId(req)` reading your own auth. No `prefix`: the mount path is it. */
export type PostHogProxyOptions = Omit<ConversationsProxyOptions<Request>, 'prefix'>;

/**
 * The proxy as Express middleware. Mount it where posthog-js's `api_host` points, before any body
 * parser (it streams bodies through; after one it forwards what the parser kept).
 *
 * @example
 * app.use('/ingest', posthogProxy({ secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (req) => req.session.userId }))
 * // posthog.init('phc_...', { api_host: 'https://app.example.com/ingest' })
 */
export function posthogProxy(options: PostHogProxyOptions): RequestHandler {
  if ((options as { prefix?: unknown } | undefined)?.prefix !== undefined) {
    throw new ConfigurationError(
      "posthogProxy takes no prefix: mount it with app.use('/ingest', posthogProxy({...})), and Express strips the path",
    );
  }
  const handle = createProxyHandler(resolveProxyOptions(options, 'posthogProxy options'));
  return (req, res, next) => {
    // req.url is the path under the mount point.
    const request = toFetchRequest(req, `${req.protocol}://${req.get('host')}${req.url}`);
    handle(request, req, { clientAddress: req.ip }).then((response) => sendFetchResponse(res, response), next);
  };
}
