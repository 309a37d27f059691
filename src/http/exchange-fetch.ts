/**
 * The exchanger on `fetch`, for every runtime without undici (Cloudflare Workers, Vercel Edge,
 * Deno Deploy, browsers) or for a `fetch` you pass in. The same bounds as on undici: one timer
 * aborts the request, first for the headers, then for the body by the deadline, and every wait is
 * raced against it, so a `fetch` that ignores its signal cannot outlive the call either. Redirects
 * are not followed (as on undici): a 3xx is an answer, and the keys never travel to another host.
 */
import { concatBytes, type FetchFunction } from '../basics/fetch-body.js';
import { errorCode } from './retry.js';
import { type Bounds, type Exchanger, headersStop, type Outgoing, type Received, Stop } from './exchange.js';

// Stateless without `stream`: one for every exchange.
const UTF8 = new TextDecoder();

/** A fetch that failed without an answer: marked so the transport treats it as a connection failure. */
class FetchFailure extends Error {
  // The system's code where the fetch gives one (Node's: ECONNREFUSED, provably unsent); otherwise
  // FETCH_FAILED, not provably unsent, so retried only for calls that are safe to repeat.
  readonly code: string;
  constructor(cause: unknown) {
    super(String((cause as Error | null)?.message ?? cause), { cause });
    this.code = errorCode(cause) ?? errorCode((cause as { cause?: unknown } | null)?.cause) ?? 'FETCH_FAILED';
  }
}

/** Reads a body to text, stopping as soon as it passes `cap`, or when `stopped` settles. */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number, stopped: Promise<never>): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stopped]);
      if (done) break;
      size += value.byteLength;
      if (size > cap) throw new Stop('too-large', cap);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  return UTF8.decode(concatBytes(chunks, size));
}

async function fetchExchange(fetchFunction: FetchFunction, out: Outgoing, bounds: Bounds): Promise<Received> {
  const controller = new AbortController();
  let fail!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => (fail = reject));
  stopped.catch(() => undefined);
  const stop = (reason: unknown) => {
    fail(reason);
    controller.abort(reason);
  };
  const first = headersStop(bounds);
  let timer = setTimeout(() => stop(first.stop()), Math.max(0, first.ms));
  const onAbort = () => stop(bounds.signal!.reason);
  if (bounds.signal?.aborted) onAbort();
  else bounds.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let response: Response;
    try {
      const sent = fetchFunction(out.origin + out.path, {
        method: out.method,
        headers: out.headers,
        body: out.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      sent.catch(() => undefined); // it may still reject after the timer won
      response = await Promise.race([sent, stopped]);
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : new FetchFailure(error);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers[name] = value; // nothing of ours, but possibly a session
    });
    const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    if (declared !== undefined && declared > bounds.maxBytes) {
      response.body?.cancel().catch(() => undefined);
      throw new Stop('too-large', bounds.maxBytes);
    }
    clearTimeout(timer);
    timer = setTimeout(() => stop(new Stop('deadline', 0)), Math.max(0, bounds.deadline - Date.now()));
    const text = await readCapped(response.body, bounds.maxBytes, stopped).catch((error: unknown) => {
      throw error instanceof Stop || !controller.signal.aborted ? error : controller.signal.reason;
    });
    return { status: response.status, headers, text };
  } finally {
    clearTimeout(timer);
    bounds.signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends with `fetchFunction`; holds no connections of its own, so `close()` has nothing to do. */
export function fetchExchanger(fetchFunction: FetchFunction): Exchanger {
  return { exchange: (out, bounds) => fetchExchange(fetchFunction, out, bounds), close: () => Promise.resolve() };
}
