/** Fastify's widget proxy: a plugin, registered with the prefix posthog-js's `api_host` ends with. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { sendFetchResponse, toFetchRequest } from '../../src/adapter-kit/node-http-bridge.js';
import { createProxyHandler } from '../../src/proxy/handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from '../../src/proxy/options.js';
import type { REGISTER_KEYS } from './shared.js';

/** Options of {@link posthogProxy}: the proxy's, with `getDistinctId(request)` reading your own auth; the `prefix` is Fastify's register option. */
export type PostHogProxyOptions = ConversationsProxyOptions<FastifyRequest>;

/**
 * A plugin that proxies every method under its prefix to PostHog, signing the widget's calls. In
 * its own scope bodies are not parsed: they stream through.
 *
 * @example
 * await app.register(posthogProxy, { prefix: '/ingest', secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (request) => request.user?.id })
 */
export const posthogProxy: FastifyPluginAsync<PostHogProxyOptions> = async (app, options) => {
  const {
    logLevel: _level,
    logSerializers: _serializers,
    ...proxyOptions
  } = options as PostHogProxyOptions & Record<(typeof REGISTER_KEYS)[number], unknown>;
  // Fastify strips the prefix from the routes it gives this plugin but not from the URL: the core strips it.
  const handle = createProxyHandler(resolveProxyOptions(proxyOptions, 'posthogProxy options'));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null)); // left unread: streamed upstream
  app.all('/*', async (request, reply) => {
    const response = await handle(
      toFetchRequest(request.raw, `${request.protocol}://${request.headers.host ?? 'localhost'}${request.raw.url}`),
      request,
      {
        clientAddress: request.ip,
      },
    );
    reply.hijack();
    sendFetchResponse(reply.raw, response);
  });
};
