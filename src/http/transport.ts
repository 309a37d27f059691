/**
 * The one request path every client uses: an exchanger (undici's keep-alive pool on Node.js, fetch
 * elsewhere), authentication from the client's credentials, a timeout per attempt, one deadline over the whole call (body included),
 * a byte cap on every answer, retries with jittered backoff, response validation and typed errors.
 */
import type * as z from 'zod';
import { SDK_VERSION } from '../basics/version.js';
import type { AuthKind, Credentials } from './credentials.js';
import { AbortedError, ApiError, ConnectionError, InvalidResponseError, ResponseTooLargeError, TimeoutError } from './errors.js';
import { type Exchanger, Stop } from './exchange.js';
import { redactText, redactValue } from './redact.js';
import { callPolicy, type CallPolicy, type RequestOptions } from './request-options.js';
import { RETRYABLE_STATUSES, backoffMs, errorCode, isConnectionFailure, neverSent, retryAfterSeconds, sleep } from './retry.js';
import type { UnexpectedResponseReport } from './tolerant.js';
import { parseResponse } from './validate.js';

export type QueryValue = string | number | boolean | null | undefined;

/** One API call, described before it is sent. */
export interface ApiCall<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path with every dynamic segment already encoded. */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  auth: AuthKind;
  /** Extra headers (`Origin`, a workflow id); values are checked by the caller. */
  headers?: Record<string, string> | undefined;
  /**
   * True when sending it twice has the effect of sending it once (GET, absolute updates). Others
   * are retried only when the request provably never reached the server.
   */
  idempotent: boolean;
  /** The shape of a 2xx body. */
  schema: S;
}

export interface TransportOptions {
  host: string;
  credentials: Credentials;
  defaults: Omit<CallPolicy, 'signal'>;
  maxResponseBytes: number;
  /** How the calls are sent (it holds the connections). */
  exchanger: Exchanger;
  userAgent?: string | undefined;
  /** Where a 2xx answer with fields the SDK's types do not expect is reported (the call still succeeds). */
  onUnexpectedResponse: (report: UnexpectedResponseReport) => void;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const runtime = typeof process === 'object' && typeof process?.versions?.node === 'string' ? `node ${process.version}` : 'fetch';
const USER_AGENT = `posthog-conversations/${SDK_VERSION} (${runtime})`;
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Our own reason for stopping, thrown as is or as the cause of an error the HTTP layer wraps it in. */
const stopOf = (error: unknown): Stop | undefined =>
  [error, (error as { cause?: unknown } | null)?.cause].find((e): e is Stop => e instanceof Stop);
const isTimeout = (error: unknown): boolean => TIMEOUT_CODES.has(errorCode(error) ?? '') || stopOf(error)?.reason === 'timeout';

// Paths come from this SDK with every dynamic segment encoded, so plain concatenation is safe (and cheaper than URL).
function buildPath(prefix: string, call: ApiCall<z.ZodType>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const query = params.toString();
  return query === '' ? prefix + call.path : `${prefix}${call.path}?${query}`;
}

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
  /** The host's origin, and its path (a reverse proxy's `/ingest`) put before every API path. */
  readonly #origin: string;
  readonly #prefix: string;
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.host = options.host;
    const url = new URL(options.host);
    this.#origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, '');
  }

  /** The client's `origin` option: sent as `Origin` on widget calls the server checks. */
  get origin(): string | undefined {
    return this.#options.credentials.origin;
  }

  /** `/api/projects/<id>/<suffix>` for the client's project, or a ConfigurationError saying `projectId` is missing. */
  projectPath(suffix: string): string {
    return this.#options.credentials.projectPath(suffix);
  }

  /** Sends the call (retrying as the policy allows) and returns its validated 2xx body. */
  async request<S extends z.ZodType>(call: ApiCall<S>, options?: RequestOptions): Promise<z.output<S>> {
    const policy = callPolicy(this.#options.defaults, options);
    const headers = { ...this.#options.credentials.headers(call.auth), ...call.headers };
    const answer = await this.#send(call, headers, policy);
    const where = { method: call.method, path: call.path, status: answer.status };
    return parseResponse(call.schema, answer.body, where, this.#options.credentials.secrets, this.#options.onUnexpectedResponse);
  }

  async #send(call: ApiCall<z.ZodType>, headers: Record<string, string>, policy: CallPolicy): Promise<Answer> {
    const deadline = Date.now() + policy.deadlineMs;
    const { retry, signal } = policy;
    for (let attempt = 0; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.#attempt(call, headers, policy, deadline);
      } catch (error) {
        const timedOut = isTimeout(error) && !signal?.aborted;
        const canRetry = (isConnectionFailure(error) || timedOut) && (call.idempotent || neverSent(error));
        const wait = backoffMs(retry, attempt);
        if (!canRetry || attempt >= retry.maxRetries || Date.now() + wait >= deadline) throw this.#wrap(error, call, policy);
        await this.#pause(wait, call, policy);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const retryAfter =
        answer.status === 429 || answer.status === 503 ? retryAfterSeconds(answer.headers['retry-after'], answer.body) : undefined;
      const error = this.#apiError(call, answer, retryAfter);
      // DRF throttles run before the view, so a 429 proves a POST was not processed either.
      const safe = call.idempotent || answer.status === 429;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(retry, attempt);
      if (!safe || !RETRYABLE_STATUSES.has(answer.status) || attempt >= retry.maxRetries || Date.now() + wait >= deadline) throw error;
      await this.#pause(wait, call, policy);
    }
  }

  /** Closes the connection pool this transport created (a dispatcher you passed in stays yours to close). Safe to call twice. */
  close(): Promise<void> {
    return this.#options.exchanger.close();
  }

  async #attempt(call: ApiCall<z.ZodType>, extra: Record<string, string>, policy: CallPolicy, deadline: number): Promise<Answer> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Stop('deadline', 0);
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, remaining));
    const headers: Record<string, string> = { 'user-agent': this.#options.userAgent ?? USER_AGENT, accept: 'application/json', ...extra };
    let payload: string | null = null;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const out = { origin: this.#origin, path: buildPath(this.#prefix, call), method: call.method, headers, body: payload };
    const bounds = { timeoutMs, deadline, maxBytes: this.#options.maxResponseBytes, signal: policy.signal };
    const { status, headers: responseHeaders, text } = await this.#options.exchanger.exchange(out, bounds);
    const body = parseBody(text, responseHeaders['content-type']);
    if (status >= 200 && status < 300 && typeof body === 'string') {
      throw new InvalidResponseError(`${call.method} ${call.path} answered ${status} with a body that is not JSON`, {
        status,
        path: call.path,
        body: redactText(text, this.#options.credentials.secrets).slice(0, 500), // masked before cutting: no key survives in part
      });
    }
    return { status, headers: responseHeaders, body };
  }

  #apiError(call: ApiCall<z.ZodType>, answer: Answer, retryAfter: number | undefined): ApiError {
    const secrets = this.#options.credentials.secrets;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) headers[name] = redactText(value, secrets);
    return ApiError.from({
      status: answer.status,
      method: call.method,
      path: call.path,
      body: redactValue(answer.body, secrets),
      headers,
      retryAfter,
    });
  }

  async #pause(ms: number, call: ApiCall<z.ZodType>, policy: CallPolicy): Promise<void> {
    try {
      await sleep(ms, policy.signal);
    } catch (error) {
      throw this.#wrap(error, call, policy);
    }
  }

  #wrap(error: unknown, call: ApiCall<z.ZodType>, policy: CallPolicy): Error {
    if (error instanceof InvalidResponseError || error instanceof ApiError) return error;
    const where = `${call.method} ${call.path}`;
    if (policy.signal?.aborted) return new AbortedError(`${where} was aborted by the caller`, { cause: policy.signal.reason });
    const stop = stopOf(error);
    if (stop?.reason === 'too-large') {
      return new ResponseTooLargeError(
        `${where} answered with more than ${stop.detail} bytes (maxResponseBytes); the rest was not read`,
        stop.detail,
      );
    }
    if (stop?.reason === 'deadline') return new TimeoutError(`${where} did not complete within ${policy.deadlineMs} ms (deadlineMs)`);
    if (isTimeout(error)) return new TimeoutError(`${where} got no answer within ${policy.timeoutMs} ms (timeoutMs)`, { cause: error });
    const message = redactText(String((error as Error)?.message ?? error), this.#options.credentials.secrets);
    if (isConnectionFailure(error)) return new ConnectionError(`${where} failed to connect to ${this.host} (${message})`, { cause: error });
    return new ConnectionError(`${where} failed: ${message}`, { cause: error });
  }
}
