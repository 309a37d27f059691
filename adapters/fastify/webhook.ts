/** Fastify's receiver of PostHog's signed webhooks: a plugin with the raw body in its own scope. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ConfigurationError } from '../../src/basics/errors.js';
import { assertConfigKeys } from '../../src/basics/options.js';
import { WEBHOOK_RECEIVER_KEYS, createWebhookReceiver, type WebhookReceiverOptions } from '../../src/webhooks/receiver.js';
import { REGISTER_KEYS } from './shared.js';

/** Options of {@link posthogWebhook}: the route's path, and your handler, which gets the verified delivery and Fastify's request. */
export interface PostHogWebhookOptions extends WebhookReceiverOptions<FastifyRequest> {
  /** The route PostHog posts to, such as `/webhooks/posthog` (under the `prefix` you register with). */
  path: string;
}

/**
 * A plugin that adds the route PostHog's signed webhook deliveries are posted to. It reads the raw
 * body (in its own scope: the rest of your app keeps its JSON parser): 204 once `onDelivery`
 * succeeded, 400 for a delivery not proven to be PostHog's, 413 over `maxBodyBytes`; an error from
 * `onDelivery` goes to Fastify's error handler (a 500, which PostHog retries with the same id).
 *
 * @example
 * await app.register(posthogWebhook, {
 *   path: '/webhooks/posthog',
 *   secret: process.env.POSTHOG_WEBHOOK_SECRET,
 *   onDelivery: async ({ id, event }) => { if (event?.event === '$conversation_ticket_created') await notify(event.properties.ticket_id) },
 * })
 */
export const posthogWebhook: FastifyPluginAsync<PostHogWebhookOptions> = async (app, options) => {
  assertConfigKeys(options, [...WEBHOOK_RECEIVER_KEYS, 'path', ...REGISTER_KEYS], 'posthogWebhook options');
  const {
    path,
    prefix: _prefix,
    logLevel: _level,
    logSerializers: _serializers,
    ...receiverOptions
  } = options as PostHogWebhookOptions & Record<(typeof REGISTER_KEYS)[number], unknown>;
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new ConfigurationError("path must be the webhook route, starting with '/', such as '/webhooks/posthog'");
  const receiver = createWebhookReceiver(receiverOptions, 'posthogWebhook options');
  // The signature covers the exact bytes: in this plugin's scope every body is kept raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));
  app.post(path, { bodyLimit: receiver.maxBodyBytes }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : new Uint8Array(0);
    const answer = await receiver.receive(body, request.headers, request);
    reply.code(answer.status);
    if (answer.headers !== undefined) reply.headers(answer.headers);
    return answer.body === undefined ? reply.send() : reply.send(answer.body);
  });
};
