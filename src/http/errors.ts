/**
 * Errors of calls to PostHog. Each API error carries the HTTP status, the method and path (never
 * the query string, which can hold a widget session id), and the server's parsed body.
 * Request headers, and so every token, are never kept.
 */
import { PosthogConversationsError, type PosthogConversationsErrorCode } from '../errors.js';

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
  /** Seconds to wait before retrying, from `Retry-After` or the throttle's message. */
  retryAfter?: number | undefined;
}

/** The server answered with an error status. Subclasses name the status family; `code` is stable. */
export class ApiError extends PosthogConversationsError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The server's response body, parsed as JSON when it was JSON. */
  readonly body: unknown;

  constructor(code: PosthogConversationsErrorCode, init: ApiErrorInit) {
    const said = serverMessage(init.body);
    super(code, `${init.method} ${init.path} answered ${init.status}${said === undefined ? '' : `: ${said}`}`);
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
  }

  /** The subclass for a status (and, for 403, the body: the widget answers a bad token with 403). */
  static from(init: ApiErrorInit): ApiError {
    const { status, body } = init;
    if (status === 400 || status === 422) return new BadRequestError(init);
    if (status === 401) return new AuthenticationError(init);
    if (status === 403) return isAuthenticationFailure(body) ? new AuthenticationError(init) : new PermissionError(init);
    if (status === 404) return new NotFoundError(init);
    if (status === 429) return new RateLimitedError(init);
    if (status >= 500) return new ServerError(init);
    return new ApiError('ERR_API', init);
  }
}

function isAuthenticationFailure(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as Record<string, unknown>;
  // PostHog answers both kinds of 403 with type "authentication_error"; the code tells them apart.
  return record.code === 'authentication_failed' || record.code === 'not_authenticated' || record.error === 'Authentication required';
}

/** 400: the server refused the request's content; `body.details` says which fields. */
export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  constructor(init: ApiErrorInit) {
    super('ERR_BAD_REQUEST', init);
  }
}

/** 401, or the widget's 403 for a missing or unknown public token (or conversations disabled). */
export class AuthenticationError extends ApiError {
  override readonly name = 'AuthenticationError';
  constructor(init: ApiErrorInit) {
    super('ERR_AUTHENTICATION', init);
  }
}

/** 403: authenticated, but not allowed (a bad identity hash, someone else's ticket, an origin not allowed, a missing scope). */
export class PermissionError extends ApiError {
  override readonly name = 'PermissionError';
  constructor(init: ApiErrorInit) {
    super('ERR_PERMISSION', init);
  }
}

/** 404. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(init: ApiErrorInit) {
    super('ERR_NOT_FOUND', init);
  }
}

/** 429. `retryAfter` is the number of seconds the server asked for, when it said. */
export class RateLimitedError extends ApiError {
  override readonly name = 'RateLimitedError';
  readonly retryAfter: number | undefined;
  constructor(init: ApiErrorInit) {
    super('ERR_RATE_LIMITED', init);
    this.retryAfter = init.retryAfter;
  }
}

/** 5xx. */
export class ServerError extends ApiError {
  override readonly name = 'ServerError';
  constructor(init: ApiErrorInit) {
    super('ERR_SERVER', init);
  }
}

/** A 2xx response that was not the JSON this SDK expects (malformed, or a shape from an incompatible server). */
export class InvalidResponseError extends PosthogConversationsError {
  override readonly name = 'InvalidResponseError';
  readonly status: number;
  readonly path: string;
  readonly body: unknown;
  constructor(message: string, init: { status: number; path: string; body: unknown; cause?: unknown }) {
    super('ERR_INVALID_RESPONSE', message, { cause: init.cause });
    this.status = init.status;
    this.path = init.path;
    this.body = init.body;
  }
}

/** No answer within `timeoutMs` (per attempt) or the retry deadline. */
export class TimeoutError extends PosthogConversationsError {
  override readonly name = 'TimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TIMEOUT', message, options);
  }
}

/** The connection failed or was reset. */
export class ConnectionError extends PosthogConversationsError {
  override readonly name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONNECTION', message, options);
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends PosthogConversationsError {
  override readonly name = 'AbortedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_ABORTED', message, options);
  }
}
