/**
 * The one HTTP transport every client uses: undici with a keep-alive pool per origin, a timeout
 * per attempt, retries with jittered backoff inside a total deadline, and typed errors.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { SDK_VERSION } from '../version.js';
import {
  AbortedError,
  ApiError,
  ConnectionError,
  InvalidResponseError,
  TimeoutError,
} from './errors.js';
import {
  RETRYABLE_STATUSES,
  backoffMs,
  errorCode,
  isConnectionFailure,
  neverSent,
  retryAfterSeconds,
  sleep,
  type RetryPolicy,
} from './retry.js';

export type QueryValue = string | number | boolean | null | undefined;

/** One API call, described before it is sent. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path with every dynamic segment already encoded. */
  path: string;
  query?: Record<string, QueryValue | readonly string[]> | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /**
   * True when sending it twice has the effect of sending it once (GET, absolute updates). Others
   * are retried only when the request provably never reached the server.
   */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

export interface TransportOptions {
  host: string;
  timeoutMs: number;
  retry: RetryPolicy;
  dispatcher?: Dispatcher | undefined;
  userAgent?: string | undefined;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const USER_AGENT = `posthog-conversations/${SDK_VERSION} (node ${typeof process === 'object' ? process.version : 'unknown'})`;

// Paths come from this SDK with every dynamic segment encoded, so plain concatenation is safe (and cheaper than URL).
function buildUrl(origin: string, spec: RequestSpec): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value === undefined || value === null) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const query = params.toString();
  return query === '' ? origin + spec.path : `${origin}${spec.path}?${query}`;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const isTimeout = (error: unknown): boolean => TIMEOUT_CODES.has(errorCode(error) ?? '');

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return undefined;
  const looksJson = contentType?.includes('json') || /^\s*[[{"]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // kept raw: the caller decides whether a non-JSON answer is an error
  }
}

export class Transport {
  readonly host: string;
  readonly #origin: string;
  readonly #options: TransportOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closing: Promise<void> | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.host = options.host;
    this.#origin = options.host.replace(/\/+$/, '');
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  }

  /** Sends the request (retrying as the policy allows) and returns the parsed 2xx body. */
  async send(spec: RequestSpec): Promise<{ status: number; body: unknown }> {
    const policy = this.#options.retry;
    const deadline = Date.now() + policy.deadlineMs;
    for (let attempt = 0; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.#attempt(spec, deadline);
      } catch (error) {
        const timedOut = isTimeout(error) && !spec.signal?.aborted;
        const canRetry = (isConnectionFailure(error) || timedOut) && (spec.idempotent || neverSent(error));
        const wait = backoffMs(policy, attempt);
        if (!canRetry || attempt >= policy.maxRetries || Date.now() + wait >= deadline) throw this.#wrap(error, spec);
        await this.#pause(wait, spec);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return { status: answer.status, body: answer.body };
      const retryAfter = answer.status === 429 || answer.status === 503 ? retryAfterSeconds(answer.headers['retry-after'], answer.body) : undefined;
      const error = ApiError.from({ status: answer.status, method: spec.method, path: spec.path, body: answer.body, retryAfter });
      // DRF throttles run before the view, so a 429 proves a POST was not processed either.
      const safe = spec.idempotent || answer.status === 429;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(policy, attempt);
      if (!safe || !RETRYABLE_STATUSES.has(answer.status) || attempt >= policy.maxRetries || Date.now() + wait >= deadline) throw error;
      await this.#pause(wait, spec);
    }
  }

  /** Closes the connection pool this transport created (a dispatcher you passed in stays yours to close). Safe to call twice. */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher) return;
    this.#closing ??= this.#dispatcher.close();
    await this.#closing;
  }

  async #attempt(spec: RequestSpec, deadline: number): Promise<Answer> {
    const timeoutMs = Math.max(1, Math.min(this.#options.timeoutMs, deadline - Date.now()));
    // undici's own timers bound the wait for headers and for each body chunk; a signal is passed
    // only when the caller gave one, since undici's abort wiring costs more than the rest of a call.
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent ?? USER_AGENT,
      accept: 'application/json',
      ...spec.headers,
    };
    let payload: string | null = null;
    if (spec.body !== undefined) {
      payload = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    const response = await request(buildUrl(this.#origin, spec), {
      method: spec.method,
      headers,
      body: payload,
      signal: spec.signal ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: this.#dispatcher,
    });
    const text = await response.body.text();
    const contentType = response.headers['content-type'];
    const body = parseBody(text, Array.isArray(contentType) ? contentType[0] : contentType);
    if (response.statusCode >= 200 && response.statusCode < 300 && typeof body === 'string') {
      throw new InvalidResponseError(`${spec.method} ${spec.path} answered ${response.statusCode} with a body that is not JSON`, {
        status: response.statusCode,
        path: spec.path,
        body: text.slice(0, 500),
      });
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  async #pause(ms: number, spec: RequestSpec): Promise<void> {
    try {
      await sleep(ms, spec.signal);
    } catch (error) {
      throw this.#wrap(error, spec);
    }
  }

  #wrap(error: unknown, spec: RequestSpec): Error {
    if (error instanceof InvalidResponseError || error instanceof ApiError) return error;
    const where = `${spec.method} ${spec.path}`;
    if (spec.signal?.aborted) return new AbortedError(`${where} was aborted by the caller`, { cause: spec.signal.reason });
    if (isTimeout(error)) {
      return new TimeoutError(`${where} got no answer within ${this.#options.timeoutMs} ms`, { cause: error });
    }
    if (isConnectionFailure(error)) {
      return new ConnectionError(`${where} failed to connect to ${this.host} (${String((error as Error).message)})`, { cause: error });
    }
    return new ConnectionError(`${where} failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
  }
}
