/** Fastify's identity plugin: the signed identity on `request.posthogIdentity` across the app, and the SPA route. */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigurationError } from '../../src/basics/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import {
  createMaybeSyncResolver,
  identityEndpointAnswer,
  resolveThen,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';
import { REGISTER_KEYS } from './shared.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `posthogConversations` plugin: the widget identity of the logged-in user, or null for a visitor. */
    posthogIdentity: IdentityFields | null;
  }
}

/** Options of {@link posthogConversations}: `getDistinctId(request)` reads your own auth, never the request's input. */
export interface PostHogConversationsOptions extends IdentityResolverOptions<FastifyRequest> {
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
export const posthogConversations: FastifyPluginAsync<PostHogConversationsOptions> = exposeToParent(
  // async: an options error rejects `register` (and `ready`/`listen`) instead of escaping avvio
  async (app: FastifyInstance, options: PostHogConversationsOptions) => {
    const {
      identityRoute,
      prefix: _prefix,
      logLevel: _level,
      logSerializers: _serializers,
      ...identity
    } = options as PostHogConversationsOptions & Record<(typeof REGISTER_KEYS)[number], unknown>;
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
