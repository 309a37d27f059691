// The Fastify plugins inside real Fastify 4 and 5 apps, on a real port.
import fastify4 from 'fastify4';
import fastify5, { type FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { ticketCreatedBody } from '../fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posthogConversations, posthogWebhook, type WebhookDelivery } from '../../adapters/fastify/index.js';
import { ValidationError, computeIdentityHash } from '../../src/index.js';

const SECRET = 'phs_fastify_test_secret';
const WEBHOOK_SECRET = `whsec_${Buffer.from('fastify-webhook-test-signing-key').toString('base64')}`;
const sessions = new Map<string, unknown>([
  ['ada', 'user_ada'],
  ['num', 42],
  ['bad', 'x'.repeat(500)],
  ['async', 'user_async'],
]);
const sessionOf = (cookie: string | undefined) => /sid=([^;]+)/.exec(cookie ?? '')?.[1] ?? '';

type Factory = (options?: object) => FastifyInstance;

async function buildApp(fastify: Factory, reported: Error[], handled: WebhookDelivery[]) {
  const app = fastify();
  await app.register(posthogConversations, {
    secret: SECRET,
    getDistinctId: (request) => {
      const id = sessions.get(sessionOf(request.headers.cookie)) as string | undefined;
      return id === 'user_async' ? Promise.resolve(id) : id; // a session store that answers later
    },
    onError: (error) => reported.push(error),
    identityRoute: '/api/posthog-identity',
  });
  // A plugin registered in its own scope still sees the decoration (the plugin is not encapsulated).
  await app.register(async (scoped) => {
    scoped.get('/page', async (request) => ({ identity: request.posthogIdentity }));
  });
  app.post('/json', async (request) => ({ parsed: request.body })); // the app's JSON parser is untouched
  await app.register(posthogWebhook, {
    prefix: '/webhooks',
    path: '/posthog',
    secret: WEBHOOK_SECRET,
    maxBodyBytes: 4096,
    onDelivery: async (delivery) => {
      if (delivery.event?.event === '$conversation_ticket_created' && delivery.event.properties.ticket_id === 'fail')
        throw new Error('CRM is down');
      handled.push(delivery);
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

const ticket = (id: string) => ticketCreatedBody(id, 3);

describe.each([
  ['Fastify 4', fastify4 as unknown as Factory],
  ['Fastify 5', fastify5 as unknown as Factory],
])('%s', (_, fastify) => {
  const reported: Error[] = [];
  const handled: WebhookDelivery[] = [];
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await buildApp(fastify, reported, handled);
    const address = app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => app.close());
  const get = (path: string, sid?: string) => fetch(`${url}${path}`, { headers: sid ? { cookie: `sid=${sid}` } : {} });

  it('decorates request.posthogIdentity across the whole app', async () => {
    expect(await (await get('/page', 'ada')).json()).toEqual({
      identity: { identity_distinct_id: 'user_ada', identity_hash: computeIdentityHash('user_ada', SECRET) },
    });
    expect(await (await get('/page', 'async')).json()).toEqual({
      identity: { identity_distinct_id: 'user_async', identity_hash: computeIdentityHash('user_async', SECRET) },
    });
    expect(await (await get('/page')).json()).toEqual({ identity: null });
  });

  it('serves the SPA endpoint: 200 with the identity or 401, never cached', async () => {
    const ok = await get('/api/posthog-identity', 'num');
    expect([ok.status, ok.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(await ok.json()).toEqual({ identity_distinct_id: '42', identity_hash: computeIdentityHash('42', SECRET) });
    const visitor = await get('/api/posthog-identity');
    expect([visitor.status, visitor.headers.get('cache-control')]).toEqual([401, 'no-store']);
  });

  it('renders a visitor, not a 500, for an id the server would refuse, and reports it', async () => {
    reported.length = 0;
    const response = await get('/page', 'bad');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ identity: null });
    expect(reported).toEqual([expect.any(ValidationError)]);
  });

  it("leaves the app's JSON parser as it was", async () => {
    const response = await fetch(`${url}/json`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(await response.json()).toEqual({ parsed: { a: 1 } });
  });

  it('receives a signed delivery under the prefix: 204 and the typed delivery', async () => {
    handled.length = 0;
    const id = 'msg_fastify_1';
    const now = new Date();
    const payload = ticket('t1');
    const response = await fetch(`${url}/webhooks/posthog`, {
      method: 'POST',
      body: payload,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, now, payload),
      },
    });
    expect(response.status).toBe(204);
    expect(handled).toMatchObject([{ id, event: { event: '$conversation_ticket_created', properties: { ticket_id: 't1' } } }]);
  });

  it('answers 400 to a forged delivery, 413 over maxBodyBytes, 500 when the handler fails', async () => {
    const send = (payload: string, signature?: string) => {
      const now = new Date();
      return fetch(`${url}/webhooks/posthog`, {
        method: 'POST',
        body: payload,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_x',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature ?? new Webhook(WEBHOOK_SECRET).sign('msg_x', now, payload),
        },
      });
    };
    const forged = await send(ticket('t2'), `v1,${Buffer.alloc(32).toString('base64')}`);
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_SIGNATURE' });
    expect((await send(JSON.stringify({ pad: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await send(ticket('fail'))).status).toBe(500);
  });

  it('fails register on a misspelt option or a bad path, naming it', async () => {
    const bad = fastify();
    await expect(
      bad.register(posthogConversations, { secret: SECRET, getDistinctId: () => 'a', identityRoot: '/x' } as never).ready(),
    ).rejects.toThrow(/unknown option `identityRoot`.*did you mean `identityRoute`/);
    const badPath = fastify();
    await expect(badPath.register(posthogWebhook, { path: 'hooks', secret: WEBHOOK_SECRET, onDelivery: () => {} }).ready()).rejects.toThrow(
      /path must be the webhook route/,
    );
  });
});
