/**
 * The proxy itself, on the Fetch API: every runtime and every adapter runs this. It forwards what
 * posthog-js loads under `api_host` to PostHog (`/static/*` to the assets host), and signs the
 * widget calls on the server (widget-call.ts).
 */
import { readFetchBody } from '../basics/fetch-body.js';
import { BodyTooLarge, forward, proxyAnswer, upstreamHeaders } from './forward.js';
import type { ProxySettings } from './options.js';
import { WIDGET_PATH, changesState, isJson, signJsonBody, signQuery } from './widget-call.js';

/** What an adapter knows beside the request: the client's address (for PostHog's GeoIP). */
export interface ProxyRequestInfo {
  clientAddress?: string | undefined;
}

/** The handler: `request` is what the browser sent, `ctx` what `getDistinctId` reads. */
export type ProxyHandler<Ctx> = (request: Request, ctx: Ctx, info?: ProxyRequestInfo) => Promise<Response>;

/** A widget call is a small JSON object: read whole (to sign it), up to this. */
const WIDGET_BODY_CAP = 1024 * 1024;

/** The request body as it streams, failing once it passes `cap` bytes (the upstream call then fails). */
function capStream(body: ReadableStream<Uint8Array>, cap: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > cap) controller.error(new BodyTooLarge(cap));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * Whether `origin` is the app's own: one of `allowedOrigins`, or by default an origin whose host is
 * the request's `Host` (the browser sets both; a page on another site cannot make them agree). The
 * scheme is not compared, as a TLS-terminating load balancer hands the app plain HTTP.
 */
function sameSite(origin: string | null, request: Request, url: URL, allowedOrigins: readonly string[] | undefined): boolean {
  if (origin === null) return false;
  if (allowedOrigins !== undefined) return allowedOrigins.includes(origin);
  if (!URL.canParse(origin)) return false;
  return new URL(origin).host === (request.headers.get('host') ?? url.host);
}

export function createProxyHandler<Ctx>(settings: ProxySettings<Ctx>): ProxyHandler<Ctx> {
  const { prefix } = settings;
  return async (request, ctx, info = {}) => {
    const url = new URL(request.url);
    if (prefix !== '' && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      return proxyAnswer(404, 'not under the proxy', `${url.pathname} is not under ${prefix}, where the proxy is mounted`);
    }
    const path = url.pathname.slice(prefix.length) || '/';
    const method = request.method.toUpperCase();
    const headers = upstreamHeaders(request.headers, info.clientAddress);
    const upstream = path.startsWith('/static/') ? settings.assetsHost : settings.host;
    if (!path.startsWith(WIDGET_PATH)) {
      // Everything else posthog-js sends (capture batches, recordings: up to 64 MB, PostHog says) streams through.
      const body = method === 'GET' || method === 'HEAD' || request.body === null ? null : capStream(request.body, settings.maxBodyBytes);
      return forward(settings.fetch, `${upstream}${path}${url.search}`, { method, headers, body }, settings.timeoutMs);
    }
    // The proxy signs with the user's own session: another site must neither make a logged-in user's
    // browser post here nor read the answers. Every call with a foreign Origin (reads and preflights
    // included) is refused, and a state change needs the app's own Origin: checked before any reading.
    const origin = request.headers.get('origin');
    const foreign =
      request.headers.get('sec-fetch-site') === 'cross-site' ||
      ((origin !== null || changesState(method)) && !sameSite(origin, request, url, settings.allowedOrigins));
    if (foreign) {
      const expected = settings.allowedOrigins?.join(' or ') ?? `this app's own (host ${request.headers.get('host') ?? url.host})`;
      return proxyAnswer(403, 'cross-site widget call refused', `Origin ${origin ?? '(none)'} is not ${expected}`);
    }
    const reads = method === 'GET' || method === 'HEAD';
    let search = url.search;
    let body: string | null = null;
    if (reads) search = signQuery(url.search, await settings.resolve(ctx));
    else {
      const bytes = await readFetchBody(request, WIDGET_BODY_CAP);
      if (bytes === undefined) return proxyAnswer(413, 'request too large', `a widget call's body is over ${WIDGET_BODY_CAP} bytes`);
      if (bytes.byteLength > 0) {
        if (changesState(method) && !isJson(request.headers.get('content-type'))) {
          return proxyAnswer(415, 'widget calls are JSON', 'send the widget call with Content-Type: application/json');
        }
        body = signJsonBody(bytes, await settings.resolve(ctx)) ?? null;
        if (body === null) return proxyAnswer(400, 'widget calls are JSON objects', 'the body is not a JSON object');
        headers.set('content-type', 'application/json');
      }
    }
    // Same-origin answers: PostHog's CORS headers would let another site read the user's tickets.
    return forward(settings.fetch, `${upstream}${path}${search}`, { method, headers, body }, settings.timeoutMs, true);
  };
}
