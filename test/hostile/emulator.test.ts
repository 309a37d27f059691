// The hostile-input suite, emulator: requests no client would send (generated methods, paths, hosts,
// content types and bodies, deep JSON, broken headers) over raw TCP. The emulator must answer every
// one as PostHog's stack would refuse it, never with a 5xx, and keep working afterwards.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../src/testing/index.js';

let emulator: Emulator;
let port: number;
const tried = { requests: 0 };
beforeAll(async () => {
  emulator = await startEmulator({ throttles: false });
  port = emulator.port;
});
afterAll(async () => {
  await emulator.close();
  console.log(`hostile requests to the emulator: ${tried.requests}`);
});

/** Sends raw bytes as one request and answers the status line's code (0 for no answer). */
function send(head: string, body = ''): Promise<number> {
  tried.requests++;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.on('error', () => undefined);
    socket.write(`${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`);
    socket.write(body);
  });
}

const PATHS = [
  '/api/conversations/v1/widget/message',
  '/api/conversations/v1/widget/tickets',
  `/api/conversations/v1/widget/messages/${D.publicToken}`,
  '/api/conversations/v1/widget/restore/request',
  '/api/conversations/v1/widget/restore',
  `/api/projects/${D.projectId}/`,
  `/api/projects/${D.projectId}/conversations/tickets/`,
  `/api/projects/${D.projectId}/conversations/tickets/compose/`,
  `/api/projects/${D.projectId}/conversations/tickets/1/reply/`,
  '/api/conversations/external/ticket/0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  `/array/${D.projectApiKey}/config`,
  '/api/personal_api_keys/@current/',
  '/%ZZ',
  '//x',
  '/api/projects/1/conversations/tickets/%00/',
];
const AUTH = [
  `authorization: Bearer ${D.personalApiKey}`,
  `authorization: Bearer ${D.secretApiToken}`,
  `x-conversations-token: ${D.publicToken}`,
  'authorization: Bearer',
  'authorization: Basic x',
];

describe('the emulator never answers 5xx', () => {
  it.each([
    ['a Host with a space', 'GET /api/projects/1/conversations/tickets/ HTTP/1.1\r\nhost: a b'],
    ['a Host with a bracket', 'GET /api/projects/1/conversations/tickets/ HTTP/1.1\r\nhost: [oops'],
    ['a Host that is all symbols', 'GET /array/x/config HTTP/1.1\r\nhost: %%%'],
  ])('%s: 400, as Django answers DisallowedHost', async (_, head) => {
    expect(await send(`${head}\r\nauthorization: Bearer ${D.personalApiKey}`)).toBe(400);
  });

  it('JSON nested 20,000 levels in a PATCH is a 400 parse error, and settings stay readable', async () => {
    const deep = `{"conversations_settings":{"widget_greeting_text":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const head = `PATCH /api/projects/${D.projectId}/ HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${D.personalApiKey}`;
    expect(await send(head, deep)).toBe(400);
    const client = createClient({ host: emulator.url, personalApiKey: D.personalApiKey, projectId: D.projectId, retry: false });
    await expect(client.remoteConfig.get(D.projectApiKey)).resolves.toMatchObject({ enabled: true });
    await client.close();
    expect(await send(`GET /array/${D.projectApiKey}/config HTTP/1.1\r\nhost: 127.0.0.1`)).toBe(200);
  });

  it('generated requests', async () => {
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string(),
      fc.integer({ min: 1, max: 3000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`),
      fc.constant('{"ids": ["x"], "status": 5, "message": null, "is_private": "maybe"}'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'BREW'),
        fc.constantFrom(...PATHS),
        fc.option(
          fc.constantFrom('?limit=abc', '?offset=-1', '?status=%FF', '?ids=x,y', '?order_by=-nope&limit=99999', '?widget_session_id='),
        ),
        fc.constantFrom(...AUTH),
        fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
        ),
        fc.oneof(fc.constant('127.0.0.1'), fc.constant('localhost:80'), fc.stringMatching(/^[a-z0-9 [\]:%._-]{0,12}$/)),
        body,
        async (method, path, query, auth, type, host, payload) => {
          const status = await send(
            `${method} ${path}${query ?? ''} HTTP/1.1\r\nhost: ${host}\r\n${auth}\r\ncontent-type: ${type}`,
            method === 'GET' || method === 'HEAD' ? '' : payload,
          );
          expect(status, `${method} ${path}${query ?? ''} (host ${JSON.stringify(host)}, ${type})`).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
