/**
 * `posthog-conversations/hono` (Hono 4, on Node.js, Bun, Deno, Cloudflare Workers and every other
 * runtime Hono runs on): the signed identity of the logged-in user in `c.var.posthogIdentity`, an
 * endpoint for single-page apps, the init script, and PostHog's signed webhooks. On edge runtimes
 * the package's export conditions pick the edge build of the signing code. Nothing here imports
 * Hono at run time.
 */
import type { Context, Env, Handler, MiddlewareHandler } from 'hono';
import { ConfigurationError } from '../../src/basics/errors.js';
import { createInitScriptRenderer, type PosthogInitSnippetOptions } from '../../src/adapter-kit/html.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { createLateSecretResolver, perSecret, type LateSecretOptions } from '../../src/adapter-kit/late-resolver.js';
import { defaultReporter, identityEndpointAnswer } from '../../src/adapter-kit/request-identity.js';
import {
  capPreRead,
  checkReceiverOptions,
  createWebhookReceiver,
  readFetchBody,
  receiveFetchRequest,
  type WebhookReceiverOptions,
} from '../../src/webhooks/receiver.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

/**
 * The variables the middleware sets: declare them on your app for typed `c.var.posthogIdentity`.
 *
 * @example
 * const app = new Hono<{ Variables: PosthogIdentityVariables }>()
 */
export interface PosthogIdentityVariables {
  /** The widget identity of the logged-in user, or null for a visitor. */
  posthogIdentity: IdentityFields | null;
}

/**
 * Options of {@link posthogIdentity}. `getDistinctId(c)` reads your own auth (a session cookie, a
 * verified JWT in `c.var`), never the request's input. `secret` is the key itself, or a function
 * that reads it from the request where a runtime keeps secrets there (`(c) => c.env.POSTHOG_SECRET_API_TOKEN`
 * on Cloudflare Workers); a missing or wrong secret then renders pages as for visitors and is
 * reported once through `onError`.
 */
export type PosthogIdentityOptions<E extends Env = Env> = LateSecretOptions<Context<E>>;

/** The middleware, with helpers that share its options. */
export interface PosthogIdentityMiddleware<E extends Env = Env> extends MiddlewareHandler<E & { Variables: PosthogIdentityVariables }> {
  /** A handler for the endpoint a single-page app calls after login: 200 with the identity, or 401. Never cached. */
  route: Handler<E>;
  /** The identity for this request (the middleware's, if it ran; resolved now otherwise). */
  identity(c: Context<E>): Promise<IdentityFields | null>;
  /**
   * The `<script>` that calls `posthog.init` with this request's identity, with the nonce of
   * Hono's `secureHeaders` (`c.var.secureHeadersNonce`) unless you pass one. Each options object is
   * checked once, so keep one object for your pages.
   */
  initScript(c: Context<E>, options: Omit<PosthogInitSnippetOptions, 'identity'>): Promise<string>;
}

type Vars = { posthogIdentity?: IdentityFields | null; secureHeadersNonce?: string };
const varsOf = (c: Context): Vars => (c as unknown as { var: Vars }).var;

/**
 * Resolves the identity once per request and sets `c.var.posthogIdentity` (null for a visitor).
 * Errors your `getDistinctId` or `getEmail` throw reach Hono's `onError`.
 *
 * @example
 * const posthog = posthogIdentity({
 *   secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN,
 *   getDistinctId: (c) => c.var.user?.id,
 * })
 * app.use(posthog)
 * app.get('/api/posthog-identity', posthog.route)
 */
export function posthogIdentity<E extends Env = Env>(options: PosthogIdentityOptions<E>): PosthogIdentityMiddleware<E> {
  const { resolve } = createLateSecretResolver(options, 'posthogIdentity options');
  const identity = async (c: Context<E>) => {
    const set = varsOf(c as Context).posthogIdentity;
    return set !== undefined ? set : resolve(c);
  };
  const middleware = (async (c: Context<E>, next: () => Promise<void>) => {
    c.set('posthogIdentity' as never, (await resolve(c)) as never);
    await next();
  }) as unknown as PosthogIdentityMiddleware<E>;
  middleware.identity = identity;
  middleware.route = async (c) => {
    const answer = identityEndpointAnswer(await identity(c));
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  };
  const renderInit = createInitScriptRenderer(options.onError ?? defaultReporter());
  middleware.initScript = async (c, page) => renderInit(page, await identity(c), varsOf(c as Context).secureHeadersNonce);
  return middleware;
}

/**
 * Options of {@link posthogWebhook}: your handler gets the verified delivery and Hono's context.
 * `secret` may be a function that reads it from the request (`(c) => c.env.POSTHOG_WEBHOOK_SECRET`).
 */
export interface PosthogWebhookOptions<E extends Env = Env> extends Omit<WebhookReceiverOptions<Context<E>>, 'secret'> {
  /** The signing secret (`whsec_...`), several while you rotate, or a function that reads it from the request. */
  secret: string | readonly string[] | ((c: Context<E>) => string | readonly string[] | undefined);
}

/**
 * The raw body, even when a middleware read it first (`c.req.text()`, `c.req.json()`): Hono keeps
 * what it read, and gives those bytes again; a body read past Hono (`c.req.raw.text()`) is gone.
 */
async function honoBody(c: Context, cap: number): Promise<string | Uint8Array | undefined> {
  if (!c.req.raw.bodyUsed) return readFetchBody(c.req.raw, cap);
  if (Object.keys(c.req.bodyCache).length === 0) {
    throw new ConfigurationError(
      'posthogWebhook needs the raw body, but something read c.req.raw directly before it: read the body with c.req.text() or c.req.json() (Hono keeps it), or mount the webhook route first',
    );
  }
  return capPreRead(new Uint8Array(await c.req.arrayBuffer()), cap);
}

/**
 * A handler for PostHog's signed webhook deliveries, reading the raw body itself: 204 once
 * `onDelivery` succeeded, 400 for a delivery not proven to be PostHog's, 413 over `maxBodyBytes`;
 * an error from `onDelivery` reaches Hono's `onError` (a 500, which PostHog retries with the same id).
 *
 * @example
 * app.post('/webhooks/posthog', posthogWebhook({
 *   secret: (c) => c.env.POSTHOG_WEBHOOK_SECRET,
 *   onDelivery: async ({ id, event }) => { if (event?.event === '$conversation_ticket_created') await notify(event.properties.ticket_id) },
 * }))
 */
export function posthogWebhook<E extends Env = Env>(options: PosthogWebhookOptions<E>): Handler<E> {
  const { secret } = options;
  const where = 'posthogWebhook options';
  if (typeof secret !== 'function') {
    const receiver = createWebhookReceiver(options as WebhookReceiverOptions<Context<E>>, where);
    return (c) => receiveFetchRequest(receiver, c.req.raw, c, (cap) => honoBody(c, cap));
  }
  // Everything but the secret is checked now; the secret is read per request, its receiver kept.
  checkReceiverOptions(options, where);
  const receiverFor = perSecret(
    (value: string | readonly string[]) => createWebhookReceiver({ ...options, secret: value }, where),
    (value) => (typeof value === 'string' ? value : value.join('\n')),
  );
  return (c) => {
    const value = secret(c);
    if (value === undefined)
      throw new ConfigurationError(
        'posthogWebhook: the secret function returned undefined; is the webhook secret set in this environment?',
      );
    return receiveFetchRequest(receiverFor(value), c.req.raw, c, (cap) => honoBody(c, cap));
  };
}
