/**
 * The Next.js App Router helpers, shared by the server entry (which imports `server-only`) and the
 * edge entry (for edge route handlers and middleware, signing with the edge HMAC build).
 */
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { createLateSecretResolver } from '../../src/adapter-kit/late-resolver.js';
import { identityEndpointAnswer, type IdentityResolverOptions } from '../../src/adapter-kit/request-identity.js';
import { checkReceiverOptions, createWebhookHandler, type WebhookReceiverOptions } from '../../src/webhooks/receiver.js';
import { createProxyHandler } from '../../src/proxy/handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from '../../src/proxy/options.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { ConversationEvent, WebhookDelivery } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

/**
 * Options of {@link createPostHogIdentity}. `getDistinctId` reads your own session: in server
 * components and actions with `cookies()` / `headers()` (no argument), in route handlers also
 * from the `request` it is given. Never from a query string, body or header the visitor controls.
 */
export type NextIdentityOptions = IdentityResolverOptions<Request | undefined>;

/** What {@link createPostHogIdentity} returns: the identity for server components, actions and route handlers. */
export interface PostHogNextIdentity {
  /** The identity of the logged-in user, or null: in a server component, a server action or a route handler. */
  getIdentity(request?: Request): Promise<IdentityFields | null>;
  /**
   * `posthog.init` options with the identity merged in, to pass from a server component to your
   * client `PostHogProvider`: `<PostHogProvider apiKey={key} options={await posthog.initOptions({ api_host })}>`.
   */
  initOptions<T extends Record<string, unknown>>(options?: T, request?: Request): Promise<T & Partial<IdentityFields>>;
  /** A route handler for the SPA endpoint: `export const { GET } = posthog`. 200 or 401, never cached. */
  GET(request: Request): Promise<Response>;
  /**
   * Checks the configuration now (the secret is read from the environment), throwing a
   * `ConfigurationError` if it is wrong: call it from `register()` in `instrumentation.ts` so a
   * missing or malformed secret stops the server at start-up instead of being found by a visitor.
   */
  check(): void;
}

/**
 * @example
 * // lib/posthog.ts
 * export const posthog = createPostHogIdentity({
 *   secret: process.env.POSTHOG_SECRET_API_TOKEN,
 *   getDistinctId: async () => (await auth())?.user?.id,
 * })
 * // instrumentation.ts: export function register() { posthog.check() }
 */
export function createPostHogIdentity(options: NextIdentityOptions): PostHogNextIdentity {
  // What the code says is checked at once (it is the same at build time and at run time); the
  // secret, which `next build` does not have, when the first request needs it.
  const { resolve, check } = createLateSecretResolver(options, 'createPostHogIdentity options');
  const getIdentity = async (request?: Request) => resolve(request);
  return {
    getIdentity,
    async initOptions(init, request) {
      const identity = await getIdentity(request);
      return { ...(init ?? {}), ...(identity ?? {}) } as never;
    },
    async GET(request) {
      const answer = identityEndpointAnswer(await getIdentity(request));
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
    },
    check: () => check(undefined),
  };
}

/** Options of {@link createPostHogWebhook}: your handler gets the verified delivery and the `Request`. */
export type NextWebhookOptions = WebhookReceiverOptions<Request>;

/**
 * A route handler for PostHog's signed webhook deliveries: `export const { POST } = createPostHogWebhook(...)`.
 * 204 once `onDelivery` succeeded, 400 for an unverified delivery, 413 over `maxBodyBytes`; an error
 * from `onDelivery` is a 500, which PostHog retries with the same `delivery.id`. The secret is read
 * on the first delivery, so `next build` runs without it; on the edge runtime too.
 *
 * @example
 * // app/api/posthog-webhook/route.ts
 * export const { POST } = createPostHogWebhook({ secret: process.env.POSTHOG_WEBHOOK_SECRET, onDelivery: async ({ event }) => { ... } })
 */
export function createPostHogWebhook(options: NextWebhookOptions): {
  /** The route handler: export it from `app/.../route.ts`. */
  POST(request: Request): Promise<Response>;
} {
  // Everything but the secret is checked now (a misspelt option fails at start-up, not at the first
  // delivery); the secret may be unset while `next build` runs, so it is checked when one arrives.
  checkReceiverOptions({ ...options, secret: undefined }, 'createPostHogWebhook options');
  let handler: ((request: Request) => Promise<Response>) | undefined;
  return {
    POST: (request) => (handler ??= createWebhookHandler(options))(request),
  };
}

/** Options of {@link createPostHogProxy}: the proxy's, with `getDistinctId` reading your own session and the `prefix` of its route. */
export type NextProxyOptions = ConversationsProxyOptions<Request>;

/** What {@link createPostHogProxy} returns: a route handler for every method posthog-js uses. */
export interface PostHogNextProxy {
  /** Assets, remote config, flags, the widget's reads. */
  GET(request: Request): Promise<Response>;
  /** As GET, without a body. */
  HEAD(request: Request): Promise<Response>;
  /** Capture, recordings, the widget's messages (signed on the server). */
  POST(request: Request): Promise<Response>;
  /** Forwarded as they come. */
  PUT(request: Request): Promise<Response>;
  /** Forwarded as they come. */
  PATCH(request: Request): Promise<Response>;
  /** Forwarded as they come. */
  DELETE(request: Request): Promise<Response>;
  /** Forwarded as they come. */
  OPTIONS(request: Request): Promise<Response>;
}

/**
 * The widget proxy as a catch-all route handler: PostHog served from your own origin, the widget's
 * calls signed on the server. The secret is read when a request comes (`next build` has none).
 *
 * @example
 * // app/ingest/[...path]/route.ts, with posthog.init(key, { api_host: '/ingest' })
 * export const { GET, POST, OPTIONS } = createPostHogProxy({ prefix: '/ingest', secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: async () => (await auth())?.user?.id })
 */
export function createPostHogProxy(options: NextProxyOptions): PostHogNextProxy {
  const { secret } = options;
  const late = typeof secret === 'function' ? secret : () => secret;
  const handle = createProxyHandler(resolveProxyOptions({ ...options, secret: late }, 'createPostHogProxy options'));
  const route = (request: Request) => handle(request, request);
  return { GET: route, HEAD: route, POST: route, PUT: route, PATCH: route, DELETE: route, OPTIONS: route };
}
