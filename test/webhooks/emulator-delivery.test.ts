// The emulator delivers its ticket events to receivers the way PostHog's webhook destination does,
// so a receiver can be tested end to end offline: here the Express receiver, on a real port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { listen as listenOn } from '../helpers/servers.js';
import { posthogWebhook, type WebhookDelivery } from '../../adapters/express/index.js';
import { createClient } from '../../src/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, webhookDelivery, type Emulator } from '../../src/testing/index.js';

const SECRET = D.webhookSecret;
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function listen(server: Server): Promise<string> {
  const served = await listenOn(server);
  open.push(served);
  return served.url;
}

async function emulatorWith(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emulator = await startEmulator({ throttles: false, ...options });
  open.push(emulator);
  return emulator;
}

/** A receiver that records each request and answers with the next status in `statuses` (then 204). */
async function recorder(statuses: number[] = []) {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  });
  return { url: await listen(server), received };
}

describe('the emulator delivers webhooks', () => {
  it('to an Express receiver: ticket created and message received, verified and typed', async () => {
    const handled: WebhookDelivery[] = [];
    const app = express();
    app.post('/webhooks/posthog', posthogWebhook({ secret: SECRET, onDelivery: (delivery) => void handled.push(delivery) }));
    const url = await listen(createServer(app));
    const emulator = await emulatorWith({ webhooks: [{ url: `${url}/webhooks/posthog`, secret: SECRET }] });
    const client = createClient({ host: emulator.url, publicToken: D.publicToken });
    open.push(client);
    const sent = await client.widget.sendMessage({
      widgetSessionId: crypto.randomUUID(),
      distinctId: 'visitor_1',
      message: 'Where is my order?',
    });
    await emulator.webhooksIdle();
    expect(emulator.deliveries.map((d) => [d.event, d.state])).toEqual([
      ['$conversation_ticket_created', 'delivered'],
      ['$conversation_message_received', 'delivered'],
    ]);
    const created = handled.find((d) => d.event?.event === '$conversation_ticket_created')!;
    expect(created.event).toMatchObject({
      distinct_id: 'visitor_1',
      properties: { ticket_id: sent.ticket_id, channel_source: 'widget', status: 'new' },
    });
    const received = handled.find((d) => d.event?.event === '$conversation_message_received')!;
    expect(received.event).toMatchObject({
      properties: { ticket_id: sent.ticket_id, message_content: 'Where is my order?', author_type: 'customer' },
    });
  });

  it('convertToHogFunctionInvocationGlobals: the body is { event, person } with the globals event keys, as webhookDelivery makes it', async () => {
    const handled: WebhookDelivery[] = [];
    const app = express();
    app.post('/hook', posthogWebhook({ secret: SECRET, onDelivery: (delivery) => void handled.push(delivery) }));
    const url = await listen(createServer(app));
    const emulator = await emulatorWith({ webhooks: [{ url: `${url}/hook`, secret: SECRET }] });
    const client = createClient({ host: emulator.url, publicToken: D.publicToken });
    open.push(client);
    await client.widget.sendMessage({ widgetSessionId: crypto.randomUUID(), distinctId: 'visitor_1', message: 'Hi' });
    await emulator.webhooksIdle();
    for (const name of ['$conversation_ticket_created', '$conversation_message_received'] as const) {
      const delivered = handled.find((d) => d.event?.event === name)!.body as { event: Record<string, unknown>; person: unknown };
      const sample = JSON.parse(webhookDelivery(name, { secret: SECRET }).body) as typeof delivered;
      expect(Object.keys(delivered)).toEqual(['event', 'person']);
      expect(delivered.person).toBeNull();
      expect(Object.keys(delivered.event)).toEqual(Object.keys(sample.event));
      expect(delivered.event.url).toBe(
        `${emulator.url}/project/${D.projectId}/events/${delivered.event.uuid}/${encodeURIComponent(String(delivered.event.timestamp))}`,
      );
      // The same properties as events.py sets, whoever made the event.
      expect(Object.keys(delivered.event.properties as object).sort()).toEqual(Object.keys(sample.event.properties as object).sort());
    }
  });

  it('delivers every event it captures in the shape the SDK types (none falls back to event: null)', async () => {
    const handled: WebhookDelivery[] = [];
    const app = express();
    app.post('/hook', posthogWebhook({ secret: SECRET, onDelivery: (delivery) => void handled.push(delivery) }));
    const url = await listen(createServer(app));
    const emulator = await emulatorWith({ webhooks: [{ url: `${url}/hook`, secret: SECRET }] });
    const client = createClient({
      host: emulator.url,
      publicToken: D.publicToken,
      personalApiKey: D.personalApiKey,
      projectId: D.projectId,
    });
    open.push(client);
    const { ticket_id } = await client.widget.sendMessage({
      widgetSessionId: crypto.randomUUID(),
      distinctId: 'visitor_2',
      message: 'Hello',
    });
    await client.tickets.reply(ticket_id, { message: 'Hi! How can we help?' });
    await client.tickets.update(ticket_id, {
      status: 'pending',
      priority: 'high',
      assignee: { type: 'user', id: emulator.state.personalApiKeys[0]!.user.id },
    });
    await emulator.webhooksIdle();
    expect(handled.map((d) => d.event?.event ?? `untyped ${JSON.stringify(d.body)}`).sort()).toEqual([
      '$conversation_message_received',
      '$conversation_message_sent',
      '$conversation_ticket_assigned',
      '$conversation_ticket_created',
      '$conversation_ticket_priority_changed',
      '$conversation_ticket_status_changed',
    ]);
    const status = handled.find((d) => d.event?.event === '$conversation_ticket_status_changed')!.event!;
    expect(status.properties).toMatchObject({ new_status: 'pending', status: 'pending', actor_type: 'user' });
  });

  it('signs every attempt so the reference library verifies it, and retries a failure with the same webhook-id and a fresh timestamp', async () => {
    const receiver = await recorder([503, 500]);
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const emulator = await emulatorWith({
      webhooks: [{ url: receiver.url, secret: SECRET, events: ['$conversation_ticket_created'] }],
      webhookRetry: { initialDelayMs: 10 },
      now: () => new Date((clock += 1000)),
    });
    emulator.addTicket({ distinct_id: 'user_ada' });
    await emulator.webhooksIdle();
    expect(emulator.deliveries).toHaveLength(1);
    expect(emulator.deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 503 }, { status: 500 }, { status: 204 }] });
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    const timestamps = new Set(receiver.received.map((r) => r.headers['webhook-timestamp']));
    expect([ids.size, timestamps.size, receiver.received.length]).toEqual([1, 3, 3]);
    for (const { headers, body } of receiver.received) {
      const at = Number(headers['webhook-timestamp']);
      const oracle = new Webhook(SECRET);
      const expected = oracle.sign(String(headers['webhook-id']), new Date(at * 1000), body);
      expect(headers['webhook-signature']).toBe(expected);
    }
  });

  it('stops after the attempts allowed, and at once on a 4xx (the receiver refused it)', async () => {
    const failing = await recorder([500, 500, 500, 500]);
    const refusing = await recorder([400]);
    const emulator = await emulatorWith({
      webhooks: [
        { url: failing.url, secret: SECRET },
        { url: refusing.url, secret: SECRET },
      ],
      webhookRetry: { maxAttempts: 2, initialDelayMs: 10 },
    });
    emulator.addTicket({});
    await emulator.webhooksIdle();
    const [toFailing, toRefusing] = emulator.deliveries;
    expect(toFailing).toMatchObject({ state: 'failed', attempts: [{ status: 500 }, { status: 500 }] });
    expect(toRefusing).toMatchObject({ state: 'failed', attempts: [{ status: 400 }] });
  });

  it('isFetchResponseRetriable: retries 408, 429, 500, 502, 503 and 504, and no other status', async () => {
    const statuses = [408, 429, 500, 502, 503, 504, 501, 505, 404, 410];
    const receivers = await Promise.all(statuses.map((status) => recorder([status])));
    const emulator = await emulatorWith({
      webhooks: receivers.map((r) => ({ url: r.url, secret: SECRET, events: ['$conversation_ticket_created'] })),
      webhookRetry: { initialDelayMs: 10 },
    });
    emulator.addTicket({});
    await emulator.webhooksIdle();
    const attempts = emulator.deliveries.map((d) => d.attempts.map((a) => a.status));
    expect(attempts).toEqual(statuses.map((status) => ([501, 505, 404, 410].includes(status) ? [status] : [status, 204])));
  });

  it('records a connection failure and retries it', async () => {
    const emulator = await emulatorWith({
      webhooks: [{ url: 'http://127.0.0.1:9/nothing-listens', secret: SECRET }],
      webhookRetry: { maxAttempts: 2, initialDelayMs: 10 },
    });
    emulator.addTicket({});
    await emulator.webhooksIdle();
    expect(emulator.deliveries[0]).toMatchObject({
      state: 'failed',
      attempts: [{ error: expect.any(String) }, { error: expect.any(String) }],
    });
  });

  it('delivers to a receiver added after start (an app that learns its port later), checked like the option', async () => {
    const emulator = await emulatorWith({});
    const receiver = await recorder();
    expect(() => emulator.addWebhook({ url: receiver.url, secret: SECRET, evnts: [] } as never)).toThrow(
      /unknown option `evnts` in addWebhook; did you mean `events`\?/,
    );
    emulator.addWebhook({ url: receiver.url, secret: SECRET, events: ['$conversation_ticket_created'] });
    emulator.addTicket({});
    await emulator.webhooksIdle();
    expect(receiver.received.map((r) => JSON.parse(r.body).event.event)).toEqual(['$conversation_ticket_created']);
  });

  it('logs each request it answered with its status', async () => {
    const emulator = await emulatorWith({});
    await fetch(`${emulator.url}/api/conversations/v1/widget/tickets`, { headers: { 'x-conversations-token': 'wrong' } });
    expect(emulator.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/conversations/v1/widget/tickets',
      status: 403,
      at: expect.any(Date),
    });
  });

  it('refuses a webhook without an http(s) url or with a malformed secret, and unknown keys', async () => {
    await expect(startEmulator({ webhooks: [{ url: 'ftp://x', secret: SECRET }] })).rejects.toThrow(/url must be an http\(s\) URL/);
    await expect(startEmulator({ webhooks: [{ url: 'http://x', secret: 'nope nope' }] })).rejects.toThrow(/not a Standard Webhooks secret/);
    await expect(startEmulator({ webhooks: [{ url: 'http://x', secret: SECRET, event: ['x'] }] as never })).rejects.toThrow(
      /unknown option `event` .*did you mean `events`\?/,
    );
  });
});
