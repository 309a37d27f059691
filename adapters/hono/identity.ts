/** Hono's identity middleware: the signed identity of the logged-in user, the SPA route and the init script. */
import type { Context, Env, Handler, MiddlewareHandler } from 'hono';
import { createInitScriptRenderer, type PostHogInitSnippetOptions } from '../../src/adapter-kit/html.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { createLateSecretResolver, type LateSecretOptions } from '../../src/adapter-kit/late-resolver.js';
import { defaultReporter, identityEndpointAnswer } from '../../src/adapter-kit/request-identity.js';

/**
 * The variables the middleware sets: declare them on your app for typed `c.var.posthogIdentity`.
 *
 * @example
 * const app = new Hono<{ Variables: PostHogIdentityVariables }>()
 */
export interface PostHogIdentityVariables {
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
export type PostHogIdentityOptions<E extends Env = Env> = LateSecretOptions<Context<E>>;

/** The middleware, with helpers that share its options. */
export interface PostHogIdentityMiddleware<E extends Env = Env> extends MiddlewareHandler<E & { Variables: PostHogIdentityVariables }> {
  /** A handler for the endpoint a single-page app calls after login: 200 with the identity, or 401. Never cached. */
  route: Handler<E>;
  /** The identity for this request (the middleware's, if it ran; resolved now otherwise). */
  identity(c: Context<E>): Promise<IdentityFields | null>;
  /**
   * The `<script>` that calls `posthog.init` with this request's identity, with the nonce of
   * Hono's `secureHeaders` (`c.var.secureHeadersNonce`) unless you pass one. Each options object is
   * checked once, so keep one object for your pages.
   */
  initScript(c: Context<E>, options: Omit<PostHogInitSnippetOptions, 'identity'>): Promise<string>;
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
export function posthogIdentity<E extends Env = Env>(options: PostHogIdentityOptions<E>): PostHogIdentityMiddleware<E> {
  const { resolve } = createLateSecretResolver(options, 'posthogIdentity options');
  const identity = async (c: Context<E>) => {
    const set = varsOf(c as Context).posthogIdentity;
    return set !== undefined ? set : resolve(c);
  };
  const middleware = (async (c: Context<E>, next: () => Promise<void>) => {
    c.set('posthogIdentity' as never, (await resolve(c)) as never);
    await next();
  }) as unknown as PostHogIdentityMiddleware<E>;
  middleware.identity = identity;
  middleware.route = async (c) => {
    const answer = identityEndpointAnswer(await identity(c));
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  };
  const renderInit = createInitScriptRenderer(options.onError ?? defaultReporter());
  middleware.initScript = async (c, page) => renderInit(page, await identity(c), varsOf(c as Context).secureHeadersNonce);
  return middleware;
}
