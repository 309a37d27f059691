/** The emulator's HTTP plumbing: a request context, JSON answers, and a small router. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Context {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (`{}` when there is none). */
  body: Record<string, unknown>;
  params: Record<string, string>;
  header(name: string): string | undefined;
  ip: string;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw body (already serialised), for answers that are not JSON. */
  raw?: string;
}

export type Handler = (ctx: Context) => Answer | Promise<Answer>;

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({ status, body, ...(headers ? { headers } : {}) });

/** DRF's `exceptions_hog` error shape. */
export const drfError = (status: number, type: string, code: string, detail: string, attr: string | null = null): Answer =>
  json(status, { type, code, detail, attr });

export const notFound = (): Answer => json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Routes `/api/x/:id/y` patterns to handlers; a known path with another method answers 405. */
export class Router {
  readonly #routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(found[i + 1]!)]));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

export async function readBody(req: IncomingMessage): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, body: {} };
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ok: true, body: parsed as Record<string, unknown> } : { ok: false };
  } catch {
    return { ok: false };
  }
}

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
