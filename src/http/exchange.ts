/**
 * One HTTP exchange under one timer: from connecting to the last byte of the body, nothing the
 * server sends can make it outlive `timeoutMs` (for the headers) or the call's deadline (for all
 * of it). undici's own timers are not enough on their own: they fire up to a second late (measured:
 * 300 ms -> 1004 ms), `headersTimeout` starts again at every informational answer (a 103 every
 * 500 ms kept a call alive for a minute), and a connection being made (TCP, TLS) is bounded only by
 * the connector's own timeout, whatever the request's signal says.
 */
import { request, type Dispatcher } from 'undici';

/** Why an exchange stopped early; the transport turns it into a typed error. */
export class Stop extends Error {
  constructor(
    readonly reason: 'deadline' | 'timeout' | 'too-large',
    readonly detail: number,
  ) {
    super(reason);
  }
}

/** What came back: the final status, its headers (single strings, no `set-cookie`), the body as text. */
export interface Received {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request as the transport describes it. */
export interface Outgoing {
  origin: string;
  /** Path and query, already encoded. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** The exchange's bounds and what to tell the transport. */
export interface Bounds {
  /** Longest wait for the final headers, connecting included. */
  timeoutMs: number;
  /** When the whole call must be over (epoch ms). */
  deadline: number;
  /** Largest body read. */
  maxBytes: number;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
  /** Called when the exchange gave up while undici still held the request (the pool should not wait for it). */
  onAbandon: () => void;
}

/** Response headers as single strings, without `set-cookie` (nothing of ours, but possibly a session). */
function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && name !== 'set-cookie') out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The first timer of an exchange: the headers by `timeoutMs`, unless the deadline comes first. The
 * reason is made only when the timer fires: an Error captures a stack, which measured as a visible
 * share of a call's CPU when built on every call.
 */
function headersStop(bounds: Bounds): { stop: () => Stop; ms: number } {
  const remaining = bounds.deadline - Date.now();
  return remaining <= bounds.timeoutMs
    ? { stop: () => new Stop('deadline', 0), ms: remaining }
    : { stop: () => new Stop('timeout', bounds.timeoutMs), ms: bounds.timeoutMs };
}

/**
 * The exchange on undici's `dispatch`: one handler collects the final answer (informational ones
 * are passed over), caps the body as it arrives, and one timer, re-armed once the headers came,
 * aborts it. The promise settles when the timer fires even if undici is still connecting.
 */
function dispatchExchange(dispatcher: Dispatcher, out: Outgoing, bounds: Bounds): Promise<Received> {
  return new Promise<Received>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let stopped: Error | undefined;
    let settled = false;
    let received: Omit<Received, 'text'> | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const first = headersStop(bounds);
    let timer = setTimeout(() => stop(first.stop()), Math.max(0, first.ms));
    const onAbort = () => stop(bounds.signal!.reason as Error);
    bounds.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (error: Error | undefined, value?: Received) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      bounds.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(value!);
    };
    function stop(reason: Error): void {
      if (settled) return;
      stopped = reason;
      if (controller) controller.abort(reason);
      else bounds.onAbandon(); // still connecting: undici lets go of it later, on its own
      finish(reason);
    }

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (stopped) c.abort(stopped);
      },
      onResponseStart(_c, statusCode, headers) {
        if (statusCode < 200) return; // 1xx: the final answer is still to come, the timer runs on
        const flat = flatHeaders(headers);
        received = { status: statusCode, headers: flat };
        const declared = flat['content-length'] === undefined ? undefined : Number(flat['content-length']);
        if (declared !== undefined && declared > bounds.maxBytes) return stop(new Stop('too-large', bounds.maxBytes));
        clearTimeout(timer);
        timer = setTimeout(() => stop(new Stop('deadline', 0)), Math.max(0, bounds.deadline - Date.now()));
      },
      onResponseData(_c, chunk) {
        size += chunk.length;
        if (size > bounds.maxBytes) return stop(new Stop('too-large', bounds.maxBytes));
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        finish(undefined, { ...received!, text });
      },
      onResponseError(_c, error) {
        finish(stopped ?? error);
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: out.origin,
          path: out.path,
          method: out.method as Dispatcher.HttpMethod,
          headers: out.headers,
          body: out.body,
          headersTimeout: bounds.timeoutMs,
          bodyTimeout: bounds.timeoutMs,
        },
        handler,
      );
    } catch (error) {
      finish(error as Error);
    }
  });
}

/** Collects a body without a declared length, stopping it as soon as it passes the cap. */
function collect(body: Dispatcher.ResponseData['body'], cap: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) body.destroy(new Stop('too-large', cap));
      else chunks.push(chunk);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.on('error', reject);
  });
}

/**
 * The exchange on `request` with a signal, for Bun: its `undici` is a stand-in of its own with no
 * `dispatch`, whose `request` ignores undici's timeouts. Same bounds, more machinery.
 */
async function requestExchange(dispatcher: Dispatcher, out: Outgoing, bounds: Bounds): Promise<Received> {
  const controller = new AbortController();
  const signal = bounds.signal === undefined ? controller.signal : AbortSignal.any([bounds.signal, controller.signal]);
  let fail!: (reason: Error) => void;
  const expired = new Promise<never>((_, reject) => (fail = reject));
  expired.catch(() => undefined);
  const arm = (reason: () => Stop, ms: number) =>
    setTimeout(
      () => {
        const stop = reason();
        controller.abort(stop);
        fail(stop);
      },
      Math.max(0, ms),
    );
  const first = headersStop(bounds);
  let timer = arm(first.stop, first.ms);
  try {
    const sent = request(out.origin + out.path, {
      method: out.method as Dispatcher.HttpMethod,
      headers: out.headers,
      body: out.body,
      signal,
      dispatcher,
    });
    sent.catch(() => undefined);
    const response = await Promise.race([sent, expired]).catch((error: unknown) => {
      if (controller.signal.aborted) bounds.onAbandon();
      throw controller.signal.aborted ? (controller.signal.reason as Error) : error;
    });
    const headers = flatHeaders(response.headers);
    const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    if (declared !== undefined && declared > bounds.maxBytes) {
      response.body.destroy();
      throw new Stop('too-large', bounds.maxBytes);
    }
    clearTimeout(timer);
    timer = arm(() => new Stop('deadline', 0), bounds.deadline - Date.now());
    const text = await Promise.race([collect(response.body, bounds.maxBytes), expired]).catch((error: unknown) => {
      response.body.destroy();
      throw controller.signal.aborted && !(error instanceof Stop) ? (controller.signal.reason as Error) : error;
    });
    return { status: response.statusCode, headers, text };
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `out` and reads its answer within `bounds`, on `dispatch` where this undici has it (Bun's has not). */
export function exchange(dispatcher: Dispatcher, out: Outgoing, bounds: Bounds): Promise<Received> {
  return typeof dispatcher.dispatch === 'function' ? dispatchExchange(dispatcher, out, bounds) : requestExchange(dispatcher, out, bounds);
}
