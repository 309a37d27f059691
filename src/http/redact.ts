/**
 * Masks secrets in what a server sends back, before it reaches an error message or field: a
 * proxy or a misbehaving server may echo a request header or a key in its body.
 */

// PostHog's key shapes (project, personal, secret, and the rest of the ph?_ family) and bearer values.
const KEY_PATTERN = /\bph[a-z]_[A-Za-z0-9_-]{6,}/g;
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const MASK = '***';

/** Replaces every known secret and every key- or bearer-shaped run in `text` with `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(MASK);
  return out.replace(KEY_PATTERN, (key) => `${key.slice(0, 4)}${MASK}`).replace(BEARER_PATTERN, (_, scheme: string) => `${scheme} ${MASK}`);
}

/** {@link redactText} applied to every string (keys included) of a parsed JSON value; other values are kept. */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 32) return '[nested too deep]'; // not walked, so not kept either
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[redactText(key, secrets)] = redactValue(item, secrets, depth + 1);
  return out;
}
