/**
 * The exchanger on undici, for Node.js: a keep-alive pool, and one timer per exchange. undici's own
 * timers are not enough on their own: they fire up to a second late (measured: 300 ms -> 1004 ms),
 * `headersTimeout` starts again at every informational answer (a 103 every 500 ms kept a call
 * alive for a minute), and a connection being made (TCP, TLS) is bounded only by the connector's
 * own timeout, whatever the request's signal says.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { type Bounds, type Exchanger, headersStop, type Outgoing, type Received, Stop } from './exchange.js';

/** Told when an exchange gave up while undici still held the request (the pool should not wait for it). */
type OnAbandon = () => void;

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
 * The exchange on undici's `dispatch`: one handler collects the final answer (informational ones
 * are passed over), caps the body as it arrives, and one timer, re-armed once the headers came,
 * aborts it. The promise settles when the timer fires even if undici is still connecting.
 */
function dispatchExchange(dispatcher: Dispatcher, out: Outgoing, bounds: Bounds, onAbandon: OnAbandon): Promise<Received> {
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
      else onAbandon(); // still connecting: undici lets go of it later, on its own
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
async function requestExchange(dispatcher: Dispatcher, out: Outgoing, bounds: Bounds, onAbandon: OnAbandon): Promise<Received> {
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
      if (controller.signal.aborted) onAbandon();
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

// Bun answers `import 'undici'` with a module of its own whose Agent has no close() or dispatch()
// (found by running the runtime matrix): there it sends through request().
const UNDICI_HAS_CLOSE = typeof (Agent.prototype as { close?: unknown }).close === 'function';

/**
 * Sends on `dispatcher` (yours to close), or on a keep-alive pool of its own, closed by `close()`.
 * A connection attempt the timer gave up on still ends by itself, no later than `connectTimeoutMs`.
 */
export function undiciExchanger(dispatcher: Dispatcher | undefined, connectTimeoutMs: number): Exchanger {
  const owned = dispatcher === undefined;
  const pool = dispatcher ?? new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connect: { timeout: connectTimeoutMs } });
  const send = typeof pool.dispatch === 'function' ? dispatchExchange : requestExchange;
  // Set once an exchange was given up while undici still held it (a connection being made): close()
  // then destroys the pool instead of waiting for it.
  let abandoned = false;
  const onAbandon = () => {
    abandoned = true;
  };
  let closing: Promise<void> | undefined;
  return {
    exchange: (out, bounds) => send(pool, out, bounds, onAbandon),
    close: async () => {
      if (!owned) return;
      closing ??= !UNDICI_HAS_CLOSE ? Promise.resolve() : abandoned ? pool.destroy() : pool.close();
      await closing;
    },
  };
}
