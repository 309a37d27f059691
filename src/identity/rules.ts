/**
 * The input rules the server applies to identities, mirrored exactly so a value we sign is a value
 * the server can verify. The server reads identity fields through Django REST Framework's
 * `CharField`, which strips surrounding whitespace with Python's `str.strip()`, rejects NUL and lone
 * surrogates, and counts `max_length` in code points; then it HMACs what is left.
 */
import { ConfigurationError, ValidationError, describeType } from '../basics/errors.js';

/** The server's `max_length` for `identity_distinct_id`, in Unicode code points. */
export const MAX_DISTINCT_ID_LENGTH = 400;

/** Python's `str.isspace()` set: what `str.strip()` removes from either end. */
export function isPythonWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `str.strip()` as Python does it (JavaScript's `trim()` uses a different set of characters). */
export function pythonStrip(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isPythonWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isPythonWhitespace(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Well-formed UTF-16: native where the runtime has it, a regular expression elsewhere. */
export const isWellFormed: (value: string) => boolean =
  typeof String.prototype.isWellFormed === 'function' ? (value) => value.isWellFormed() : (value) => !LONE_SURROGATE.test(value);

/** Python's `len`: Unicode code points, which is how the server counts `max_length`. */
export function codePointLength(value: string): number {
  let pairs = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) pairs++;
  }
  return value.length - pairs;
}

/**
 * Checks the text rules shared by every identity part and returns an error message, or `undefined`
 * when the text is acceptable. Kept apart from the hot path, which only calls it on a rare input.
 */
export function textProblem(value: string, field: string, maxLength: number): string | undefined {
  if (value.length === 0) return `${field} must not be empty`;
  if (!isWellFormed(value)) {
    return `${field} contains a lone UTF-16 surrogate; the server cannot decode it, so it would never verify. Pass well-formed text`;
  }
  if (value.includes('\0')) return `${field} contains a NUL character, which the server rejects`;
  if (isPythonWhitespace(value.charCodeAt(0)) || isPythonWhitespace(value.charCodeAt(value.length - 1))) {
    return `${field} has leading or trailing whitespace; the server strips it before verifying, so this value would never verify. Trim it where you store it`;
  }
  if (value.length > maxLength && codePointLength(value) > maxLength) {
    return `${field} must be at most ${maxLength} characters (Unicode code points), got ${codePointLength(value)}`;
  }
  return undefined;
}

/**
 * Returns the distinct id as the server will see it, or throws a {@link ValidationError}.
 * A safe integer is accepted and converted with `String()` (`42` → `"42"`), the same text
 * posthog-js sends for it. The common case (a short, clean string) costs a few comparisons.
 */
export function toDistinctId(value: unknown, field = 'distinctId'): string {
  if (typeof value === 'string') {
    const last = value.length - 1;
    if (
      last >= 0 &&
      last < MAX_DISTINCT_ID_LENGTH &&
      !isPythonWhitespace(value.charCodeAt(0)) &&
      !isPythonWhitespace(value.charCodeAt(last)) &&
      isWellFormed(value) &&
      !value.includes('\0')
    ) {
      return value;
    }
    const problem = textProblem(value, field, MAX_DISTINCT_ID_LENGTH);
    if (problem === undefined) return value;
    throw new ValidationError(field, problem);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new ValidationError(
    field,
    `${field} must be a non-empty string of at most ${MAX_DISTINCT_ID_LENGTH} characters (or a safe integer), got ${describeType(value)}`,
  );
}

/** Like {@link toDistinctId} but answers `undefined` instead of throwing: for verifying untrusted input. */
export function tryDistinctId(value: unknown): string | undefined {
  try {
    return toDistinctId(value);
  } catch {
    return undefined;
  }
}

const WHERE_TO_FIND = "Use the project's Secret API key (phs_...) from PostHog's Support settings (identity verification)";

/**
 * Throws a {@link ConfigurationError} unless `secret` can be the key the server verifies with.
 * Messages describe the problem and never include the secret, not even a part of it.
 */
export function assertSecret(secret: unknown, field = 'secret'): asserts secret is string {
  if (typeof secret !== 'string') {
    throw new ConfigurationError(`${field} must be a string, got ${describeType(secret)}. ${WHERE_TO_FIND}.`);
  }
  if (secret.length === 0) {
    throw new ConfigurationError(`${field} is empty (is the environment variable set?). ${WHERE_TO_FIND}.`);
  }
  if (secret.startsWith('phc_')) {
    throw new ConfigurationError(
      `${field} looks like a public project API key (phc_...). That key is published in every page, so anyone could forge identities with it, and the server does not accept it. ${WHERE_TO_FIND}.`,
    );
  }
  if (secret.startsWith('phx_')) {
    throw new ConfigurationError(
      `${field} looks like a personal API key (phx_...), which the widget does not verify with. ${WHERE_TO_FIND}.`,
    );
  }
  if (isPythonWhitespace(secret.charCodeAt(0)) || isPythonWhitespace(secret.charCodeAt(secret.length - 1))) {
    throw new ConfigurationError(
      `${field} has leading or trailing whitespace, often a stray newline from an .env file or 'echo'. The server signs with the exact key, so every hash would mismatch: trim it.`,
    );
  }
  if (!isWellFormed(secret)) {
    throw new ConfigurationError(`${field} contains a lone UTF-16 surrogate and cannot be the key the server holds.`);
  }
}
