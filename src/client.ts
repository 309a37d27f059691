/** `createClient`: one object for every PostHog Conversations API, sharing one connection pool. */
import { TicketsClient } from './admin/client.js';
import { RemoteConfigClient, SettingsClient } from './admin/settings.js';
import { ExternalClient } from './external/client.js';
import { type ClientOptions, resolveClientOptions } from './http/client-options.js';
import { Transport } from './http/transport.js';
import { WidgetClient } from './widget/client.js';

export type { ClientOptions } from './http/client-options.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The client `createClient` returns. Secrets stay inside: its inspect and JSON show only which keys are set. */
export class PostHogConversationsClient {
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
    const resolved = resolveClientOptions(options);
    this.host = resolved.host;
    this.#transport = new Transport(resolved);
    this.widget = new WidgetClient(this.#transport);
    this.tickets = new TicketsClient(this.#transport);
    this.external = new ExternalClient(this.#transport);
    this.settings = new SettingsClient(this.#transport);
    this.remoteConfig = new RemoteConfigClient(this.#transport);
    this.#configured = resolved.credentials.configured;
  }

  /** Closes the connection pool (not a `dispatcher` you passed in). */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /** The host and which API families are configured: never a key. */
  toJSON(): { type: 'PostHogConversationsClient'; host: string; configured: string[] } {
    return { type: 'PostHogConversationsClient', host: this.host, configured: this.#configured };
  }

  /** The host and which API families are configured: never a key. */
  toString(): string {
    return `PostHogConversationsClient { host: ${this.host}, configured: ${this.#configured.join(', ') || 'nothing'} }`;
  }

  /** What `util.inspect` and `console.log` show: never a key. */
  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * One client for every Conversations API. Give it the credentials for the parts you use. Every
 * method takes its input, then optional per-call {@link RequestOptions} (`signal`, `timeoutMs`,
 * `deadlineMs`, `retry`).
 *
 * @example
 * const client = createClient({ publicToken: process.env.POSTHOG_WIDGET_TOKEN })
 * const { results } = await client.widget.listTickets({ identity: signer.identityFor(user.id) })
 * const page = await client.widget.listTickets({ identity }, { timeoutMs: 2000, retry: false })
 */
export function createClient(options: ClientOptions = {}): PostHogConversationsClient {
  return new PostHogConversationsClient(options);
}
