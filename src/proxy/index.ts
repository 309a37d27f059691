/**
 * `posthog-conversations/proxy`: serve PostHog from your own origin, and sign the widget's calls on
 * the server. Point posthog-js's `api_host` at it (`https://app.example.com/ingest`): assets, remote
 * config, flags and capture go to PostHog unchanged; on `/api/conversations/v1/widget/*` the proxy
 * replaces whatever identity the page sent with the one your own auth says is logged in (none for a
 * visitor), keeping the browser's `widget_session_id` so tickets opened before login stay with the
 * user. No hash in the page, no cookies or authorization sent upstream, and it works where a
 * firewall or blocker allows only your own domain.
 *
 * @example
 * // A Fetch handler (Bun, Deno, Workers, Next.js route handlers): mounted at /ingest
 * const proxy = createConversationsProxy({ secret: env.POSTHOG_SECRET_API_TOKEN, prefix: '/ingest', getDistinctId: (request) => userIdFromSession(request) })
 * // then posthog.init('phc_...', { api_host: 'https://app.example.com/ingest' })
 *
 * @packageDocumentation
 * @module posthog-conversations/proxy
 */
import { createProxyHandler } from './handler.js';
import { type ConversationsProxyOptions, resolveProxyOptions } from './options.js';

export type { ConversationsProxyOptions } from './options.js';
export type { FetchFunction } from '../basics/fetch-body.js';
export type { IdentityFields } from '../identity/identity-for.js';

/**
 * The proxy as a Fetch handler `(request) => Promise<Response>`, for every runtime. Options are
 * checked now: an unknown key or a bad host is an error at start-up, not on the first request.
 */
export function createConversationsProxy(options: ConversationsProxyOptions<Request>): (request: Request) => Promise<Response> {
  const handle = createProxyHandler(resolveProxyOptions(options, 'createConversationsProxy options'));
  return (request) => handle(request, request);
}
