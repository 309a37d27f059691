/**
 * `createClient`'s options in one pass: strict keys, the host, the credentials, the bounds and the
 * reporter, checked in that order, so a misconfigured client fails at construction with one clear
 * message. What comes out is what the transport runs on.
 */
import { createExchanger } from '#exchanger';
import { ConfigurationError } from '../basics/errors.js';
import { assertConfigKeys } from '../basics/options.js';
import { Credentials, assertHeaderValue } from './credentials.js';
import { clientPolicy } from './request-options.js';
import type { RetryOptions } from './retry.js';
import type { FetchFunction } from '../basics/fetch-body.js';
import { warnOnce, type UnexpectedResponseReport } from './tolerant.js';
import type { TransportOptions } from './transport.js';

/** Options of `createClient`: the host, the keys each API family needs, and the transport's bounds. */
export interface ClientOptions {
  /**
   * PostHog's API host. Default `https://us.i.posthog.com`; `https://eu.i.posthog.com` for EU, your
   * own, or a reverse proxy with a path (`https://example.com/ingest`). No credentials or query.
   */
  host?: string | undefined;
  /** The widget's public token: for `client.widget`. */
  publicToken?: string | undefined;
  /** The Secret API key (`phs_...`): for `client.external`. */
  secretApiToken?: string | undefined;
  /** A personal API key (`phx_...`): for `client.tickets` and `client.settings`. */
  personalApiKey?: string | undefined;
  /** The numeric project id: for `client.tickets` and `client.settings`. */
  projectId?: number | string | undefined;
  /** Sent as `Origin` on widget calls the server checks against the allowed domains. */
  origin?: string | undefined;
  /** Longest wait, per attempt, for the answer's headers and then between parts of its body. Default 10000 ms. */
  timeoutMs?: number | undefined;
  /** Longest time for a whole call: every attempt, retry wait and reading the body. Default 30000 ms. */
  deadlineMs?: number | undefined;
  /** Retries of failed calls, or `false` for none. Default 2 retries. */
  retry?: RetryOptions | false | undefined;
  /** Largest answer read, in bytes; a larger one fails with a `ResponseTooLargeError`. Default 10 MiB. */
  maxResponseBytes?: number | undefined;
  /**
   * Node.js only: an undici dispatcher (a `ProxyAgent`, a `MockAgent`, your own `Agent`) to send on
   * instead of the client's own keep-alive pool; you close it.
   */
  dispatcher?: UndiciDispatcher | undefined;
  /**
   * A `fetch` to send with, instead of undici on Node.js or the runtime's global `fetch` elsewhere
   * (a test double, an instrumented fetch, a Workers service binding's). The same deadlines, byte
   * cap and retries apply. Not with `dispatcher`.
   *
   * @example
   * createClient({ publicToken, fetch: (input, init) => env.POSTHOG.fetch(input, init) })
   */
  fetch?: FetchFunction | undefined;
  /** Overrides the `User-Agent` header. */
  userAgent?: string | undefined;
  /**
   * Called when a successful answer holds data this SDK's types do not expect (a newer PostHog, a
   * null where none was foreseen). The call still succeeds with the data as PostHog sent it; this
   * says which fields surprised (types only, never values). Default: one `console.warn` per
   * distinct problem, at most 200 in a process.
   *
   * @example
   * createClient({ personalApiKey, projectId, onUnexpectedResponse: (r) => logger.warn(r, 'PostHog answer surprised the SDK') })
   */
  onUnexpectedResponse?: ((report: UnexpectedResponseReport) => void) | undefined;
}

/**
 * An undici `Dispatcher`, as the client uses it (the SDK calls its `dispatch`): described here so
 * the client's types need neither undici's nor `@types/node` on runtimes that have no undici.
 */
export interface UndiciDispatcher {
  dispatch(options: never, handler: never): boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

const CLIENT_OPTION_KEYS = [
  'host',
  'publicToken',
  'secretApiToken',
  'personalApiKey',
  'projectId',
  'origin',
  'timeoutMs',
  'deadlineMs',
  'retry',
  'maxResponseBytes',
  'dispatcher',
  'fetch',
  'userAgent',
  'onUnexpectedResponse',
] as const;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The host, checked: an http(s) URL with no credentials, query or fragment (they would end up in every error). */
function checkHost(host: unknown): string {
  if (host === undefined) return 'https://us.i.posthog.com';
  const example = 'such as https://us.i.posthog.com or https://eu.i.posthog.com';
  if (typeof host !== 'string' || /[\0-\x20\x7f]/.test(host) || !URL.canParse(host))
    throw new ConfigurationError(`host must be an http(s) URL ${example}`);
  const url = new URL(host);
  if (!/^https?:$/.test(url.protocol)) throw new ConfigurationError(`host must be an http(s) URL ${example}`);
  if (url.username !== '' || url.password !== '')
    throw new ConfigurationError(
      'host must not contain a user name or password: pass keys as publicToken, secretApiToken or personalApiKey',
    );
  if (url.search !== '' || url.hash !== '' || host.includes('?') || host.includes('#'))
    throw new ConfigurationError('host must not contain a query string or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkMaxBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(value) || (value as number) < 1024)
    throw new ConfigurationError('maxResponseBytes must be a whole number of bytes, at least 1024');
  return value as number;
}

/** Every option checked, resolved to what the transport needs. */
export function resolveClientOptions(options: ClientOptions): TransportOptions {
  assertConfigKeys(options, CLIENT_OPTION_KEYS, 'createClient options');
  const host = checkHost(options.host);
  const credentials = new Credentials(options);
  if (options.userAgent !== undefined) assertHeaderValue(options.userAgent, 'userAgent');
  const { onUnexpectedResponse } = options;
  if (onUnexpectedResponse !== undefined && typeof onUnexpectedResponse !== 'function') {
    throw new ConfigurationError('onUnexpectedResponse must be a function (report) => void');
  }
  const { dispatcher, fetch } = options;
  if (fetch !== undefined && typeof fetch !== 'function')
    throw new ConfigurationError('fetch must be a function (input, init) => Promise<Response>');
  if (dispatcher !== undefined && (typeof dispatcher !== 'object' || dispatcher === null || typeof dispatcher.dispatch !== 'function')) {
    throw new ConfigurationError('dispatcher must be an undici Dispatcher (an Agent, a ProxyAgent, a MockAgent)');
  }
  if (dispatcher !== undefined && fetch !== undefined) throw new ConfigurationError('pass dispatcher or fetch, not both');
  const defaults = clientPolicy(options);
  return {
    host,
    credentials,
    defaults,
    maxResponseBytes: checkMaxBytes(options.maxResponseBytes),
    exchanger: createExchanger({ dispatcher, fetch, connectTimeoutMs: defaults.timeoutMs }),
    userAgent: options.userAgent,
    onUnexpectedResponse: onUnexpectedResponse ?? warnOnce(),
  };
}
