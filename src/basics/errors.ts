/**
 * Every error this SDK throws on purpose is a {@link PostHogConversationsError} with a stable
 * string `code`, so callers can branch on `err.code` without string-matching messages.
 * Messages say what to fix and never contain a secret.
 */

/** The one table of error codes: each class and its stable `code`, none ever renamed. */
export const ERROR_CODES = {
  ConfigurationError: 'ERR_CONFIGURATION',
  ValidationError: 'ERR_VALIDATION',
  ApiError: 'ERR_API',
  BadRequestError: 'ERR_BAD_REQUEST',
  AuthenticationError: 'ERR_AUTHENTICATION',
  PermissionError: 'ERR_PERMISSION',
  NotFoundError: 'ERR_NOT_FOUND',
  PayloadTooLargeError: 'ERR_PAYLOAD_TOO_LARGE',
  RateLimitedError: 'ERR_RATE_LIMITED',
  ServerError: 'ERR_SERVER',
  InvalidResponseError: 'ERR_INVALID_RESPONSE',
  ResponseTooLargeError: 'ERR_RESPONSE_TOO_LARGE',
  TimeoutError: 'ERR_TIMEOUT',
  ConnectionError: 'ERR_CONNECTION',
  AbortedError: 'ERR_ABORTED',
  IdempotencyStoreError: 'ERR_IDEMPOTENCY_STORE',
  // One class, one code per cause, so a receiver can answer or log each differently.
  WebhookVerificationError: [
    'ERR_WEBHOOK_MISSING_HEADER',
    'ERR_WEBHOOK_BAD_TIMESTAMP',
    'ERR_WEBHOOK_TOO_OLD',
    'ERR_WEBHOOK_TOO_NEW',
    'ERR_WEBHOOK_BAD_SIGNATURE',
    'ERR_WEBHOOK_BAD_PAYLOAD',
  ],
} as const;

type CodesOf<T> = T extends readonly (infer C)[] ? C : T;

/** Every code an error of this package can carry. */
export type PostHogConversationsErrorCode = CodesOf<(typeof ERROR_CODES)[keyof typeof ERROR_CODES]>;

/** Base class of every error thrown by posthog-conversations. */
export class PostHogConversationsError extends Error {
  override readonly name: string = 'PostHogConversationsError';
  readonly code: PostHogConversationsErrorCode;

  constructor(code: PostHogConversationsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The SDK is set up wrongly: a missing or malformed secret, the wrong kind of key, a bad option.
 * Fix the code or the environment; retrying will not help.
 *
 * @example
 * try { new IdentitySigner({ secret: process.env.POSTHOG_SECRET_API_TOKEN! }) }
 * catch (err) { if (err instanceof ConfigurationError) console.error(err.message) }
 */
export class ConfigurationError extends PostHogConversationsError {
  override readonly name = 'ConfigurationError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.ConfigurationError, message, options);
  }
}

/**
 * An argument was rejected before any work was done. `field` names the argument
 * (`distinctId`, `email`, `emailTtlSeconds`, …) so the message can be mapped to a form or a log field.
 */
export class ValidationError extends PostHogConversationsError {
  override readonly name = 'ValidationError';
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.ValidationError, message, options);
    this.field = field;
  }
}

/** A short description of a value's type for error messages; never prints the value itself. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (Number.isSafeInteger(value)) return 'a number';
    return Number.isInteger(value) ? 'an integer outside the safe range' : 'a non-integer number';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
