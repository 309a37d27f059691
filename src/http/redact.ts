/**
 * Masks secrets in what a server sends back, before it reaches an error message or field: a
 * proxy or a misbehaving server may echo a request header or a key in its body.
 */

// PostHog's key shapes (project, personal, secret, and the rest of the ph?_ family) and bearer values.
const KEY_PATTERN = /\bph[a-z]_[A-Za-z0-9_-]{6,}/g;
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const MASK = '***';

/**
 * The forms a secret may come back in: as sent, without its `ph?_` prefix (a server that echoes
 * only the random part), and with its underscores escaped (`%5F`, `\u005f`), longest first.
 */
function variantsOf(secret: string): string[] {
  const random = /^ph[a-z]_/.test(secret) ? secret.slice(4) : secret;
  const forms = new Set([secret]);
  if (random.length >= 8) forms.add(random);
  for (const escaped of ['%5F', '%5f', '\\u005f', '\\u005F']) {
    forms.add(secret.replaceAll('_', escaped));
    if (random.length >= 8) forms.add(random.replaceAll('_', escaped));
  }
  return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every known secret (in any form it may be echoed in) and every key- or bearer-shaped run in `text` with `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) for (const form of variantsOf(secret)) if (out.includes(form)) out = out.split(form).join(MASK);
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
