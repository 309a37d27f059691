/**
 * Errors of calls to PostHog. Each API error carries the HTTP status, the method and path (never
 * the query string, which can hold a widget session id), the response headers and the server's
 * parsed body. Request headers, and so every token, are never kept, and anything in a response
 * that looks like a key is masked (see redact.ts) before it reaches a message or a field.
 */
import { ERROR_CODES as C, PostHogConversationsError } from '../basics/errors.js';

/** What the server said, in either of its two error shapes, reduced to one line. */
function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === 'string') return record.detail; // {"type","code","detail","attr"}
  if (typeof record.error === 'string') {
    return record.details === undefined ? record.error : `${record.error}: ${JSON.stringify(record.details)}`;
  }
  if (record.error !== undefined) return JSON.stringify(record.error); // {"error": {field: [...]}}
  return undefined;
}

/** What an {@link ApiError} is made from. */
export interface ApiErrorInit {
  status: number;
  method: string;
  path: string;
  body: unknown;
  /** The response headers (without `set-cookie`). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Seconds to wait before retrying, from `Retry-After` or the throttle's message. */
  retryAfter?: number | undefined;
}

/** The server answered with an error status. Subclasses name the status family; `code` is stable. */
export class ApiError extends PostHogConversationsError {
  override readonly name: string = 'ApiError';
  override readonly code: ApiErrorCode = C.ApiError;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The server's response body, parsed as JSON when it was JSON. */
  readonly body: unknown;
  /** The response headers, lowercase names (without `set-cookie`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ApiErrorInit) {
    const said = serverMessage(init.body);
    super(C.ApiError, `${init.method} ${init.path} answered ${init.status}${said === undefined ? '' : `: ${said}`}`);
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
    this.headers = init.headers ?? {};
  }

  /** The server's request id (`x-request-id`), to quote when you ask PostHog about a failed call. */
  get requestId(): string | undefined {
    return this.headers['x-request-id'];
  }

  /** The subclass for a status (and, for 403, the body: the widget answers a bad token with 403). */
  static from(init: ApiErrorInit): ApiError {
    const { status, body } = init;
    if (status === 400 || status === 422) return new BadRequestError(init);
    if (status === 401) return new AuthenticationError(init);
    if (status === 403) return isAuthenticationFailure(body) ? new AuthenticationError(init) : new PermissionError(init);
    if (status === 404) return new NotFoundError(init);
    if (status === 413) return new PayloadTooLargeError(init);
    if (status === 429) return new RateLimitedError(init);
    if (status >= 500) return new ServerError(init);
    return new ApiError(init);
  }
}

function isAuthenticationFailure(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as Record<string, unknown>;
  // PostHog answers both kinds of 403 with type "authentication_error"; the code tells them apart.
  return record.code === 'authentication_failed' || record.code === 'not_authenticated' || record.error === 'Authentication required';
}

type ApiErrorCode = (typeof C)[
  | 'ApiError'
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'PermissionError'
  | 'NotFoundError'
  | 'PayloadTooLargeError'
  | 'RateLimitedError'
  | 'ServerError'];

// One line each: the class says the family, `code` is the stable name to branch on.
/** 400: the server refused the request's content; `body.details` (or `body.attr`) says which fields. */
export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  override readonly code = C.BadRequestError;
}
/** 401, or the widget's 403 for a missing or unknown public token (or conversations disabled). */
export class AuthenticationError extends ApiError {
  override readonly name = 'AuthenticationError';
  override readonly code = C.AuthenticationError;
}
/** 403: authenticated, but not allowed (a bad identity hash, someone else's ticket, an origin not allowed, a missing scope). */
export class PermissionError extends ApiError {
  override readonly name = 'PermissionError';
  override readonly code = C.PermissionError;
}
/** 404. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  override readonly code = C.NotFoundError;
}
/** 413: the request body was larger than the server accepts. */
export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  override readonly code = C.PayloadTooLargeError;
}
/** 5xx. */
export class ServerError extends ApiError {
  override readonly name = 'ServerError';
  override readonly code = C.ServerError;
}

/** 429. `retryAfter` is the number of seconds the server asked for, when it said. */
export class RateLimitedError extends ApiError {
  override readonly name = 'RateLimitedError';
  override readonly code = C.RateLimitedError;
  readonly retryAfter: number | undefined;
  constructor(init: ApiErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** A 2xx response that was not the JSON this SDK expects (malformed, or a shape from an incompatible server). */
export class InvalidResponseError extends PostHogConversationsError {
  override readonly name = 'InvalidResponseError';
  readonly status: number;
  readonly path: string;
  readonly body: unknown;
  constructor(message: string, init: { status: number; path: string; body: unknown; cause?: unknown }) {
    super(C.InvalidResponseError, message, { cause: init.cause });
    this.status = init.status;
    this.path = init.path;
    this.body = init.body;
  }
}

/** The response was larger than `maxResponseBytes`; the rest was not read. */
export class ResponseTooLargeError extends PostHogConversationsError {
  override readonly name = 'ResponseTooLargeError';
  readonly limit: number;
  constructor(message: string, limit: number) {
    super(C.ResponseTooLargeError, message);
    this.limit = limit;
  }
}

/** No answer within `timeoutMs` (per attempt), or the call did not finish within `deadlineMs`. */
export class TimeoutError extends PostHogConversationsError {
  override readonly name = 'TimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(C.TimeoutError, message, options);
  }
}

/** The connection failed or was reset. */
export class ConnectionError extends PostHogConversationsError {
  override readonly name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(C.ConnectionError, message, options);
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends PostHogConversationsError {
  override readonly name = 'AbortedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(C.AbortedError, message, options);
  }
}
