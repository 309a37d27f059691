/**
 * The resolver for adapters that learn the secret only when a request comes: Next.js reads the
 * environment at run time (`next build` has no secrets), a Worker finds its secret on the request's
 * `env` (Hono's `c.env`). Everything else is checked at once. A secret that is missing or wrong
 * never fails a visitor's page: pages render as for visitors and the problem is reported once.
 */
import { ConfigurationError } from '../basics/errors.js';
import {
  checkResolverOptions,
  createMaybeSyncResolver,
  defaultReporter,
  type IdentityResolverOptions,
  type MaybeSyncResolver,
} from './request-identity.js';

/** The secret as a value, or read from each request (`(c) => c.env.POSTHOG_SECRET_API_TOKEN`). */
export type SecretSource<Req> = string | ((req: Req) => string | undefined) | undefined;

/** {@link IdentityResolverOptions} whose `secret` may be read from the request. */
export interface LateSecretOptions<Req> extends Omit<IdentityResolverOptions<Req>, 'secret'> {
  /** The Secret API key (`phs_...`), or a function that reads it from the request (a Worker's `env`). */
  secret?: SecretSource<Req>;
}

export interface LateSecretResolver<Req> {
  /** The identity for this request, or null (a visitor, or a secret that does not work: reported once). */
  resolve: MaybeSyncResolver<Req>;
  /** Builds the resolver for this request's secret now, throwing its `ConfigurationError` if it is wrong. */
  check(req: Req): void;
}

// Next bundles an app's modules once per layer, so one process can hold several copies of one
// adapter: what was reported is remembered process-wide, so each problem is reported once.
const REPORTED = Symbol.for('posthog-conversations.reported');
function firstReport(message: string): boolean {
  const store = globalThis as { [REPORTED]?: Set<string> };
  const seen = (store[REPORTED] ??= new Set());
  if (seen.has(message)) return false;
  if (seen.size < 100) seen.add(message);
  return true;
}

// A few secrets at most (current, and one being rotated in); the bound keeps a function that
// returns something new on every request from growing the cache.
const MAX_SECRETS = 8;

/**
 * `build` once per secret read from requests, kept (bounded), so each request with a known secret
 * reuses its prepared signer or receiver. `keyOf` turns a secret list into one key.
 */
export function perSecret<S, V>(build: (secret: S) => V, keyOf: (secret: S) => unknown = (secret) => secret): (secret: S) => V {
  const built = new Map<unknown, V>();
  return (secret) => {
    const key = keyOf(secret);
    if (built.has(key)) return built.get(key)!;
    const value = build(secret);
    if (built.size >= MAX_SECRETS) built.clear();
    built.set(key, value);
    return value;
  };
}

export function createLateSecretResolver<Req>(
  options: LateSecretOptions<Req>,
  where: string,
  extraKeys: readonly string[] = [],
): LateSecretResolver<Req> {
  checkResolverOptions(options as IdentityResolverOptions<Req>, where, extraKeys);
  const { secret } = options;
  if (secret !== undefined && typeof secret !== 'string' && typeof secret !== 'function') {
    throw new ConfigurationError("secret must be the project's Secret API key (phs_...) or a function that reads it from the request");
  }
  const report = options.onError ?? defaultReporter();
  const build = (value: string | undefined) =>
    createMaybeSyncResolver({ ...options, secret: value } as IdentityResolverOptions<Req>, where, extraKeys);
  const secretOf = (req: Req): string | undefined => (typeof secret === 'function' ? secret(req) : secret);

  // A wrong secret is kept as its error, so it is reported once and not rebuilt on every request.
  const resolverFor = perSecret((value: string | undefined): MaybeSyncResolver<Req> | ConfigurationError => {
    try {
      return build(value);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      const problem = new ConfigurationError(
        `${error.message}. Until this is fixed, every page is rendered without an identity (as for a visitor).`,
        { cause: error },
      );
      if (firstReport(problem.message)) report(problem);
      return problem;
    }
  });
  return {
    resolve: (req) => {
      const resolver = resolverFor(secretOf(req));
      return resolver instanceof ConfigurationError ? null : resolver(req);
    },
    check: (req) => void build(secretOf(req)),
  };
}
