/** Retry policy: which failures are retried, and how long to wait. */

/**
 * How failed calls are retried; `retry: false` turns retries off. Every attempt and wait together
 * stay inside the call's `deadlineMs`.
 */
export interface RetryOptions {
  /** Retries after the first attempt: a whole number from 0 to 10. Default 2. */
  maxRetries?: number | undefined;
  /** First backoff step, before jitter. Default 250 ms. */
  initialDelayMs?: number | undefined;
  /** Cap of one backoff step. Default 8000 ms. (A server's `Retry-After` is honoured as long as it fits in `deadlineMs`.) */
  maxDelayMs?: number | undefined;
}

export type RetryPolicy = { [K in keyof RetryOptions]-?: number };

export const RETRY_OPTION_KEYS = ['maxRetries', 'initialDelayMs', 'maxDelayMs'] as const;
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, initialDelayMs: 250, maxDelayMs: 8000 };
export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxRetries: 0 };

/** Statuses worth another try for a call that is safe to repeat. */
export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

// Connection failures that happen before a byte of the request is written: safe to retry even for a POST.
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// Failures after the request may have reached the server: retried only for idempotent calls.
// FETCH_FAILED: a fetch that rejected without an answer (exchange-fetch.ts); fetch does not say whether it was sent.
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT', 'FETCH_FAILED']);

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

/** True when the request provably never reached the server. */
export function neverSent(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NEVER_SENT_CODES.has(code);
}

/** True for a connection failure (whether or not the request was sent). */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (NEVER_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code));
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, initial * 2^attempt)]. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
}

/**
 * Seconds to wait, from a `Retry-After` header (seconds or an HTTP date) or, since PostHog's 429
 * carries no header, from its body: "Request was throttled. Expected available in N seconds."
 */
export function retryAfterSeconds(header: string | string[] | undefined, body: unknown, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  const detail = (body as { detail?: unknown } | null)?.detail;
  const match = typeof detail === 'string' ? /available in (\d+(?:\.\d+)?) seconds?/.exec(detail) : null;
  return match ? Number(match[1]) : undefined;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
