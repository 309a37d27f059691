/** `createClient`: one object for every PostHog Conversations API, sharing one connection pool. */
import type { Dispatcher } from 'undici';
import { AdminApi, TicketsClient } from './admin/client.js';
import { RemoteConfigClient, SettingsClient } from './admin/settings.js';
import { ConfigurationError, describeType } from './errors.js';
import { ExternalClient } from './external/client.js';
import { DEFAULT_RETRY, NO_RETRY, type RetryOptions, type RetryPolicy } from './http/retry.js';
import { Transport } from './http/transport.js';
import { assertSecret } from './identity/rules.js';
import { WidgetClient } from './widget/client.js';

export interface ClientOptions {
  /** PostHog's API host. Default `https://us.i.posthog.com`; `https://eu.i.posthog.com` for EU, or your own. */
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
  /** Retries of failed calls, or `false` for none. Default 2 retries within 30 s. */
  retry?: RetryOptions | false | undefined;
  /** An undici dispatcher (a proxy `ProxyAgent`, a `MockAgent`, your own `Agent`); you close it. */
  dispatcher?: Dispatcher | undefined;
  /** Overrides the `User-Agent` header. */
  userAgent?: string | undefined;
}

function checkHost(host: unknown): string {
  if (host === undefined) return 'https://us.i.posthog.com';
  if (typeof host !== 'string' || !URL.canParse(host) || !/^https?:$/.test(new URL(host).protocol)) {
    throw new ConfigurationError('host must be an http(s) URL such as https://us.i.posthog.com or https://eu.i.posthog.com');
  }
  return host;
}

function checkRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) return NO_RETRY;
  if (retry === undefined) return DEFAULT_RETRY;
  if (typeof retry !== 'object' || retry === null) throw new ConfigurationError(`retry must be an object or false, got ${describeType(retry)}`);
  const policy = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(retry).filter(([, v]) => v !== undefined)) } as RetryPolicy;
  for (const [key, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigurationError(`retry.${key} must be a number >= 0`);
  }
  return policy;
}

function checkKeys(options: ClientOptions): void {
  const { publicToken, secretApiToken, personalApiKey } = options;
  if (publicToken !== undefined && (typeof publicToken !== 'string' || /^ph[sx]_/.test(publicToken))) {
    throw new ConfigurationError('publicToken must be the widget public token from Support settings, not a secret (phs_...) or personal (phx_...) key.');
  }
  if (secretApiToken !== undefined) assertSecret(secretApiToken, 'secretApiToken');
  if (personalApiKey !== undefined && (typeof personalApiKey !== 'string' || !personalApiKey.startsWith('phx_'))) {
    throw new ConfigurationError('personalApiKey must be a personal API key (phx_...), created under your PostHog account settings with the ticket scopes.');
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The client `createClient` returns. Secrets stay inside: its inspect and JSON show only which keys are set. */
export class PosthogConversationsClient {
  /** The widget API, as a visitor or a verified user (needs `publicToken`). */
  readonly widget: WidgetClient;
  /** The private ticket API (needs `personalApiKey` and `projectId`). */
  readonly tickets: TicketsClient;
  /** The external ticket API used by workflows (needs `secretApiToken`). */
  readonly external: ExternalClient;
  /** Conversations settings of the project (needs `personalApiKey` and `projectId`). */
  readonly settings: SettingsClient;
  /** What the browser widget sees (needs only a project API key per call). */
  readonly remoteConfig: RemoteConfigClient;
  readonly host: string;
  readonly #transport: Transport;
  readonly #configured: string[];

  constructor(options: ClientOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new ConfigurationError(`createClient takes an options object, got ${describeType(options)}`);
    this.host = checkHost(options.host);
    checkKeys(options);
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new ConfigurationError('timeoutMs must be a positive number of milliseconds');
    this.#transport = new Transport({ host: this.host, timeoutMs, retry: checkRetry(options.retry), dispatcher: options.dispatcher, userAgent: options.userAgent });
    const admin = new AdminApi(this.#transport, { personalApiKey: options.personalApiKey, projectId: options.projectId });
    this.widget = new WidgetClient(this.#transport, { publicToken: options.publicToken, origin: options.origin });
    this.tickets = new TicketsClient(admin);
    this.external = new ExternalClient(this.#transport, options.secretApiToken);
    this.settings = new SettingsClient(admin);
    this.remoteConfig = new RemoteConfigClient(this.#transport);
    this.#configured = ['publicToken', 'secretApiToken', 'personalApiKey', 'projectId'].filter((k) => options[k as keyof ClientOptions] !== undefined);
  }

  /** Closes the connection pool (not a `dispatcher` you passed in). */
  close(): Promise<void> {
    return this.#transport.close();
  }

  toJSON(): { type: 'PosthogConversationsClient'; host: string; configured: string[] } {
    return { type: 'PosthogConversationsClient', host: this.host, configured: this.#configured };
  }

  toString(): string {
    return `PosthogConversationsClient { host: ${this.host}, configured: ${this.#configured.join(', ') || 'nothing'} }`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * One client for every Conversations API. Give it the credentials for the parts you use.
 *
 * @example
 * const client = createClient({ publicToken: process.env.POSTHOG_WIDGET_TOKEN })
 * const { results } = await client.widget.listTickets({ identity: signer.identityFor(user.id) })
 */
export function createClient(options: ClientOptions = {}): PosthogConversationsClient {
  return new PosthogConversationsClient(options);
}
