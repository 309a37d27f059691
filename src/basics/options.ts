/**
 * Strict options: an unknown key is an error at once that names it and the nearest known key, so
 * a typo (`previousSecret`, `stauts`) never silently drops what the user meant.
 */
import { ConfigurationError, ValidationError, describeType } from './errors.js';

/** Keys this SDK had under another name, so the error can say where they went. */
const RENAMED: Readonly<Record<string, string>> = {
  ttlSeconds: 'emailTtlSeconds',
  external_burst: 'external_ticket_burst',
  external_sustained: 'external_ticket_sustained',
};

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[s.length]![t.length]!;
}

/** The known key `key` was most likely meant to be, if one is close enough to suggest. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const renamed = RENAMED[key];
  if (renamed !== undefined && known.includes(renamed)) return renamed;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  // Close enough to be a typo: a few edits, and fewer than half the key's characters.
  const limit = Math.min(3, Math.floor(key.length / 2));
  if (best !== undefined && bestDistance <= limit) return best;
  // A known key with something added (`secretKey` for `secret`) or cut short (`emailTtl`).
  const lower = key.toLowerCase();
  return (
    known.find((candidate) => lower.length >= 4 && candidate.toLowerCase().startsWith(lower)) ??
    known.find((candidate) => candidate.length >= 4 && lower.includes(candidate.toLowerCase()))
  );
}

/** The message for an unknown key: which one, where, and what it should probably be. */
export function unknownKeyMessage(key: string, known: readonly string[], where: string): string {
  const nearest = nearestKey(key, known);
  const hint = nearest !== undefined ? `did you mean \`${nearest}\`?` : `known options: ${known.map((k) => `\`${k}\``).join(', ')}`;
  return `unknown option \`${key}\` in ${where}; ${hint}`;
}

/** The first own key of `value` not in `known`, or undefined. Cheap enough for per-request options. */
function firstUnknownKey(value: object, known: readonly string[]): string | undefined {
  for (const key in value) {
    if (Object.hasOwn(value, key) && !known.includes(key)) return key;
  }
  return undefined;
}

/** How a mistake is reported: a ConfigurationError at set-up, a ValidationError (naming the field) for one call. */
export type MakeError = (field: string, message: string) => Error;
export const configurationError: MakeError = (_field, message) => new ConfigurationError(message);
export const validationError: MakeError = (field, message) => new ValidationError(field, message);

/** Throws `makeError`'s error unless `value` is a plain object whose keys are all in `known`. */
export function assertKnownKeys(value: unknown, known: readonly string[], where: string, makeError: MakeError): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw makeError('options', `${where} must be an options object, got ${describeType(value)}`);
  }
  const unknown = firstUnknownKey(value, known);
  if (unknown !== undefined) throw makeError(unknown, unknownKeyMessage(unknown, known, where));
}

/** {@link assertKnownKeys} for set-up (constructors, factories, adapters): a ConfigurationError. */
export function assertConfigKeys(options: unknown, known: readonly string[], where: string): asserts options is object {
  assertKnownKeys(options, known, where, configurationError);
}

/** {@link assertKnownKeys} for a function's per-call input: a ValidationError whose `field` is the unknown key. */
export function assertInputKeys(input: unknown, known: readonly string[], where: string): asserts input is object {
  assertKnownKeys(input, known, where, validationError);
}
