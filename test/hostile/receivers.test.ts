// The hostile-input suite, webhook receivers: each receiver in its real framework, with and without
// a body parser ahead of it, gets generated deliveries, genuine and not. A genuine one is answered
// 204 and handed over exactly once, with its body as sent; anything not proven to be PostHog's is
// 400 and never reaches the handler; a body over the cap is 413. Counts what it sent.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import express from 'express';
import fastify from 'fastify';
import fc from 'fast-check';
import { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posthogWebhook as expressWebhook } from '../../adapters/express/index.js';
import { posthogWebhook as fastifyWebhook } from '../../adapters/fastify/index.js';
import { posthogWebhook as honoWebhook } from '../../adapters/hono/index.js';
import { createWebhookHandler, type WebhookDelivery } from '../../src/webhooks/index.js';

const SECRET = `whsec_${Buffer.from('hostile-receivers-signing-key-0123').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('someone-else-entirely-key-98765432').toString('base64')}`;
const CAP = 8 * 1024;
const handled = new Map<string, WebhookDelivery[]>();
const sent = { deliveries: 0 };
const closers: Array<() => Promise<void>> = [];
const urls: Record<string, string> = {};

const onDelivery = (name: string) => (delivery: WebhookDelivery) =>
  void (handled.get(name) ?? handled.set(name, []).get(name)!).push(delivery);

async function listen(name: string, server: { address(): AddressInfo | string | null; close(cb: () => void): unknown }) {
  urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise<void>((resolve) => void server.close(() => resolve())));
}

beforeAll(async () => {
  const app = express();
  app.post('/plain', expressWebhook({ secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('express') }));
  app.post(
    '/raw',
    express.raw({ type: () => true, limit: '10mb' }),
    expressWebhook({ secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('express-raw') }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  await listen('express', server);
  urls['express-raw'] = urls.express!;

  const hono = new Hono();
  hono.post('/plain', honoWebhook({ secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('hono') }));
  hono.post(
    '/raw',
    async (c, next) => {
      await c.req.text();
      await next();
    },
    honoWebhook({ secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('hono-pre-read') }),
  );
  const honoServer: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: hono.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  await listen('hono', honoServer as never);
  urls['hono-pre-read'] = urls.hono!;

  const fetchHandler = createWebhookHandler({ secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('fetch') });
  const fetchServer: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  await listen('fetch', fetchServer as never);

  const f = fastify();
  await f.register(fastifyWebhook, { path: '/plain', secret: SECRET, maxBodyBytes: CAP, onDelivery: onDelivery('fastify') });
  await f.listen({ host: '127.0.0.1', port: 0 });
  urls.fastify = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
  closers.push(() => f.close());
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  console.log(`hostile deliveries: ${sent.deliveries} to ${RECEIVERS.length} receivers`);
});

// Each receiver and the path it is mounted at (the "-raw" and "-pre-read" ones sit behind a body parser).
const RECEIVERS = [
  ['express', '/plain'],
  ['express-raw', '/raw'],
  ['hono', '/plain'],
  ['hono-pre-read', '/raw'],
  ['fetch', '/'],
  ['fastify', '/plain'],
] as const;

type Kind = 'genuine' | 'tampered' | 'other-secret' | 'stale' | 'no-signature' | 'oversize' | 'not-utf8';

function delivery(kind: Kind, event: unknown, id: string) {
  const now = new Date(kind === 'stale' ? Date.now() - 3_600_000 : Date.now());
  let body: Buffer = Buffer.from(JSON.stringify({ event, person: null }));
  if (kind === 'oversize') body = Buffer.from(JSON.stringify({ event, pad: 'x'.repeat(CAP) }));
  if (kind === 'not-utf8') body = Buffer.concat([Buffer.from('{"event":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const secret = kind === 'other-secret' ? OTHER : SECRET;
  const timestamp = Math.floor(now.getTime() / 1000);
  // Over the raw bytes (the standardwebhooks library signs strings, which would decode a non-UTF-8 body first).
  const signature =
    kind === 'not-utf8'
      ? `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
          .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]))
          .digest('base64')}`
      : new Webhook(secret).sign(id, now, body.toString('utf8'));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  };
  if (kind !== 'no-signature') headers['webhook-signature'] = signature;
  if (kind === 'tampered') body = Buffer.from(body.toString('utf8').replace(/}$/, ',"extra":1}'));
  return { body, headers };
}

const EXPECTED: Record<Kind, number> = {
  genuine: 204,
  tampered: 400,
  'other-secret': 400,
  stale: 400,
  'no-signature': 400,
  oversize: 413,
  'not-utf8': 400,
};

describe.each(RECEIVERS)('%s receiver', (name, path) => {
  it('answers every generated delivery as documented; only genuine ones reach the handler, once each, as sent', async () => {
    const event = fc.record({
      uuid: fc.uuid(),
      event: fc.constantFrom('$conversation_ticket_created', '$conversation_message_received', '$pageview'),
      distinct_id: fc.string({ maxLength: 20 }),
      timestamp: fc.constant('2026-12-01T00:00:00Z'),
      properties: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
    });
    const kinds = fc.constantFrom<Kind>('genuine', 'genuine', 'tampered', 'other-secret', 'stale', 'no-signature', 'oversize', 'not-utf8');
    let genuine = 0;
    await fc.assert(
      fc.asyncProperty(kinds, event, async (kind, e) => {
        const id = `msg_${name}_${sent.deliveries++}`;
        const { body, headers } = delivery(kind, e, id);
        const response = await fetch(`${urls[name]}${path}`, { method: 'POST', body: new Uint8Array(body), headers });
        await response.arrayBuffer();
        expect(response.status, `${kind} to ${name}`).toBe(EXPECTED[kind]);
        const got = (handled.get(name) ?? []).filter((d) => d.id === id);
        if (kind === 'genuine') {
          genuine++;
          expect(got).toHaveLength(1);
          expect(got[0]!.body).toEqual(JSON.parse(body.toString('utf8')));
        } else expect(got).toEqual([]);
      }),
      { numRuns: 40 },
    );
    expect(handled.get(name) ?? []).toHaveLength(genuine);
  }, 60_000);
});
