/**
 * The emulator's HTTP server: what happens to every request before and around a route, as Django
 * does it (target parsing, the body cap) plus the emulator's own tools (the request log, faults),
 * CORS for the demo's browser pages, and a 500 only for a bug of the emulator itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import type { EmulatorState } from './state.js';
import type { Throttles } from './throttle.js';
import {
  BodyError,
  bodyTooLarge,
  endpointNotFound,
  json,
  notFound,
  parseBody,
  parseTarget,
  readRawBody,
  write,
  type Answer,
  type Context,
  type Router,
} from './http.js';

// The request log is for tests; a long-running emulator keeps only the newest entries.
const MAX_LOGGED_REQUESTS = 10_000;

/** One request the emulator received. */
export interface EmulatorRequest {
  /** When it arrived (the emulator's clock). */
  at: Date;
  method: string;
  path: string;
  userAgent: string | undefined;
  /** The status it was answered with; absent until the answer is sent (or when the connection was dropped). */
  status?: number;
  /** For a widget call: the browser's `widget_session_id` and the `identity_distinct_id` it sent, as given (either may be absent). */
  widget?: { sessionId?: string; distinctId?: string };
}

const WIDGET_PREFIX = '/api/conversations/v1/widget/';

/** Who a widget call came from, read from its query or a body the route already parsed (never parsed here). */
function widgetCaller(query: URLSearchParams, body: Record<string, unknown> | undefined): NonNullable<EmulatorRequest['widget']> {
  const read = (name: string) => {
    const value = body?.[name] ?? query.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const sessionId = read('widget_session_id');
  const distinctId = read('identity_distinct_id');
  return { ...(sessionId === undefined ? {} : { sessionId }), ...(distinctId === undefined ? {} : { distinctId }) };
}

/** What the server needs: the routes, the faults to inject, the log to keep, and the state and throttles each request sees. */
export interface ServerParts {
  router: Router;
  faults: Faults;
  requests: EmulatorRequest[];
  state: EmulatorState;
  throttles: Throttles;
}

/** An HTTP server answering every request through {@link handle}. */
export function createEmulatorServer(parts: ServerParts): Server {
  return createServer((req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, json(500, { type: 'server_error', code: 'error', detail: String(error), attr: null }));
      else res.destroy();
    });
  });
}

/**
 * CORS for a browser page on another origin (the demo app): PostHog's API answers any origin, and
 * nothing here reads cookies, so credentials are never allowed (a page cannot borrow a visitor's).
 */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PATCH, OPTIONS',
    vary: 'Origin',
  };
  const requested = req.headers['access-control-request-headers'];
  if (typeof requested === 'string') headers['access-control-allow-headers'] = requested;
  return headers;
}

// django.http.request.host_validation_re: a domain or an IPv6 literal, then an optional port.
const HOST_PATTERN = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/i;

async function handle(server: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { router, faults, requests, state, throttles } = server;
  const { path, query } = parseTarget(req.url ?? '/');
  const method = req.method ?? 'GET';
  const cors = corsHeaders(req);
  if (method === 'OPTIONS' && req.headers['access-control-request-method']) return write(res, { status: 204 }, cors);
  // Django's `get_host`: a Host header of another shape is DisallowedHost, answered 400.
  const host = req.headers.host;
  if (host !== undefined && !HOST_PATTERN.test(host))
    return write(res, { status: 400, raw: '<h1>Bad Request (400)</h1>', headers: { 'content-type': 'text/html' } }, cors);
  const logged: EmulatorRequest = { at: state.now(), method, path, userAgent: req.headers['user-agent'] };
  requests.push(logged);
  // From the query at once, so a call answered by a fault or before any route still names its caller.
  if (path.startsWith(WIDGET_PREFIX)) logged.widget = widgetCaller(query, undefined);
  res.once('finish', () => (logged.status = res.statusCode));
  if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
  const fault = faults.take(method, path);
  if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
  if (fault?.kind === 'reset' && !fault.afterHandling) return void req.socket.destroy();
  if (fault?.kind === 'status')
    return write(res, { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) }, cors);
  if (fault?.kind === 'malformed')
    return write(res, { status: 200, raw: '{"ticket_id": ', headers: { 'content-type': 'application/json' } }, cors);

  const text = method === 'GET' || method === 'HEAD' ? '' : await readRawBody(req);
  if (text === undefined) return write(res, bodyTooLarge(), cors);
  const route = router.match(method, path);
  if (route === undefined) return write(res, path.startsWith('/api/') ? endpointNotFound() : notFound(), cors);
  if (route === 'method-not-allowed') {
    return write(
      res,
      json(405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null }),
      cors,
    );
  }
  // posthog-js sends /flags and capture bodies form-encoded or compressed: those routes never read them.
  let body: Record<string, unknown> | undefined;
  const ctx: Context = {
    req,
    method,
    path,
    query,
    get body() {
      return (body ??= parseBody(text, req.headers['content-type']));
    },
    params: route.params,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    ip: req.socket.remoteAddress ?? '127.0.0.1',
    state,
    throttles,
  };
  state.wakeSnoozed(); // PostHog's scheduled wake_snoozed_tickets, run when it would have happened
  let answer: Answer;
  try {
    answer = await route.handler(ctx);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    answer = error.answer;
  }
  // The body's fields too, when the route parsed one (the query's are already there).
  if (body !== undefined && path.startsWith(WIDGET_PREFIX)) logged.widget = widgetCaller(query, body);
  if (fault?.kind === 'reset') return void req.socket.destroy(); // acted, then lost the answer
  write(res, answer, cors);
}
