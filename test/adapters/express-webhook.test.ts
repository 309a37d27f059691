// posthogWebhook inside real Express 4 and 5 apps, on a real port, with deliveries signed by the
// reference Standard Webhooks library.
import express4 from 'express4';
import express5 from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import { Webhook } from 'standardwebhooks';
import { ticketCreatedBody } from '../fixtures.js';
import { describe, expect, it } from 'vitest';
import { serve, serveDuringSuite } from '../helpers/servers.js';
import { posthogWebhook, type WebhookDelivery } from '../../adapters/express/index.js';

const SECRET = `whsec_${Buffer.from('express-webhook-test-signing-key').toString('base64')}`;
const body = (ticketId: string) => ticketCreatedBody(ticketId, 1);

function sign(payload: string, id = `msg_${Math.random().toString(36).slice(2)}`) {
  const now = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(SECRET).sign(id, now, payload),
  };
}

function buildApp(express: () => Express, handled: WebhookDelivery[]) {
  const app = express();
  const onDelivery = async (delivery: WebhookDelivery) => {
    if (delivery.event?.event === '$conversation_ticket_created' && delivery.event.properties.ticket_id === 'fail')
      throw new Error('CRM is down');
    handled.push(delivery);
  };
  app.post('/webhook', posthogWebhook({ secret: SECRET, onDelivery, maxBodyBytes: 64 * 1024 }));
  app.post(
    '/raw',
    (express as unknown as { raw: (o: object) => never }).raw({ type: 'application/json' }),
    posthogWebhook({ secret: SECRET, onDelivery }),
  );
  app.post(
    '/raw-capped',
    (express as unknown as { raw: (o: object) => never }).raw({ type: 'application/json', limit: '10mb' }),
    posthogWebhook({ secret: SECRET, onDelivery, maxBodyBytes: 1024 }),
  );
  app.post('/parsed', (express as unknown as { json: () => never }).json(), posthogWebhook({ secret: SECRET, onDelivery }));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.name, message: error.message });
  });
  return app;
}

describe.each([
  ['Express 4', express4 as unknown as () => Express],
  ['Express 5', express5 as unknown as () => Express],
])('posthogWebhook on %s', (_, express) => {
  const handled: WebhookDelivery[] = [];
  const app = serveDuringSuite(() => serve(buildApp(express, handled)));
  const post = (path: string, payload: string, headers: Record<string, string>) =>
    fetch(`${app.url}${path}`, { method: 'POST', body: payload, headers });

  it('answers 204 after the handler ran, with the typed delivery', async () => {
    const payload = body('t-1');
    const response = await post('/webhook', payload, sign(payload, 'msg_one'));
    expect(response.status).toBe(204);
    expect(handled.at(-1)).toMatchObject({
      id: 'msg_one',
      event: { event: '$conversation_ticket_created', properties: { ticket_id: 't-1' } },
    });
  });

  it('works after express.raw() too', async () => {
    const payload = body('t-raw');
    expect((await post('/raw', payload, sign(payload))).status).toBe(204);
    expect(handled.at(-1)!.event).toMatchObject({ properties: { ticket_id: 't-raw' } });
  });

  it('answers 400 with the code to a forged or altered delivery, and never runs the handler', async () => {
    const before = handled.length;
    const payload = body('t-2');
    const response = await post('/webhook', body('t-evil'), sign(payload));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_SIGNATURE' });
    expect((await post('/webhook', payload, { 'content-type': 'application/json' })).status).toBe(400);
    expect(handled.length).toBe(before);
  });

  it('passes the handler error on as a 500, so PostHog retries', async () => {
    const payload = body('fail');
    const response = await post('/webhook', payload, sign(payload));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: 'CRM is down' });
  });

  it('answers 413 to a body over maxBodyBytes without reading it', async () => {
    const payload = JSON.stringify({ pad: 'x'.repeat(100 * 1024) });
    expect((await post('/webhook', payload, sign(payload))).status).toBe(413);
  });

  it('enforces maxBodyBytes on a body express.raw() read first', async () => {
    const before = handled.length;
    const payload = JSON.stringify({ pad: 'x'.repeat(5 * 1024) });
    expect((await post('/raw-capped', payload, sign(payload))).status).toBe(413);
    expect(handled.length).toBe(before);
    const small = body('t-small');
    expect((await post('/raw-capped', small, sign(small))).status).toBe(204);
  });

  it('says what to fix when express.json() already parsed the body', async () => {
    const payload = body('t-3');
    const response = await post('/parsed', payload, sign(payload));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: 'ConfigurationError',
      message: expect.stringMatching(/needs the raw body.*express\.json\(\)/),
    });
  });
});

describe('posthogWebhook options', () => {
  it('refuses a bad secret and unknown options when it is created', () => {
    expect(() => posthogWebhook({ secret: 'not a secret', onDelivery: () => undefined })).toThrow(/not a Standard Webhooks secret/);
    expect(() => posthogWebhook({ secret: SECRET, onEvent: () => undefined } as never)).toThrow(/unknown option `onEvent`/);
    expect(() => posthogWebhook({ secret: SECRET } as never)).toThrow(/onDelivery must be a function/);
  });
});
