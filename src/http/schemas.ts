/** Building blocks shared by every client's zod schemas. */
import * as z from 'zod';
import { codePointLength, isWellFormed } from '../identity/rules.js';
import { unknownKeyMessage } from '../basics/options.js';

export { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './constants.js';

/**
 * A string that is usually one of `values`. Responses keep an unknown value from a newer server
 * as a string instead of failing; the type still offers the known ones.
 */
export function knownOr<const T extends readonly string[]>(_values: T): z.ZodType<T[number] | (string & {})> {
  return z.string() as z.ZodType<T[number] | (string & {})>;
}

/**
 * A method's input object: an unknown key is refused before any I/O, naming the nearest known key
 * (`tickets.list({ stauts })` must not list every ticket). Build larger inputs by spreading shapes
 * into one call, so the list of known keys is complete.
 */
export function strictInput<T extends z.core.$ZodLooseShape>(shape: T, where: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyMessage(issue.keys[0]!, known, where) : undefined),
  });
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A UUID as Django's UUIDField accepts it (hex, with or without dashes, any case). */
export const uuid = z.string().regex(UUID, 'must be a UUID');

/**
 * Text as the server's `CharField` accepts it: well-formed UTF-16 (a lone surrogate cannot be
 * decoded), no NUL, and at most `max` code points (the server's `max_length`).
 */
export function maxChars(max: number) {
  return z
    .string()
    .refine(isWellFormed, 'must be well-formed text (it contains a lone UTF-16 surrogate)')
    .refine((s) => !s.includes('\0'), 'must not contain NUL characters')
    .refine((s) => s.length <= max || codePointLength(s) <= max, `must be at most ${max} characters`);
}

export const isoDate = z.union([z.string(), z.date()]).transform((value) => (value instanceof Date ? value.toISOString() : value));

/**
 * An `Origin` header value: an http(s) origin with nothing after the host and port. `new URL`
 * silently drops tabs and newlines, so control characters are refused before parsing.
 */
export const originHeader = z
  .string()
  .refine((value) => !/[\0-\x1f\x7f]/.test(value), 'must not contain line breaks or control characters')
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    'must be an http(s) origin such as https://app.example.com',
  )
  .transform((value) => new URL(value).origin);

/**
 * The fields of a message in both the widget's and the inbox's answers (`Comment`): `content` is
 * `null=True`, so a message with only rich content (an image) has none.
 */
export const messageFields = {
  id: z.string(),
  content: z.string().nullable(),
  rich_content: z.unknown().optional(),
  /** `customer`, `support`, `AI`, `human`, or another author kind from a newer server. */
  author_type: z.string(),
  author_name: z.string().nullable(),
  created_at: z.string(),
};
