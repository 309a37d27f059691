/**
 * Options every client method takes as its last argument, overriding the client's own for that
 * call (as openai-node and Stripe do), and the checks shared with `createClient`.
 */
import { ValidationError, describeType } from '../basics/errors.js';
import { RETRY_OPTION_KEYS, DEFAULT_RETRY, NO_RETRY, type RetryOptions, type RetryPolicy } from './retry.js';
import {
  assertInputKeys,
  assertKnownKeys,
  configurationError as configFail,
  validationError as inputFail,
  type MakeError as Fail,
} from '../basics/options.js';

/** Per-call options: the last argument of every client method. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait) when it fires: the call rejects with an `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Longest wait, per attempt, for the answer's headers and then between parts of its body. */
  timeoutMs?: number | undefined;
  /** Longest time for the whole call: every attempt, retry wait and the reading of the body. */
  deadlineMs?: number | undefined;
  /** Retries for this call, merged over the client's, or `false` for none. */
  retry?: RetryOptions | false | undefined;
}

/** What a call runs with once the client's and the call's options are merged. */
export interface CallPolicy {
  timeoutMs: number;
  deadlineMs: number;
  retry: RetryPolicy;
  signal: AbortSignal | undefined;
}

export const REQUEST_OPTION_KEYS = ['signal', 'timeoutMs', 'deadlineMs', 'retry'] as const;
const MAX_RETRIES = 10;
const MAX_MS = 2_147_483_647; // setTimeout's limit

function checkMs(value: unknown, name: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_MS) {
    throw fail(
      name,
      `${name} must be a positive number of milliseconds (at most ${MAX_MS}), got ${typeof value === 'number' ? value : describeType(value)}`,
    );
  }
  return value;
}

function checkRetry(retry: unknown, base: RetryPolicy, name: string, fail: Fail): RetryPolicy {
  if (retry === undefined) return base;
  if (retry === false) return NO_RETRY;
  if (typeof retry === 'object' && retry !== null && 'deadlineMs' in retry) {
    throw fail(
      `${name}.deadlineMs`,
      `${name}.deadlineMs has moved: deadlineMs is now an option of its own, beside retry (createClient({ deadlineMs }) or per call), and bounds the whole call`,
    );
  }
  assertKnownKeys(retry, RETRY_OPTION_KEYS, name, fail);
  const policy = { ...base };
  for (const key of RETRY_OPTION_KEYS) {
    const value = (retry as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const valid =
      key === 'maxRetries'
        ? Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RETRIES
        : typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_MS;
    if (!valid) {
      const range = key === 'maxRetries' ? `a whole number from 0 to ${MAX_RETRIES}` : 'a number of milliseconds >= 0';
      throw fail(`${name}.${key}`, `${name}.${key} must be ${range}, got ${typeof value === 'number' ? value : describeType(value)}`);
    }
    policy[key] = value as number;
  }
  return policy;
}

/** The client's defaults, from `createClient`'s options; mistakes are ConfigurationErrors. */
export function clientPolicy(options: { timeoutMs?: unknown; deadlineMs?: unknown; retry?: unknown }): Omit<CallPolicy, 'signal'> {
  const timeoutMs = checkMs(options.timeoutMs, 'timeoutMs', configFail) ?? 10_000;
  const deadlineMs = checkMs(options.deadlineMs, 'deadlineMs', configFail) ?? 30_000;
  return { timeoutMs, deadlineMs, retry: checkRetry(options.retry, DEFAULT_RETRY, 'retry', configFail) };
}

/** One call's policy: the client's, overridden by `options`; mistakes are ValidationErrors, before any I/O. */
export function callPolicy(base: Omit<CallPolicy, 'signal'>, options: RequestOptions | undefined): CallPolicy {
  if (options === undefined) return { ...base, signal: undefined };
  assertInputKeys(options, REQUEST_OPTION_KEYS, 'request options');
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ValidationError('signal', `signal must be an AbortSignal, got ${describeType(signal)}`);
  }
  return {
    timeoutMs: checkMs(options.timeoutMs, 'timeoutMs', inputFail) ?? base.timeoutMs,
    deadlineMs: checkMs(options.deadlineMs, 'deadlineMs', inputFail) ?? base.deadlineMs,
    retry: checkRetry(options.retry, base.retry, 'retry', inputFail),
    signal,
  };
}
