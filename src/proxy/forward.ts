/**
 * One upstream call: the request's headers without the app's credentials or hop-by-hop fields, one
 * deadline over the whole call (the answer's body included, streamed rather than buffered), and
 * the answer passed back in PostHog's words.
 */
import type { FetchFunction } from '../basics/fetch-body.js';

// Hop-by-hop headers (RFC 9110 7.6.1) and those the runtime sets itself.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
];
// The app's own credentials: PostHog has no use for them, and they must not leave the app.
const CREDENTIALS = ['cookie', 'authorization', 'proxy-authorization'];
// What the runtime's fetch has already undone (it decodes the body), and the session cookies PostHog never needs to set here.
const ANSWER_DROPPED = ['content-encoding', 'content-length', 'set-cookie', ...HOP_BY_HOP];

/** The headers sent to PostHog: the browser's (its `Origin` included), minus credentials and hop-by-hop ones. */
export function upstreamHeaders(incoming: Headers, clientAddress: string | undefined): Headers {
  const headers = new Headers(incoming);
  for (const name of [...HOP_BY_HOP, ...CREDENTIALS, 'x-forwarded-host', 'x-forwarded-proto']) headers.delete(name);
  // PostHog's reverse-proxy docs: pass the client's address on, for its GeoIP.
  if (clientAddress !== undefined) headers.set('x-forwarded-for', clientAddress);
  return headers;
}

/** A JSON answer of the proxy's own (not PostHog's): a refusal, or PostHog unreachable. */
export function proxyAnswer(status: number, error: string, detail: string): Response {
  return new Response(JSON.stringify({ error, detail }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** A streamed request body passed `maxBodyBytes`: the call is answered 413, not as PostHog unreachable. */
export class BodyTooLarge extends Error {
  constructor(readonly cap: number) {
    super(`the request body is over ${cap} bytes (maxBodyBytes)`);
  }
}

const isStream = (body: unknown): boolean => typeof (body as ReadableStream | null)?.getReader === 'function';

/** Sends the call; the answer streams back, and the deadline ends it, body included. */
export async function forward(
  send: FetchFunction,
  url: string,
  init: { method: string; headers: Headers; body: BodyInit | null },
  timeoutMs: number,
  sameOriginOnly = false,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no complete answer within ${timeoutMs} ms (timeoutMs)`)), timeoutMs);
  let answer: Response;
  try {
    // duplex: a streamed request body (Node's fetch requires it; other runtimes ignore it).
    answer = await send(url, {
      ...init,
      signal: controller.signal,
      redirect: 'manual',
      ...(isStream(init.body) ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    clearTimeout(timer);
    const tooLarge = [error, (error as { cause?: unknown } | null)?.cause].find((e): e is BodyTooLarge => e instanceof BodyTooLarge);
    if (tooLarge !== undefined) return proxyAnswer(413, 'request too large', tooLarge.message);
    const timedOut = controller.signal.aborted;
    return proxyAnswer(
      timedOut ? 504 : 502,
      timedOut ? 'PostHog did not answer in time' : 'PostHog could not be reached',
      `${init.method} ${new URL(url).pathname}: ${timedOut ? (controller.signal.reason as Error).message : String((error as Error)?.message ?? error)}`,
    );
  }
  const headers = new Headers(answer.headers);
  for (const name of ANSWER_DROPPED) headers.delete(name);
  if (sameOriginOnly) {
    const cors: string[] = [];
    headers.forEach((_value, name) => {
      if (name.startsWith('access-control-')) cors.push(name);
    });
    for (const name of cors) headers.delete(name);
  }
  if (answer.body === null) {
    clearTimeout(timer);
    return new Response(null, { status: answer.status, headers });
  }
  // The deadline runs on until the last byte; then the timer goes.
  const body = answer.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      flush: () => clearTimeout(timer),
    }),
  );
  return new Response(body, { status: answer.status, statusText: answer.statusText, headers });
}
