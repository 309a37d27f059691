/**
 * `posthog-conversations/fastify` (Fastify 4 and 5): a plugin that puts the signed identity of the
 * logged-in user on `request.posthogIdentity` across the whole app, with an optional endpoint for
 * single-page apps, and a plugin that receives PostHog's signed webhooks. Nothing here imports
 * Fastify at run time.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigurationError } from '../../src/basics/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { assertConfigKeys } from '../../src/basics/options.js';
import {
  createMaybeSyncResolver,
  identityEndpointAnswer,
  resolveThen,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';
import { WEBHOOK_RECEIVER_KEYS, createWebhookReceiver, type WebhookReceiverOptions } from '../../src/webhooks/receiver.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `posthogConversations` plugin: the widget identity of the logged-in user, or null for a visitor. */
    posthogIdentity: IdentityFields | null;
  }
}

/** Options Fastify's `register` itself reads; they may sit beside a plugin's own. */
const REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'] as const;

/** Options of {@link posthogConversations}: `getDistinctId(request)` reads your own auth, never the request's input. */
export interface PosthogConversationsOptions extends IdentityResolverOptions<FastifyRequest> {
  /** Path of the endpoint a single-page app calls after login (GET: 200 with the identity, 401 for a visitor, never cached). */
  identityRoute?: string | undefined;
}

// What fastify-plugin sets: the decoration and hook reach the whole app, not only this plugin's scope.
function exposeToParent<T extends object>(plugin: T, name: string): T {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
    [Symbol.for('plugin-meta')]: { name, fastify: '>=4.0.0' },
  });
}

function storeIdentity(request: FastifyRequest, _reply: FastifyReply, identity: IdentityFields | null): void {
  request.posthogIdentity = identity;
}

function sendIdentity(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = identityEndpointAnswer(request.posthogIdentity);
  return reply.code(answer.status).headers(answer.headers).send(JSON.stringify(answer.body));
}

/**
 * Resolves the identity once per request, in a `preHandler` hook (after your auth's `onRequest` and
 * `preValidation` hooks), and sets `request.posthogIdentity`. Errors your `getDistinctId` or
 * `getEmail` throw go to Fastify's error handler. Options are checked at `register`.
 *
 * @example
 * await app.register(posthogConversations, {
 *   secret: process.env.POSTHOG_SECRET_API_TOKEN,
 *   getDistinctId: (request) => request.session.userId,
 *   identityRoute: '/api/posthog-identity',
 * })
 * app.get('/', (request) => ({ identity: request.posthogIdentity }))
 */
export const posthogConversations: FastifyPluginAsync<PosthogConversationsOptions> = exposeToParent(
  // async: an options error rejects `register` (and `ready`/`listen`) instead of escaping avvio
  async (app: FastifyInstance, options: PosthogConversationsOptions) => {
    const {
      identityRoute,
      prefix: _prefix,
      logLevel: _level,
      logSerializers: _serializers,
      ...identity
    } = options as PosthogConversationsOptions & Record<(typeof REGISTER_KEYS)[number], unknown>;
    const resolve = createMaybeSyncResolver(identity, 'posthogConversations options', ['identityRoute', ...REGISTER_KEYS]);
    if (identityRoute !== undefined && (typeof identityRoute !== 'string' || !identityRoute.startsWith('/'))) {
      throw new ConfigurationError("identityRoute must be a path that starts with '/', such as '/api/posthog-identity'");
    }
    app.decorateRequest('posthogIdentity', null);
    app.addHook('preHandler', (request, reply, next) =>
      resolveThen(resolve, request, reply, storeIdentity, next as (error?: unknown) => void),
    );
    if (identityRoute !== undefined) app.get(identityRoute, sendIdentity);
  },
  'posthog-conversations',
);

/** Options of {@link posthogWebhook}: the route's path, and your handler, which gets the verified delivery and Fastify's request. */
export interface PosthogWebhookOptions extends WebhookReceiverOptions<FastifyRequest> {
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
export const posthogWebhook: FastifyPluginAsync<PosthogWebhookOptions> = async (app, options) => {
  assertConfigKeys(options, [...WEBHOOK_RECEIVER_KEYS, 'path', ...REGISTER_KEYS], 'posthogWebhook options');
  const {
    path,
    prefix: _prefix,
    logLevel: _level,
    logSerializers: _serializers,
    ...receiverOptions
  } = options as PosthogWebhookOptions & Record<(typeof REGISTER_KEYS)[number], unknown>;
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
    return answer.body === undefined ? reply.send() : reply.send(answer.body);
  });
};
