/**
 * The one request path every client uses: undici with a keep-alive pool, authentication from the
 * client's credentials, a timeout per attempt, one deadline over the whole call (body included),
 * a byte cap on every answer, retries with jittered backoff, response validation and typed errors.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { SDK_VERSION } from '../version.js';
import type { AuthKind, Credentials } from './credentials.js';
import {
  AbortedError,
  ApiError,
  ConnectionError,
  InvalidResponseError,
  ResponseTooLargeError,
  TimeoutError,
} from './errors.js';
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
  dispatcher?: Dispatcher | undefined;
  userAgent?: string | undefined;
  /** Where a 2xx answer with fields the SDK's types do not expect is reported (the call still succeeds). */
  onUnexpectedResponse: (report: UnexpectedResponseReport) => void;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Why a call stopped early; turned into a typed error by `#wrap`. */
class Stop extends Error {
  constructor(readonly reason: 'deadline' | 'timeout' | 'too-large', readonly detail: number) {
    super(reason);
  }
}

const USER_AGENT = `posthog-conversations/${SDK_VERSION} (node ${typeof process === 'object' ? process.version : 'unknown'})`;
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** Our own reason for stopping, thrown as is or as the cause of an error the HTTP layer wraps it in. */
const stopOf = (error: unknown): Stop | undefined => [error, (error as { cause?: unknown } | null)?.cause].find((e): e is Stop => e instanceof Stop);
const isTimeout = (error: unknown): boolean => TIMEOUT_CODES.has(errorCode(error) ?? '') || stopOf(error)?.reason === 'timeout';

// Bun answers `import 'undici'` with a module of its own whose request() ignores headersTimeout and
// bodyTimeout and whose Agent has no close() (found by running the runtime matrix). There the
// timeouts are enforced with a signal of ours instead.
const UNDICI_HAS_TIMERS = typeof (Agent.prototype as { close?: unknown }).close === 'function';
// undici's timers tick about every 500 ms and fire up to a second late (measured: 300 ms -> 1004 ms).
// That is fine for timeoutMs, not for the deadline: an attempt that could outlive it uses our timer.
const UNDICI_TIMER_SLACK_MS = 1000;

/** A signal that aborts an attempt whose answer is late, re-armed for the body with the call's deadline. */
class AttemptTimer {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly signal: AbortSignal;

  constructor(timeoutMs: number, remainingMs: number, callerSignal: AbortSignal | undefined) {
    this.signal = callerSignal === undefined ? this.#controller.signal : AbortSignal.any([callerSignal, this.#controller.signal]);
    this.#arm(remainingMs <= timeoutMs ? new Stop('deadline', 0) : new Stop('timeout', timeoutMs), Math.min(timeoutMs, remainingMs));
  }

  /** The headers came: from now on only the call's deadline bounds the body. */
  headersArrived(deadline: number): void {
    this.#arm(new Stop('deadline', 0), deadline - Date.now());
  }

  clear(): void {
    clearTimeout(this.#timer);
  }

  #arm(reason: Stop, ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#controller.abort(reason), Math.max(0, ms));
  }
}

// Paths come from this SDK with every dynamic segment encoded, so plain concatenation is safe (and cheaper than URL).
function buildUrl(base: string, call: ApiCall<z.ZodType>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const query = params.toString();
  return query === '' ? base + call.path : `${base}${call.path}?${query}`;
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

/** Response headers as single strings, without `set-cookie` (nothing of ours, but possibly a session). */
function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name !== 'set-cookie') out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Collects a body without a declared length, stopping it as soon as it passes the cap. */
function collect(body: Dispatcher.ResponseData['body'], cap: number): Promise<string> {
  // Plain listeners: an async iterator costs measurably more per call than the rest of readBody.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) body.destroy(new Stop('too-large', cap));
      else chunks.push(chunk);
    });
    body.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    body.on('error', reject);
  });
}

/** Reads a body within the byte cap and the call's deadline, without buffering past either. */
async function readBody(body: Dispatcher.ResponseData['body'], headers: Record<string, string>, deadline: number, cap: number): Promise<string> {
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (declared !== undefined && declared > cap) {
    body.destroy();
    throw new Stop('too-large', cap);
  }
  const timer = setTimeout(() => body.destroy(new Stop('deadline', 0)), Math.max(0, deadline - Date.now()));
  try {
    // A declared length within the cap is enforced by the HTTP parser: read it the fast way.
    return await (declared !== undefined ? body.text() : collect(body, cap));
  } finally {
    clearTimeout(timer);
  }
}

export class Transport {
  readonly host: string;
  readonly #base: string;
  readonly #options: TransportOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closing: Promise<void> | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.host = options.host;
    this.#base = options.host.replace(/\/+$/, '');
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  }

  /** The client's credentials (for paths that embed the project id). */
  get credentials(): Credentials {
    return this.#options.credentials;
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
      const retryAfter = answer.status === 429 || answer.status === 503 ? retryAfterSeconds(answer.headers['retry-after'], answer.body) : undefined;
      const error = this.#apiError(call, answer, retryAfter);
      // DRF throttles run before the view, so a 429 proves a POST was not processed either.
      const safe = call.idempotent || answer.status === 429;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(retry, attempt);
      if (!safe || !RETRYABLE_STATUSES.has(answer.status) || attempt >= retry.maxRetries || Date.now() + wait >= deadline) throw error;
      await this.#pause(wait, call, policy);
    }
  }

  /** Closes the connection pool this transport created (a dispatcher you passed in stays yours to close). Safe to call twice. */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher) return;
    this.#closing ??= UNDICI_HAS_TIMERS ? this.#dispatcher.close() : Promise.resolve();
    await this.#closing;
  }

  async #attempt(call: ApiCall<z.ZodType>, extra: Record<string, string>, policy: CallPolicy, deadline: number): Promise<Answer> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Stop('deadline', 0);
    // undici's own timers bound the wait for headers and for each body chunk, and readBody the
    // whole body; a signal is passed only when the caller gave one, since undici's abort wiring
    // costs more than the rest of a call.
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, remaining));
    const headers: Record<string, string> = { 'user-agent': this.#options.userAgent ?? USER_AGENT, accept: 'application/json', ...extra };
    let payload: string | null = null;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const ownTimer = !UNDICI_HAS_TIMERS || remaining < policy.timeoutMs + UNDICI_TIMER_SLACK_MS;
    const timer = ownTimer ? new AttemptTimer(policy.timeoutMs, remaining, policy.signal) : undefined;
    let text: string;
    let response: Dispatcher.ResponseData;
    let responseHeaders: Record<string, string>;
    try {
      response = await request(buildUrl(this.#base, call), {
        method: call.method,
        headers,
        body: payload,
        signal: timer?.signal ?? policy.signal ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        dispatcher: this.#dispatcher,
      });
      timer?.headersArrived(deadline);
      responseHeaders = flatHeaders(response.headers);
      text = await readBody(response.body, responseHeaders, deadline, this.#options.maxResponseBytes);
    } catch (error) {
      // An abort of ours arrives as the signal's reason, or wrapped: give #wrap the reason.
      const reason = timer?.signal.aborted && !policy.signal?.aborted ? timer.signal.reason : undefined;
      throw reason instanceof Stop ? reason : error;
    } finally {
      timer?.clear();
    }
    const body = parseBody(text, responseHeaders['content-type']);
    if (response.statusCode >= 200 && response.statusCode < 300 && typeof body === 'string') {
      throw new InvalidResponseError(`${call.method} ${call.path} answered ${response.statusCode} with a body that is not JSON`, {
        status: response.statusCode,
        path: call.path,
        body: redactText(text.slice(0, 500), this.#options.credentials.secrets),
      });
    }
    return { status: response.statusCode, headers: responseHeaders, body };
  }

  #apiError(call: ApiCall<z.ZodType>, answer: Answer, retryAfter: number | undefined): ApiError {
    const secrets = this.#options.credentials.secrets;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) headers[name] = redactText(value, secrets);
    return ApiError.from({ status: answer.status, method: call.method, path: call.path, body: redactValue(answer.body, secrets), headers, retryAfter });
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
      return new ResponseTooLargeError(`${where} answered with more than ${stop.detail} bytes (maxResponseBytes); the rest was not read`, stop.detail);
    }
    if (stop?.reason === 'deadline') return new TimeoutError(`${where} did not complete within ${policy.deadlineMs} ms (deadlineMs)`);
    if (isTimeout(error)) return new TimeoutError(`${where} got no answer within ${policy.timeoutMs} ms (timeoutMs)`, { cause: error });
    const message = redactText(String((error as Error)?.message ?? error), this.#options.credentials.secrets);
    if (isConnectionFailure(error)) return new ConnectionError(`${where} failed to connect to ${this.host} (${message})`, { cause: error });
    return new ConnectionError(`${where} failed: ${message}`, { cause: error });
  }
}
