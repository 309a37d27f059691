/** What a route answers: a status, and a JSON or raw body; with the helpers every handler and guard uses. */

/** One answer. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw body (already serialised), for answers that are not JSON. */
  raw?: string;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** DRF's error as PostHog's exception handler (`exceptions_hog`) renders it: a bare `invalid` code becomes `invalid_input`. */
export const drfError = (status: number, type: string, code: string, detail: string, attr: string | null = null): Answer =>
  json(status, { type, code: code === 'invalid' ? 'invalid_input' : code, detail, attr });

export const notFound = (): Answer => json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
