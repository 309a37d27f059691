/** Express's identity middleware: the signed identity of the logged-in user, for templates and single-page apps. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createInitScriptRenderer, type PostHogInitSnippetOptions } from '../../src/adapter-kit/html.js';
import {
  createMaybeSyncResolver,
  defaultReporter,
  identityEndpointAnswer,
  resolveThen,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `posthogIdentity()`: the widget identity of the logged-in user, or null for a visitor. */
      posthogIdentity?: IdentityFields | null;
    }
    interface Locals {
      /** Set by `posthogIdentity()`, for templates: spread it into `posthog.init`. */
      posthogIdentity?: IdentityFields | null;
    }
  }
}

/** Options of {@link posthogIdentity}: `getDistinctId(req)` reads your own auth, never the request's input. */
export type PostHogIdentityOptions = IdentityResolverOptions<Request>;

/** The middleware, with helpers that share its options. */
export interface PostHogIdentityMiddleware extends RequestHandler {
  /** A handler for the endpoint a single-page app calls after login: 200 with the identity, or 401. Never cached. */
  route: RequestHandler;
  /** `body` plus `posthogIdentity` for this request's user: for a login route's JSON answer. */
  withIdentity<T extends object>(req: Request, body: T): Promise<T & { posthogIdentity: IdentityFields | null }>;
  /**
   * The `<script>` that calls `posthog.init` with this request's identity (after `posthogIdentity`
   * ran), with `res.locals.cspNonce` as its nonce unless you pass one. Options are checked once per
   * options object, so keep one object for your pages.
   */
  initScript(res: Response, options: Omit<PostHogInitSnippetOptions, 'identity'>): string;
}

/**
 * Resolves the identity once per request and puts it on `req.posthogIdentity` and
 * `res.locals.posthogIdentity` (null for a visitor). Errors from your resolver go to `next(err)`.
 *
 * @example
 * const posthog = posthogIdentity({ secret: process.env.POSTHOG_SECRET_API_TOKEN, getDistinctId: (req) => req.session.userId })
 * app.use(posthog)
 * app.get('/api/posthog-identity', posthog.route)
 */
export function posthogIdentity(options: PostHogIdentityOptions): PostHogIdentityMiddleware {
  const resolve = createMaybeSyncResolver(options, 'posthogIdentity options');
  const identityOf = async (req: Request) => (req.posthogIdentity !== undefined ? req.posthogIdentity : resolve(req));

  const store = (req: Request, res: Response, identity: IdentityFields | null) => {
    req.posthogIdentity = identity;
    res.locals.posthogIdentity = identity;
  };
  const middleware = ((req: Request, res: Response, next: NextFunction) =>
    resolveThen(resolve, req, res, store, next)) as PostHogIdentityMiddleware;

  middleware.route = (req, res, next) => {
    identityOf(req).then((identity) => {
      const answer = identityEndpointAnswer(identity);
      res.status(answer.status).set(answer.headers).send(JSON.stringify(answer.body));
    }, next);
  };
  // Resolved again on purpose: a login route has just changed who is logged in.
  middleware.withIdentity = async (req, body) => ({ ...body, posthogIdentity: await resolve(req) });
  const renderInit = createInitScriptRenderer(options.onError ?? defaultReporter());
  middleware.initScript = (res, page) =>
    renderInit(page, res.locals.posthogIdentity, typeof res.locals.cspNonce === 'string' ? res.locals.cspNonce : undefined);
  return middleware;
}

/** Just the SPA endpoint: 200 with the identity for a logged-in user, 401 otherwise, `Cache-Control: no-store`. */
export function identityRoute(options: PostHogIdentityOptions): RequestHandler {
  return posthogIdentity(options).route;
}
