/** The emulator's HTTP plumbing: a request context, JSON answers, and a small router. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { drfError, json, type Answer } from './answers.js';
import { pythonTypeName } from './drf.js';
import type { EmulatorState } from './state.js';
import type { Throttles } from './throttle.js';

export interface Context {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  /**
   * The JSON body (`{}` when there is none), parsed on first read as DRF's `request.data` is: a view
   * authenticates first, so a bad token with a malformed body is a 403, and only reading a
   * malformed body throws {@link BodyError} (a 400).
   */
  readonly body: Record<string, unknown>;
  params: Record<string, string>;
  header(name: string): string | undefined;
  ip: string;
  /** The emulator's state (its clock is `state.now()`), for the handler of this request. */
  state: EmulatorState;
  /** The throttles the guards count requests against. */
  throttles: Throttles;
}

export type Handler = (ctx: Context) => Answer | Promise<Answer>;

export { drfError, json, notFound, type Answer } from './answers.js';

/**
 * A query string as a DRF serializer reads it: the last value of each key, and an empty value of
 * an optional field counted as not sent (`Field.get_value` on a `QueryDict`).
 */
export function queryData(query: URLSearchParams): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of query) {
    if (value === '') delete data[key];
    else data[key] = value;
  }
  return data;
}

/** PostHog's catch-all for a path under /api/ that no route matches (`api_not_found`). */
export const endpointNotFound = (): Answer =>
  json(404, { type: 'invalid_request', code: 'not_found', detail: 'Endpoint not found.', attr: null });

/** Thrown by reading a body that is not a JSON object; the server answers it as `answer`. */
export class BodyError extends Error {
  constructor(readonly answer: Answer) {
    super(String((answer.body as { detail?: unknown } | undefined)?.detail ?? 'bad body'));
  }
}

/**
 * The body as DRF's parsers (JSON, form) and a serializer see it: an object, or the error they
 * answer. An empty body is `{}` whatever its type; another media type is DRF's 415. (Multipart
 * bodies, which DRF also parses, are not emulated.)
 */
export function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text === '') return {};
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return queryData(new URLSearchParams(text));
  if (mediaType !== 'application/json') {
    throw new BodyError(drfError(415, 'invalid_request', 'unsupported_media_type', `Unsupported media type "${mediaType}" in request.`));
  }
  return parseJsonBody(text);
}

const MAX_JSON_DEPTH = 900;

/** How deeply JSON text nests arrays and objects (brackets inside strings not counted); linear, no recursion. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    // DRF's ParseError; the reason after the dash is JavaScript's wording, not Python's.
    throw new BodyError(
      json(400, { type: 'invalid_request', code: 'parse_error', detail: `JSON parse error - ${(error as Error).message}`, attr: null }),
    );
  }
  // Python's json.loads gives up past its recursion limit (about 1000 levels). The emulator answers
  // that as a parse error rather than letting a deep value reach handlers or stored settings.
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new BodyError(
      json(400, {
        type: 'invalid_request',
        code: 'parse_error',
        detail: `JSON parse error - nested more than ${MAX_JSON_DEPTH} levels deep`,
        attr: null,
      }),
    );
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new BodyError(
    drfError(400, 'validation_error', 'invalid', `Invalid data. Expected a dictionary, but got ${pythonTypeName(parsed)}.`),
  );
}

/**
 * The path and query of a request target, as Django sees them: the path percent-decoded (a
 * malformed escape stays as it is, so it matches nothing, never a 500), `//` kept as part of the
 * path (not read as a host), the query parsed apart.
 */
export function parseTarget(target: string): { path: string; query: URLSearchParams } {
  let raw = target;
  if (/^https?:\/\//i.test(raw)) raw = raw.replace(/^https?:\/\/[^/?#]*/i, '') || '/'; // absolute-form, as a proxy sends
  const hash = raw.indexOf('#');
  if (hash !== -1) raw = raw.slice(0, hash);
  const mark = raw.indexOf('?');
  const rawPath = mark === -1 ? raw : raw.slice(0, mark);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  return { path, query: new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1)) };
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

// Django's `<uuid:...>` path converter: lowercase, dashed. Anything else does not match the route.
const CONVERTERS: Record<string, string> = {
  uuid: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

/**
 * Routes patterns to handlers: `:name` is one path segment, `<uuid:name>` a Django UUID. A known
 * path with another method answers 405.
 */
export class Router {
  readonly #routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/<(\w+):(\w+)>|:(\w+)/g, (_, converter: string | undefined, converted: string | undefined, plain: string | undefined) => {
        keys.push((converted ?? plain)!);
        if (converter === undefined) return '([^/]+)';
        const pattern = CONVERTERS[converter];
        if (pattern === undefined) throw new Error(`unknown path converter <${converter}:...>`);
        return `(${pattern})`;
      });
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** `path` is already decoded (see {@link parseTarget}). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, found[i + 1]!]));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

/** The largest body read: PostHog's `DATA_UPLOAD_MAX_MEMORY_SIZE` (20 MB). */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Reads the body as text up to `cap` bytes; `undefined` when it is larger (the rest is not read). */
export function readRawBody(req: IncomingMessage, cap = MAX_BODY_BYTES): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > cap) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) return void chunks.push(chunk);
      req.removeAllListeners('data');
      req.pause();
      resolve(undefined);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.on('error', reject);
  });
}

/** The answer to a body over {@link MAX_BODY_BYTES}. */
export const bodyTooLarge = (): Answer =>
  json(
    413,
    { type: 'invalid_request', code: 'request_too_large', detail: `Request body larger than ${MAX_BODY_BYTES} bytes.`, attr: null },
    { connection: 'close' },
  );

export function write(res: ServerResponse, answer: Answer, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...answer.headers };
  let payload = answer.raw;
  if (payload === undefined && answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}
