/**
 * `posthog-conversations/express` (Express 4.21+ and 5): put the signed identity of the logged-in
 * user where templates and single-page apps can use it, and receive PostHog's signed webhooks.
 * Nothing here imports Express at run time.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createInitScriptRenderer, type PosthogInitSnippetOptions } from '../../src/adapter-kit/html.js';
import type { IdentityFields } from '../../src/identity/identity-for.js';
import { ConfigurationError } from '../../src/basics/errors.js';
import {
  createMaybeSyncResolver,
  defaultReporter,
  identityEndpointAnswer,
  resolveThen,
  type IdentityResolverOptions,
} from '../../src/adapter-kit/request-identity.js';
import { TOO_LARGE, capPreRead, createWebhookReceiver, type WebhookReceiverOptions } from '../../src/webhooks/receiver.js';

export type { IdentityFields } from '../../src/identity/identity-for.js';
export type { WebhookDelivery, ConversationEvent } from '../../src/webhooks/events.js';
export { IdentitySigner, identityFor } from '../../src/identity/index.js';

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
export type PosthogIdentityOptions = IdentityResolverOptions<Request>;

/** The middleware, with helpers that share its options. */
export interface PosthogIdentityMiddleware extends RequestHandler {
  /** A handler for the endpoint a single-page app calls after login: 200 with the identity, or 401. Never cached. */
  route: RequestHandler;
  /** `body` plus `posthogIdentity` for this request's user: for a login route's JSON answer. */
  withIdentity<T extends object>(req: Request, body: T): Promise<T & { posthogIdentity: IdentityFields | null }>;
  /**
   * The `<script>` that calls `posthog.init` with this request's identity (after `posthogIdentity`
   * ran), with `res.locals.cspNonce` as its nonce unless you pass one. Options are checked once per
   * options object, so keep one object for your pages.
   */
  initScript(res: Response, options: Omit<PosthogInitSnippetOptions, 'identity'>): string;
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
export function posthogIdentity(options: PosthogIdentityOptions): PosthogIdentityMiddleware {
  const resolve = createMaybeSyncResolver(options, 'posthogIdentity options');
  const identityOf = async (req: Request) => (req.posthogIdentity !== undefined ? req.posthogIdentity : resolve(req));

  const store = (req: Request, res: Response, identity: IdentityFields | null) => {
    req.posthogIdentity = identity;
    res.locals.posthogIdentity = identity;
  };
  const middleware = ((req: Request, res: Response, next: NextFunction) =>
    resolveThen(resolve, req, res, store, next)) as PosthogIdentityMiddleware;

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
export function identityRoute(options: PosthogIdentityOptions): RequestHandler {
  return posthogIdentity(options).route;
}

/** Options of {@link posthogWebhook}: your handler gets the verified delivery and Express's request. */
export type PosthogWebhookOptions = WebhookReceiverOptions<Request>;

/** Reads the raw body of a request nothing has read yet, up to `cap` bytes (undefined when larger). */
function readRawBody(req: Request, cap: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > cap) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.resume(); // drain the rest unread, so the 413 can be sent on this connection
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/**
 * A handler for PostHog's signed webhook deliveries. It reads the raw body itself (no
 * `express.json()` needed, and none may run before it on this route): 204 once `onDelivery`
 * succeeded, 400 for a delivery that is not proven to be PostHog's, 413 over `maxBodyBytes`; an
 * error from `onDelivery` goes to `next(err)` (a 5xx, which PostHog retries with the same id).
 *
 * @example
 * app.post('/webhooks/posthog', posthogWebhook({
 *   secret: process.env.POSTHOG_WEBHOOK_SECRET,
 *   onDelivery: async ({ id, event }) => { if (event?.event === '$conversation_ticket_created') await route(event.properties.ticket_id) },
 * }))
 */
export function posthogWebhook(options: PosthogWebhookOptions): RequestHandler {
  const receiver = createWebhookReceiver(options, 'posthogWebhook options');
  return (req, res, next) => {
    const raw = (req as { body?: unknown }).body;
    let payload: Promise<Buffer | string | undefined>;
    if (Buffer.isBuffer(raw) || typeof raw === 'string')
      payload = Promise.resolve(capPreRead(raw, receiver.maxBodyBytes) as Buffer | string | undefined); // express.raw() / express.text() ran
    else if (req.readableEnded || (typeof raw === 'object' && raw !== null && Object.keys(raw).length > 0)) {
      return next(
        new ConfigurationError(
          'posthogWebhook needs the raw body, but a body parser (express.json()?) already read it: mount the webhook route before app.use(express.json()), or give it express.raw({ type: "application/json" })',
        ),
      );
    } else payload = readRawBody(req, receiver.maxBodyBytes);
    payload
      .then((body) => (body === undefined ? TOO_LARGE : receiver.receive(body, req.headers, req)))
      .then((answer) => {
        if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).json(answer.body);
      }, next);
  };
}
