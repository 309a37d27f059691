// What the server does before any view runs, as Django and DRF do it: URL converters, the
// /api catch-all, lazy body parsing (authentication first), and never a 500 on a malformed request.
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { D, useEmulator, widgetHeaders } from './setup.js';

const env = useEmulator();

/** Sends exactly these bytes (a client would normalise the target) and reads the answer. */
function send(head: string, body = ''): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const { port } = new URL(env.emulator.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.end(`${head}\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
    );
    let text = '';
    socket.on('data', (chunk) => (text += String(chunk)));
    socket.on('end', () => {
      const [headers, payload = ''] = text.split('\r\n\r\n');
      const json = payload.slice(payload.indexOf('{'), payload.lastIndexOf('}') + 1);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers!)?.[1]),
        body: json ? (JSON.parse(json) as Record<string, unknown>) : undefined,
      });
    });
    socket.on('error', reject);
  });
}

const ENDPOINT_NOT_FOUND = { type: 'invalid_request', code: 'not_found', detail: 'Endpoint not found.', attr: null };

describe("Django's <uuid:ticket_id> converter (conversations urls.py)", () => {
  it.each([
    ['not a UUID', 'not-a-uuid'],
    ['an uppercase UUID', randomUUID().toUpperCase()],
    ['a UUID without dashes', randomUUID().replaceAll('-', '')],
  ])('answers 404 for %s in a widget path, before authentication', async (_, id) => {
    for (const headers of [widgetHeaders, { 'x-conversations-token': 'wrong' }]) {
      const answer = await env.raw('GET', `/api/conversations/v1/widget/messages/${id}`, {
        headers,
        query: { widget_session_id: randomUUID() },
      });
      expect(answer).toEqual({ status: 404, body: ENDPOINT_NOT_FOUND });
    }
    expect((await env.raw('POST', `/api/conversations/v1/widget/messages/${id}/read`, { headers: widgetHeaders, body: {} })).status).toBe(
      404,
    );
  });

  it('answers 404 for a malformed id in the external ticket path, before the bearer check', async () => {
    expect(await env.raw('GET', '/api/conversations/external/ticket/123')).toEqual({ status: 404, body: ENDPOINT_NOT_FOUND });
  });

  it('lets a lowercase UUID through to the view (which then finds no such ticket)', async () => {
    const answer = await env.raw('GET', `/api/conversations/external/ticket/${randomUUID()}`, {
      headers: { authorization: `Bearer ${D.secretApiToken}` },
    });
    expect(answer.status).toBe(404);
    expect(answer.body).not.toEqual(ENDPOINT_NOT_FOUND);
  });
});

describe("DRF's lazy request.data: authentication before the body is parsed", () => {
  const malformed = '{"message": "hi",';

  it('a bad token with a malformed body is still 403', async () => {
    const answer = await send(
      'POST /api/conversations/v1/widget/message HTTP/1.1\r\ncontent-type: application/json\r\nx-conversations-token: wrong',
      malformed,
    );
    expect(answer).toMatchObject({ status: 403, body: { code: 'authentication_failed' } });
  });

  it('a good token with a malformed body is 400 parse_error, as DRF ParseError is rendered', async () => {
    const answer = await send(
      `POST /api/conversations/v1/widget/message HTTP/1.1\r\ncontent-type: application/json\r\nx-conversations-token: ${D.publicToken}`,
      malformed,
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'invalid_request', code: 'parse_error', attr: null });
    expect(answer.body!.detail).toMatch(/^JSON parse error - /);
  });

  it("no bearer with a malformed body is the external API's 401, not a parse error", async () => {
    const answer = await send(
      `PATCH /api/conversations/external/ticket/${randomUUID()} HTTP/1.1\r\ncontent-type: application/json`,
      malformed,
    );
    expect(answer.status).toBe(401);
  });

  it("a JSON body that is not an object is the serializer's 400", async () => {
    const answer = await send(
      `POST /api/conversations/v1/widget/message HTTP/1.1\r\ncontent-type: application/json\r\nx-conversations-token: ${D.publicToken}`,
      '["hi"]',
    );
    expect(answer).toEqual({
      status: 400,
      body: { type: 'validation_error', code: 'invalid_input', detail: 'Invalid data. Expected a dictionary, but got list.', attr: null },
    });
  });
});

describe("DRF's parsers: JSON and form bodies, and 415 for the rest", () => {
  const head = `POST /api/conversations/v1/widget/message HTTP/1.1\r\nx-conversations-token: ${D.publicToken}`;

  it('takes a form-encoded message, as FormParser does (an empty optional field is not sent)', async () => {
    const sid = randomUUID();
    const body = new URLSearchParams({
      widget_session_id: sid,
      distinct_id: 'visitor_form',
      message: 'sent as a form',
      session_id: '',
    }).toString();
    const answer = await send(`${head}\r\ncontent-type: application/x-www-form-urlencoded`, body);
    expect(answer.status).toBe(200);
    expect(env.emulator.state.messages.at(-1)?.content).toBe('sent as a form');
  });

  it("answers a body of another media type with DRF's 415", async () => {
    const answer = await send(`${head}\r\ncontent-type: text/plain`, '{"message":"hi"}');
    expect(answer).toEqual({
      status: 415,
      body: {
        type: 'invalid_request',
        code: 'unsupported_media_type',
        detail: 'Unsupported media type "text/plain" in request.',
        attr: null,
      },
    });
  });
});

describe('malformed requests get a 4xx, never a 500', () => {
  it.each([
    ['a malformed percent-escape', 'GET /api/conversations/v1/widget/messages/%ZZ HTTP/1.1'],
    ['an unknown /api path', 'GET /api/conversations/v1/widget/nothing-here HTTP/1.1'],
  ])('%s: 404, endpoint not found', async (_, head) => {
    expect(await send(head)).toEqual({ status: 404, body: ENDPOINT_NOT_FOUND });
  });

  it('reads a path starting with // as a path, not as a host and a shorter path', async () => {
    const answer = await send(
      `GET //api/conversations/v1/widget/tickets?widget_session_id=${randomUUID()} HTTP/1.1\r\nx-conversations-token: ${D.publicToken}`,
    );
    expect(answer.status).toBe(404); // PostHog's catch-all would serve its app here; no API route matches
  });

  it('routes an absolute-form target (as a proxy sends it) like its path', async () => {
    const answer = await send(
      `GET ${env.emulator.url}/api/conversations/v1/widget/tickets?widget_session_id=${randomUUID()} HTTP/1.1\r\nx-conversations-token: ${D.publicToken}`,
    );
    expect(answer.status).toBe(200);
  });

  it('answers 413 to a body declared over 20 MB without reading it, and keeps serving', async () => {
    const { port } = new URL(env.emulator.url);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          `POST /api/conversations/v1/widget/message HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${21 * 1024 * 1024}\r\n\r\n{"message":`,
        ),
      );
      socket.once('data', (chunk) => {
        resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(String(chunk))?.[1]));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(status).toBe(413);
    expect((await send('GET /api/conversations/v1/widget/nothing-here HTTP/1.1')).status).toBe(404);
    expect(env.emulator.requests.some((r) => r.status === 500)).toBe(false);
  });
});

describe('DRF query parsing (Field.get_value on a QueryDict)', () => {
  const get = (path: string, query: Record<string, string>) => env.raw('GET', path, { headers: widgetHeaders, query });

  it('an optional field sent empty counts as not sent: status=, after=, widget_session_id= beside an identity', async () => {
    const client = env.client();
    const sid = randomUUID();
    const { ticket_id } = await client.widget.sendMessage({ widgetSessionId: sid, distinctId: 'u', message: 'hello' });
    const listed = await get('/api/conversations/v1/widget/tickets', { widget_session_id: sid, status: '' });
    expect(listed.status).toBe(200);
    expect((listed.body!.results as unknown[]).length).toBe(1);
    const messages = await get(`/api/conversations/v1/widget/messages/${ticket_id}`, { widget_session_id: sid, after: '' });
    expect((messages.body!.messages as unknown[]).length).toBe(1);
    const { identity_distinct_id, identity_hash } = (await import('./setup.js')).identity('user_q');
    const byIdentity = await get('/api/conversations/v1/widget/tickets', { identity_distinct_id, identity_hash, widget_session_id: '' });
    expect(byIdentity.status).toBe(200);
  });

  it("integers as DRF's IntegerField reads them: '2.0' and ' 2 ' are 2, '2.5' is refused", async () => {
    const sid = randomUUID();
    for (const limit of ['2.0', ' 2 ', '+2'])
      expect((await get('/api/conversations/v1/widget/tickets', { widget_session_id: sid, limit })).status).toBe(200);
    const refused = await get('/api/conversations/v1/widget/tickets', { widget_session_id: sid, limit: '2.5' });
    expect(refused.status).toBe(400);
  });
});

describe('CORS', () => {
  it("answers a page's origin, as PostHog's API does, and never allows credentials", async () => {
    const response = await fetch(`${env.emulator.url}/api/conversations/v1/widget/tickets`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-conversations-token',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-conversations-token');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
