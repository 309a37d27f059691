/**
 * The Next.js App Router helpers, shared by the server entry (which imports `server-only`) and the
 * edge entry (for edge route handlers and middleware, signing with the edge HMAC build).
 */
import { ConfigurationError } from '../../src/errors.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { createMaybeSyncResolver, identityEndpointAnswer, type IdentityResolverOptions } from '../../src/request-identity.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

/**
 * Options of {@link createPosthogIdentity}. `getDistinctId` reads your own session: in server
 * components and actions with `cookies()` / `headers()` (no argument), in route handlers also
 * from the `request` it is given. Never from a query string, body or header the visitor controls.
 */
export type NextIdentityOptions = IdentityResolverOptions<Request | undefined>;

export interface PosthogNextIdentity {
  /** The identity of the logged-in user, or null: in a server component, a server action or a route handler. */
  getIdentity(request?: Request): Promise<IdentityFields | null>;
  /**
   * `posthog.init` options with the identity merged in, to pass from a server component to your
   * client `PostHogProvider`: `<PostHogProvider apiKey={key} options={await posthog.initOptions({ api_host })}>`.
   */
  initOptions<T extends Record<string, unknown>>(options?: T, request?: Request): Promise<T & Partial<IdentityFields>>;
  /** A route handler for the SPA endpoint: `export const { GET } = posthog`. 200 or 401, never cached. */
  GET(request: Request): Promise<Response>;
}

/**
 * @example
 * // lib/posthog.ts
 * export const posthog = createPosthogIdentity({
 *   secret: process.env.POSTHOG_SECRET_API_TOKEN,
 *   getDistinctId: async () => (await auth())?.user?.id,
 * })
 */
export function createPosthogIdentity(options: NextIdentityOptions): PosthogNextIdentity {
  if (typeof options?.getDistinctId !== 'function') {
    throw new ConfigurationError('getDistinctId must be a function that returns the logged-in user id from your own auth');
  }
  // `next build` evaluates this module without runtime secrets: the rest is checked on first use.
  let resolve: ReturnType<typeof createMaybeSyncResolver<Request | undefined>> | undefined;
  const getIdentity = async (request?: Request) => (resolve ??= createMaybeSyncResolver(options))(request);
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
  };
}
