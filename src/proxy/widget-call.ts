/**
 * The widget calls the proxy signs: their identity fields removed, whatever the page sent, and the
 * identity of the user the app's own auth says is logged in added (none for a visitor). The
 * browser's `widget_session_id` is kept, so PostHog links the tickets a visitor opened before login.
 */
import type { IdentityFields } from '../identity/identity-for.js';

/** The widget API's path: every call under it carries the identity. */
export const WIDGET_PATH = '/api/conversations/v1/widget/';

/** Every identity field the widget API reads (the identity and its email claim). */
const IDENTITY_FIELDS = ['identity_distinct_id', 'identity_hash', 'identity_email', 'identity_hash_email', 'identity_exp_email'];

// Stateless without `stream`: one for every call; fatal, so a body that is not UTF-8 is refused, not mangled.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True for a call that changes state (sends a message, marks read, restores): checked for its origin. */
export const changesState = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** The query string with the page's identity fields replaced by `identity`'s. */
export function signQuery(search: string, identity: IdentityFields | null): string {
  const params = new URLSearchParams(search);
  for (const field of IDENTITY_FIELDS) params.delete(field);
  for (const [field, value] of Object.entries(identity ?? {})) params.set(field, String(value));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The JSON body with the page's identity fields replaced by `identity`'s; `undefined` when it is not a JSON object. */
export function signJsonBody(bytes: Uint8Array, identity: IdentityFields | null): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(UTF8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = { ...(body as Record<string, unknown>) };
  for (const field of IDENTITY_FIELDS) delete fields[field];
  return JSON.stringify({ ...fields, ...identity });
}

/** True when the request says its body is JSON (`application/json`, with or without parameters). */
export const isJson = (contentType: string | null): boolean => /^application\/json\s*(;|$)/i.test(contentType ?? '');
