/**
 * `posthog-conversations/widget`: the widget API alone, for browsers, React Native and custom chat
 * UIs. It holds the widget's public token only: no secret, no signing code (a verified user's
 * `identity` is signed by your server and handed to the page). It sends with the runtime's `fetch`.
 *
 * @example
 * import { createWidgetClient } from 'posthog-conversations/widget'
 * const widget = createWidgetClient({ publicToken: 'your_widget_public_token' })
 * const { results } = await widget.listTickets({ identity }) // identity from your server's /api/posthog-identity
 *
 * @packageDocumentation
 * @module posthog-conversations/widget
 */
import { ConfigurationError } from '../basics/errors.js';
import { assertConfigKeys } from '../basics/options.js';
import { type ClientOptions, resolveClientOptions } from '../http/client-options.js';
import { Transport } from '../http/transport.js';
import { WidgetClient } from './client.js';

export { WidgetClient } from './client.js';
export type * from './types.js';
// The errors its calls throw, from this entry (its own build: compare with these, not the root's).
export { ConfigurationError, ERROR_CODES, PostHogConversationsError, ValidationError } from '../basics/errors.js';
export {
  AbortedError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitedError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
} from '../http/errors.js';
export type { RequestOptions } from '../http/request-options.js';
export type { RetryOptions } from '../http/retry.js';
export type { UnexpectedResponseReport } from '../http/tolerant.js';
export { TICKET_STATUSES, type TicketStatus } from '../http/constants.js';

/** Options of {@link createWidgetClient}: the public token, the host, and the transport's bounds. */
export interface WidgetClientOptions
  extends Pick<
    ClientOptions,
    'host' | 'origin' | 'timeoutMs' | 'deadlineMs' | 'retry' | 'maxResponseBytes' | 'fetch' | 'userAgent' | 'onUnexpectedResponse'
  > {
  /** The widget's public token (the one posthog-js gets from remote config). */
  publicToken: string;
}

const WIDGET_OPTION_KEYS = [
  'host',
  'publicToken',
  'origin',
  'timeoutMs',
  'deadlineMs',
  'retry',
  'maxResponseBytes',
  'fetch',
  'userAgent',
  'onUnexpectedResponse',
] as const;
// Keys that hold a secret: named, so a mistake says why it is refused rather than "unknown option".
const SECRET_KEYS = ['secretApiToken', 'personalApiKey', 'secret'] as const;

/** The widget API client: `listTickets`, `sendMessage`, `getMessages`, `markRead`, the restore flow. */
export function createWidgetClient(options: WidgetClientOptions): WidgetClient {
  const given = (options ?? {}) as unknown as Record<string, unknown>;
  for (const key of SECRET_KEYS) {
    if (given[key] !== undefined) {
      throw new ConfigurationError(
        `createWidgetClient takes no ${key}: this entry runs where visitors can read it (a browser, an app), and a secret must never reach one. Call the secret-holding APIs from your server with createClient`,
      );
    }
  }
  assertConfigKeys(given, WIDGET_OPTION_KEYS, 'createWidgetClient options');
  if (typeof given.publicToken !== 'string' || given.publicToken === '') {
    throw new ConfigurationError("createWidgetClient needs publicToken: the widget's public token");
  }
  return new WidgetClient(new Transport(resolveClientOptions(options)));
}

// The names before PostHog's casing, deprecated.
export * from './deprecated-names.js';
