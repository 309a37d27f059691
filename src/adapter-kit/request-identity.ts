/**
 * What every framework adapter shares: turning "who is logged in" (the app's own auth) into the
 * identity fields for the widget, with options checked once, when the adapter is created.
 * Knows no framework: `Req` is whatever the framework hands over.
 *
 * A problem with the data of one request (an id or email the server would refuse) never fails the
 * page: the page gets the identity without what was wrong (no email claim, or no identity), and
 * the problem goes to `onError`. Errors your own `getDistinctId` / `getEmail` throw are passed on.
 */
import { ConfigurationError, ValidationError, describeType } from '../basics/errors.js';
import type { IdentityFields } from '../identity/identity-for.js';
import { toEmailTtl } from '../identity/email-claim.js';
import { IdentitySigner } from '../identity/signer.js';
import { assertConfigKeys } from '../basics/options.js';
import { logLimit } from '../basics/log-limit.js';

/** What `getDistinctId` may return: the id, or nothing for a logged-out visitor. */
export type DistinctIdResult = string | number | null | undefined;

/** A value or anything awaitable (a Promise or another thenable). */
export type Awaitable<T> = T | PromiseLike<T>;

/** Options shared by every adapter. */
export interface IdentityResolverOptions<Req> {
  /** The Secret API key (`phs_...`). Give this or `signer`. */
  secret?: string | undefined;
  /** Keys from before a rotation (only with `secret`). */
  previousSecrets?: readonly string[] | undefined;
  /** A signer you already hold. Give this or `secret`. */
  signer?: IdentitySigner | undefined;
  /**
   * The logged-in user's distinct id, from your own auth (session, token): never from a query
   * string, body or header the visitor controls. Return `null`/`undefined`/`''` for a visitor.
   * A safe integer is used as `String(id)`.
   */
  getDistinctId: (req: Req) => Awaitable<DistinctIdResult>;
  /** The user's email, to also sign an email claim (tickets filed under it become visible). */
  getEmail?: ((req: Req) => Awaitable<string | null | undefined>) | undefined;
  /** Lifetime of the email claim in seconds (1 to 86400, default 3600). */
  emailTtlSeconds?: number | undefined;
  /**
   * Called when one request's data cannot be signed as given: an email the server would refuse
   * (the identity is sent without the email claim), or a distinct id it would refuse (the page is
   * rendered as for a visitor); a `ValidationError`. Adapters that read their configuration late
   * (Next.js) also report a configuration problem here, once, as a `ConfigurationError`.
   * Default: `console.warn`, each kind of problem at most once a minute.
   *
   * @example
   * onError: (error) => logger.warn({ code: error.code, field: error.field }, error.message)
   */
  onError?: ((error: ValidationError | ConfigurationError) => void) | undefined;
}

/** Every key of {@link IdentityResolverOptions}, for strict checking; adapters add their own. */
export const IDENTITY_RESOLVER_KEYS = [
  'secret',
  'previousSecrets',
  'signer',
  'getDistinctId',
  'getEmail',
  'emailTtlSeconds',
  'onError',
] as const;

/** Resolves the identity for one request: the fields for `posthog.init`, or `null` for a visitor. */
export type IdentityResolver<Req> = (req: Req) => Promise<IdentityFields | null>;

/** The adapters' resolver: synchronous when the app's own functions are, a promise when they are not. */
export type MaybeSyncResolver<Req> = (req: Req) => IdentityFields | null | Promise<IdentityFields | null>;

/** The signer the options describe (`secret` or `signer`, not both), checked. */
export function signerFrom(options: Pick<IdentityResolverOptions<unknown>, 'secret' | 'previousSecrets' | 'signer'>): IdentitySigner {
  if (options.signer !== undefined) {
    if (!(options.signer instanceof IdentitySigner)) throw new ConfigurationError('signer must be an IdentitySigner');
    if (options.secret !== undefined) throw new ConfigurationError('pass secret or signer, not both');
    return options.signer;
  }
  if (options.secret === undefined) {
    throw new ConfigurationError("pass secret (the project's Secret API key, phs_...) or signer (an IdentitySigner)");
  }
  return new IdentitySigner({ secret: options.secret, previousSecrets: options.previousSecrets });
}

const isThenable = <T>(value: Awaitable<T>): value is PromiseLike<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

// The default report: each kind of problem (error code and field) at most once a minute, so a bad
// record read on every request cannot flood the log.
export function defaultReporter(): (error: ValidationError | ConfigurationError) => void {
  const fresh = logLimit(60_000, 100);
  return (error) => {
    if (!fresh(`${error.code}:${error instanceof ValidationError ? error.field : ''}`)) return;
    if (error instanceof ConfigurationError) console.error(`posthog-conversations: ${error.message}`);
    else console.warn(`posthog-conversations: ${error.message} (reported at most once a minute)`);
  };
}

/**
 * Checks everything in the options but the secret (which some adapters read only when the first
 * request comes): unknown keys, the functions, the email lifetime.
 */
export function checkResolverOptions<Req>(options: IdentityResolverOptions<Req>, where: string, extraKeys: readonly string[] = []): void {
  assertConfigKeys(options, [...IDENTITY_RESOLVER_KEYS, ...extraKeys], where);
  const { getDistinctId, getEmail, emailTtlSeconds, onError } = options;
  if (typeof getDistinctId !== 'function') {
    throw new ConfigurationError('getDistinctId must be a function that returns the logged-in user id from your own auth');
  }
  if (getEmail !== undefined && typeof getEmail !== 'function') throw new ConfigurationError('getEmail must be a function');
  if (onError !== undefined && typeof onError !== 'function') throw new ConfigurationError('onError must be a function');
  // Fail at start-up on a bad lifetime, not on the first request.
  if (emailTtlSeconds !== undefined) {
    try {
      toEmailTtl(emailTtlSeconds);
    } catch (error) {
      throw new ConfigurationError((error as Error).message);
    }
  }
}

/**
 * Checks the options once and returns the adapters' resolver: synchronous when your
 * `getDistinctId` (and `getEmail`) are, so a middleware adds no promise turn to a request; a
 * promise when they return one. `extraKeys` are the adapter's own option names.
 */
export function createMaybeSyncResolver<Req>(
  options: IdentityResolverOptions<Req>,
  where = 'identity options',
  extraKeys: readonly string[] = [],
): MaybeSyncResolver<Req> {
  checkResolverOptions(options, where, extraKeys);
  const signer = signerFrom(options as IdentityResolverOptions<unknown>);
  const { getDistinctId, getEmail, emailTtlSeconds, onError } = options;
  const report = onError ?? defaultReporter();

  // One signing call per request; the error path (rare) sorts out what was wrong.
  const sign = (id: DistinctIdResult, email: string | null | undefined): IdentityFields | null => {
    if (typeof id !== 'string' && typeof id !== 'number') {
      report(
        new ValidationError(
          'getDistinctId',
          `getDistinctId must return a string, a safe integer, or null for a visitor; it returned ${describeType(id)}. The page was rendered as for a visitor`,
        ),
      );
      return null;
    }
    try {
      return email == null ? signer.identityFor(id) : signer.identityFor(id, { email, emailTtlSeconds });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The id is checked before the email, so an email problem means the id itself signs.
      if (error.field === 'email') {
        report(new ValidationError('email', `${error.message}. The identity was sent without the email claim`, { cause: error }));
        return signer.identityFor(id);
      }
      report(new ValidationError(error.field, `${error.message}. The page was rendered as for a visitor`, { cause: error }));
      return null;
    }
  };
  const withEmail = (req: Req, id: DistinctIdResult): IdentityFields | null | Promise<IdentityFields | null> => {
    if (id === undefined || id === null || id === '') return null;
    if (getEmail === undefined) return sign(id, undefined);
    const email = getEmail(req);
    return isThenable(email) ? Promise.resolve(email).then((e) => sign(id, e)) : sign(id, email);
  };
  return (req) => {
    const id = getDistinctId(req);
    return isThenable(id) ? Promise.resolve(id).then((resolved) => withEmail(req, resolved)) : withEmail(req, id);
  };
}

/**
 * For callback-style middleware (Express, Fastify hooks): resolves, hands the identity to
 * `store(req, res, identity)`, then calls `done()`; an error goes to `done(error)`. A synchronous
 * resolver stays synchronous, and with `store` made once per middleware (not per request) the
 * request takes no promise turn and allocates nothing beyond the identity.
 */
export function resolveThen<Req, Res>(
  resolve: MaybeSyncResolver<Req>,
  req: Req,
  res: Res,
  store: (req: Req, res: Res, identity: IdentityFields | null) => void,
  done: (error?: unknown) => void,
): void {
  let resolved: ReturnType<MaybeSyncResolver<Req>>;
  try {
    resolved = resolve(req);
  } catch (error) {
    return done(error);
  }
  if (!(resolved instanceof Promise)) {
    store(req, res, resolved);
    return done();
  }
  resolved.then((identity) => {
    store(req, res, identity);
    done();
  }, done);
}

/**
 * Checks the options once and returns the per-request resolver: for frameworks without an adapter.
 *
 * @example
 * const resolve = createIdentityResolver({ secret, getDistinctId: (req) => req.session.userId })
 * const identity = await resolve(req) // { identity_distinct_id, identity_hash } or null
 */
export function createIdentityResolver<Req>(options: IdentityResolverOptions<Req>): IdentityResolver<Req> {
  const resolve = createMaybeSyncResolver(options, 'createIdentityResolver options');
  return async (req) => resolve(req);
}

/** The answer of an identity endpoint (for single-page apps): 200 with the fields, or 401, never cached. */
export function identityEndpointAnswer(identity: IdentityFields | null): {
  status: 200 | 401;
  headers: Record<string, string>;
  body: unknown;
} {
  const headers = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };
  return identity === null ? { status: 401, headers, body: { error: 'Not logged in' } } : { status: 200, headers, body: identity };
}
