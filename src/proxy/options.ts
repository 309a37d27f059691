/** The widget proxy's options, checked once at creation, and what they resolve to. */
import { ConfigurationError } from '../basics/errors.js';
import type { FetchFunction } from '../basics/fetch-body.js';
import { createLateSecretResolver, type SecretSource } from '../adapter-kit/late-resolver.js';
import { createMaybeSyncResolver, type IdentityResolverOptions, type MaybeSyncResolver } from '../adapter-kit/request-identity.js';

/**
 * Options of the widget proxy. The identity options are the adapters' own (`secret` or `signer`,
 * `getDistinctId`, `getEmail`, ...); `Ctx` is what `getDistinctId` reads: the Fetch `Request`, or
 * the framework's request or context in an adapter.
 */
export interface ConversationsProxyOptions<Ctx = Request> extends Omit<IdentityResolverOptions<Ctx>, 'secret'> {
  /**
   * The Secret API key (`phs_...`), or a function that reads it from the request where a runtime
   * keeps secrets there (`(c) => c.env.POSTHOG_SECRET_API_TOKEN` on Workers). Read per request, a
   * missing or wrong one sends the widget's calls anonymous and is reported once through `onError`.
   */
  secret?: SecretSource<Ctx>;
  /** PostHog's API host. Default `https://us.i.posthog.com`; `https://eu.i.posthog.com` for EU, or your own. */
  host?: string | undefined;
  /**
   * Where `/static/*` (posthog-js and its lazy-loaded parts) comes from. Default: the host's assets
   * host (`us-assets.i.posthog.com` for `us.i.posthog.com`, `eu-assets.i.posthog.com` for EU), else the host.
   */
  assetsHost?: string | undefined;
  /** The path the proxy is mounted under, as posthog-js's `api_host` ends (`/ingest`). Default: none. */
  prefix?: string | undefined;
  /**
   * The origins allowed to make state-changing widget calls (send a message, mark read, restore).
   * Default: an `Origin` whose host is the request's `Host` (the app's own), so another site cannot
   * post as your logged-in user.
   */
  allowedOrigins?: readonly string[] | undefined;
  /** Longest time for one upstream call, body included, in ms. Default 30000. */
  timeoutMs?: number | undefined;
  /**
   * Largest request body forwarded (streamed) to PostHog, in bytes; past it the call fails. Default
   * 64 MiB, what PostHog's reverse-proxy docs ask a proxy to allow (recordings). A widget call's body is read whole, up to 1 MiB.
   */
  maxBodyBytes?: number | undefined;
  /** A `fetch` to call PostHog with (a test double, a Worker's service binding). Default: the global `fetch`. */
  fetch?: FetchFunction | undefined;
}

/** The proxy's own option keys, beside the identity resolver's. */
const OWN_KEYS = ['host', 'assetsHost', 'prefix', 'allowedOrigins', 'timeoutMs', 'maxBodyBytes', 'fetch'] as const;

/** The options, resolved. */
export interface ProxySettings<Ctx> {
  host: string;
  assetsHost: string;
  prefix: string;
  allowedOrigins: readonly string[] | undefined;
  timeoutMs: number;
  maxBodyBytes: number;
  fetch: FetchFunction;
  resolve: MaybeSyncResolver<Ctx>;
}

/** PostHog's cloud hosts and their assets hosts (PostHog's reverse-proxy docs send /static/* there). */
const ASSETS_HOSTS: Record<string, string> = {
  'https://us.i.posthog.com': 'https://us-assets.i.posthog.com',
  'https://eu.i.posthog.com': 'https://eu-assets.i.posthog.com',
};

function checkOrigin(value: unknown, name: string): string {
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigurationError(`${name} must be an http(s) URL such as https://us.i.posthog.com`);
  }
  const url = new URL(value);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(`${name} must be a plain URL: no user name, password, query or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkWhole(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ConfigurationError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

/** Checks every option (unknown keys named with their nearest one) and resolves the defaults. */
export function resolveProxyOptions<Ctx>(
  options: ConversationsProxyOptions<Ctx>,
  where: string,
  extraKeys: readonly string[] = [],
): ProxySettings<Ctx> {
  // The resolver checks every key (the identity ones and these) and the identity options first.
  const keys = [...OWN_KEYS, ...extraKeys];
  const resolve =
    typeof options.secret === 'function'
      ? createLateSecretResolver(options, where, keys).resolve
      : createMaybeSyncResolver(options as IdentityResolverOptions<Ctx>, where, keys);
  const host = options.host === undefined ? 'https://us.i.posthog.com' : checkOrigin(options.host, 'host');
  const assetsHost = options.assetsHost === undefined ? (ASSETS_HOSTS[host] ?? host) : checkOrigin(options.assetsHost, 'assetsHost');
  const { prefix = '', allowedOrigins, fetch } = options;
  if (typeof prefix !== 'string' || (prefix !== '' && !/^\/[\w\-./~]*[^/]$/.test(prefix))) {
    throw new ConfigurationError(
      "prefix must be the path the proxy is mounted under, such as '/ingest' (a leading slash, no trailing one)",
    );
  }
  if (allowedOrigins !== undefined && (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0)) {
    throw new ConfigurationError("allowedOrigins must be a non-empty list of origins, such as ['https://app.example.com']");
  }
  const origins = allowedOrigins?.map((origin, i) => {
    const checked = checkOrigin(origin, `allowedOrigins[${i}]`);
    if (new URL(checked).origin !== checked)
      throw new ConfigurationError(`allowedOrigins[${i}] must be an origin, with no path: ${new URL(checked).origin}`);
    return checked;
  });
  if (fetch !== undefined && typeof fetch !== 'function')
    throw new ConfigurationError('fetch must be a function (input, init) => Promise<Response>');
  if (fetch === undefined && typeof globalThis.fetch !== 'function')
    throw new ConfigurationError('this runtime has no global fetch: pass fetch');
  return {
    host,
    assetsHost,
    prefix,
    allowedOrigins: origins,
    timeoutMs: checkWhole(options.timeoutMs, 'timeoutMs', 30_000, 1, 600_000),
    maxBodyBytes: checkWhole(options.maxBodyBytes, 'maxBodyBytes', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)),
    resolve,
  };
}
