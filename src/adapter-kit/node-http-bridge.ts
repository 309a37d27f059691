/**
 * Node's http request and response as the Fetch API's, for adapters on Node.js frameworks (Express)
 * that hand a request to a Fetch core (the widget proxy) and send its `Response` back, streamed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * The request as a Fetch `Request` at `url`: its headers, and its body streamed, or, when a body
 * parser already read it, what it kept (`rawBody`, a Buffer or string body, or JSON for an object).
 */
export function toFetchRequest(req: IncomingMessage & { body?: unknown; rawBody?: unknown }, url: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  let body: BodyInit | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    if (!req.readableEnded) body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    else if (Buffer.isBuffer(req.rawBody) || typeof req.rawBody === 'string') body = req.rawBody as BodyInit;
    else if (Buffer.isBuffer(req.body) || typeof req.body === 'string') body = req.body as BodyInit;
    else if (req.body !== undefined) body = JSON.stringify(req.body);
  }
  return new Request(url, { method, headers, body, ...(body === null ? {} : { duplex: 'half' }) } as RequestInit);
}

/** Sends a Fetch `Response` on Node's response: status, headers, and the body streamed as it comes. */
export function sendFetchResponse(res: ServerResponse, response: Response): void {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.appendHeader(name, value);
  });
  if (response.body === null) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('error', (error) => res.destroy(error));
  res.on('close', () => body.destroy());
  body.pipe(res);
}
