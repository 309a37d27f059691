/**
 * What every framework adapter shares: turning "who is logged in" (the app's own auth) into the
 * identity fields for the widget, with options checked once, when the adapter is created.
 * Knows no framework: `Req` is whatever the framework hands over.
 */
import { ConfigurationError, ValidationError, describeType } from './errors.js';
import type { IdentityFields } from './identity/identity-for.js';
import { toEmailTtl } from './identity/email-claim.js';
import { IdentitySigner } from './identity/signer.js';

/** What `getDistinctId` may return: the id, or nothing for a logged-out visitor. */
export type DistinctIdResult = string | number | null | undefined;

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
  getDistinctId: (req: Req) => DistinctIdResult | Promise<DistinctIdResult>;
  /** The user's email, to also sign an email claim (tickets filed under it become visible). */
  getEmail?: ((req: Req) => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** Lifetime of the email claim in seconds (1 to 86400, default 3600). */
  emailTtlSeconds?: number | undefined;
}

/** Resolves the identity for one request: the fields for `posthog.init`, or `null` for a visitor. */
export type IdentityResolver<Req> = (req: Req) => Promise<IdentityFields | null>;

/** The signer the options describe (`secret` or `signer`, not both), checked. */
export function signerFrom(options: IdentityResolverOptions<unknown>): IdentitySigner {
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

type MaybePromise<T> = T | Promise<T>;

/**
 * Checks the options once and returns the adapters' resolver: synchronous when your
 * `getDistinctId` (and `getEmail`) are, so a middleware adds no promise turn to a request; a
 * promise when they return one.
 */
export function createMaybeSyncResolver<Req>(options: IdentityResolverOptions<Req>): (req: Req) => MaybePromise<IdentityFields | null> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError(`identity options must be an object, got ${describeType(options)}`);
  }
  const signer = signerFrom(options as IdentityResolverOptions<unknown>);
  const { getDistinctId, getEmail, emailTtlSeconds } = options;
  if (typeof getDistinctId !== 'function') {
    throw new ConfigurationError('getDistinctId must be a function that returns the logged-in user id from your own auth');
  }
  if (getEmail !== undefined && typeof getEmail !== 'function') throw new ConfigurationError('getEmail must be a function');
  // Fail at start-up on a bad lifetime, not on the first request.
  if (emailTtlSeconds !== undefined) toEmailTtl(emailTtlSeconds);

  const sign = (id: DistinctIdResult, email: string | null | undefined): IdentityFields | null => {
    if (id === undefined || id === null || id === '') return null;
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new ValidationError('getDistinctId', `getDistinctId must return a string, a safe integer, or null for a visitor; it returned ${describeType(id)}`);
    }
    // The signer checks the id (once): the server's rules, with a message that says what to fix.
    return email == null ? signer.identityFor(id) : signer.identityFor(id, { email, emailTtlSeconds });
  };
  const withEmail = (req: Req, id: DistinctIdResult): MaybePromise<IdentityFields | null> => {
    if (getEmail === undefined || id === undefined || id === null || id === '') return sign(id, undefined);
    const email = getEmail(req);
    return email instanceof Promise ? email.then((e) => sign(id, e)) : sign(id, email);
  };
  return (req) => {
    const id = getDistinctId(req);
    return id instanceof Promise ? id.then((resolved) => withEmail(req, resolved)) : withEmail(req, id);
  };
}

/**
 * Checks the options once and returns the per-request resolver: for frameworks without an adapter.
 *
 * @example
 * const resolve = createIdentityResolver({ secret, getDistinctId: (req) => req.session.userId })
 * const identity = await resolve(req) // { identity_distinct_id, identity_hash } or null
 */
export function createIdentityResolver<Req>(options: IdentityResolverOptions<Req>): IdentityResolver<Req> {
  const resolve = createMaybeSyncResolver(options);
  return async (req) => resolve(req);
}

/** The answer of an identity endpoint (for single-page apps): 200 with the fields, or 401, never cached. */
export function identityEndpointAnswer(identity: IdentityFields | null): { status: 200 | 401; headers: Record<string, string>; body: unknown } {
  const headers = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };
  return identity === null ? { status: 401, headers, body: { error: 'Not logged in' } } : { status: 200, headers, body: identity };
}
