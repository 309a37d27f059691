// Every SDK method against every answer PostHog's serializers can send (test/fixtures/posthog-responses.ts):
// each nullable field null or not, each optional field absent or not, unknown extra fields, over
// real HTTP from a server that answers what the test says. All parse, typed, with nothing reported;
// and every event of events.py, signed by the standardwebhooks library, verifies typed.
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../helpers/servers.js';
import { createClient, verifyWebhook, type PostHogConversationsClient, type UnexpectedResponseReport } from '../../src/index.js';
import { EVENTS, EVENT_ENVELOPE, RESPONSES, type FieldFact, type ResponseFacts } from '../fixtures/posthog-responses.js';

const UUID = '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const widgetSessionId = UUID;

let server: Served;
let answer: unknown = {};
let client: PostHogConversationsClient;
const reports: UnexpectedResponseReport[] = [];
const counts = { responses: 0, events: 0 };

beforeAll(async () => {
  server = await serve((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  const host = server.url;
  client = createClient({
    host,
    publicToken: 'tok',
    secretApiToken: 'phs_x',
    personalApiKey: 'phx_x',
    projectId: 1,
    retry: false,
    onUnexpectedResponse: (report) => reports.push(report),
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
  console.log(
    `PostHog answers tried: ${counts.responses} responses over ${Object.keys(CALLS).length} methods, ${counts.events} signed events`,
  );
});

/** Each method, the response it parses, and whether it returns the body as it came (extra fields and all). */
const CALLS: Record<string, [keyof typeof RESPONSES, (c: PostHogConversationsClient) => Promise<unknown>, 'as-sent' | 'derived']> = {
  'widget.sendMessage': ['sendMessage', (c) => c.widget.sendMessage({ message: 'hi', widgetSessionId, distinctId: 'u' }), 'as-sent'],
  'widget.listTickets': ['widgetTickets', (c) => c.widget.listTickets({ widgetSessionId }), 'as-sent'],
  'widget.getMessages': ['widgetMessages', (c) => c.widget.getMessages(UUID, { widgetSessionId }), 'as-sent'],
  'widget.markRead': ['markRead', (c) => c.widget.markRead(UUID, { widgetSessionId }), 'as-sent'],
  'widget.requestRestore': [
    'restoreRequest',
    (c) => c.widget.requestRestore({ email: 'a@example.com', requestUrl: 'https://app.example.com/' }),
    'as-sent',
  ],
  'widget.redeemRestore': ['restoreRedeem', (c) => c.widget.redeemRestore({ restoreToken: 'x'.repeat(43), widgetSessionId }), 'as-sent'],
  'tickets.list': ['ticketsPage', (c) => c.tickets.list(), 'as-sent'],
  'tickets.get': ['ticket', (c) => c.tickets.get(UUID), 'as-sent'],
  'tickets.update': ['ticket', (c) => c.tickets.update(UUID, { status: 'open' }), 'as-sent'],
  'tickets.reply': ['message', (c) => c.tickets.reply(UUID, { message: 'hi' }), 'as-sent'],
  'tickets.messages': ['messagesPage', (c) => c.tickets.messages(UUID), 'as-sent'],
  'tickets.compose': [
    'composed',
    (c) => c.tickets.compose({ recipientEmail: 'a@example.com', emailConfigId: UUID, message: 'hi' }),
    'as-sent',
  ],
  'tickets.unreadCount': ['unreadCount', (c) => c.tickets.unreadCount(), 'derived'],
  'external.getTicket': ['externalTicket', (c) => c.external.getTicket(UUID, { includeFirstCustomerMessageText: true }), 'as-sent'],
  'external.updateTicket': ['externalUpdate', (c) => c.external.updateTicket(UUID, { status: 'open' }), 'as-sent'],
  'settings.get': ['project', (c) => c.settings.get(), 'derived'],
  'settings.update': ['project', (c) => c.settings.update({ enabled: true }), 'derived'],
  'settings.personalApiKey': ['personalKey', (c) => c.settings.personalApiKey(), 'as-sent'],
  'remoteConfig.get': ['remoteConfig', (c) => c.remoteConfig.get('phc_x'), 'derived'],
};

type Mode = 'sample' | 'null' | 'absent';

/** One field's value in a mode: its sample (nested objects built too), null where allowed, or absent. */
function build(facts: ResponseFacts, pick: (fact: FieldFact) => Mode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, fact] of Object.entries(facts)) {
    const mode = pick(fact);
    if (mode === 'absent' && fact.optional) continue;
    if (mode === 'null' && fact.nullable) out[key] = null;
    else if (fact.listOf) out[key] = [build(fact.listOf, pick), build(fact.listOf, () => 'sample')];
    else if (fact.object) out[key] = build(fact.object, pick);
    else out[key] = fact.sample;
  }
  return out;
}

/** Any mix of the three modes, plus new fields a newer server might add, at every level. */
function arbitraryOf(facts: ResponseFacts): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, fact] of Object.entries(facts)) {
    const value: fc.Arbitrary<unknown> = fact.listOf
      ? fc.array(arbitraryOf(fact.listOf), { maxLength: 3 })
      : fact.object
        ? arbitraryOf(fact.object)
        : fc.constant(fact.sample);
    fields[key] = fact.nullable ? fc.oneof(value, fc.constant(null)) : value;
  }
  const optional = Object.entries(facts)
    .filter(([, f]) => f.optional)
    .map(([k]) => k);
  const required = Object.keys(facts).filter((k) => !optional.includes(k));
  const extras = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).map((k) => `x_${k}`),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  // Through JSON and back, as a server's answer is (-0 becomes 0).
  return fc
    .tuple(fc.record(fields, { requiredKeys: required }), extras)
    .map(([record, extra]) => JSON.parse(JSON.stringify({ ...extra, ...record })) as Record<string, unknown>);
}

async function callWith(name: string, body: unknown): Promise<unknown> {
  answer = body;
  counts.responses++;
  const before = reports.length;
  const result = await CALLS[name]![1](client);
  expect(reports.slice(before), `${name} reported a surprise for ${JSON.stringify(body)}`).toEqual([]);
  if (CALLS[name]![2] === 'as-sent') expect(result).toEqual(body);
  return result;
}

describe('every method parses what PostHog can send', () => {
  it.each(Object.keys(CALLS))('%s: every nullable field null', async (name) => {
    await callWith(
      name,
      build(RESPONSES[CALLS[name]![0]], () => 'null'),
    );
  });

  it.each(Object.keys(CALLS))('%s: every optional field absent', async (name) => {
    await callWith(
      name,
      build(RESPONSES[CALLS[name]![0]], () => 'absent'),
    );
  });

  it.each(Object.keys(CALLS))('%s: any mix, with unknown extra fields', async (name) => {
    await fc.assert(
      fc.asyncProperty(arbitraryOf(RESPONSES[CALLS[name]![0]]), (body) => callWith(name, body).then(() => undefined)),
      { numRuns: 40 },
    );
  });

  it('reads what it needs from the answers PostHog gives a null (settings and remote config)', async () => {
    answer = build(RESPONSES.project, () => 'null');
    expect(await client.settings.get()).toEqual({ enabled: false, settings: {}, publicToken: null });
    answer = { conversations_enabled: true, conversations_settings: { widget_public_token: null, widget_domains: null } };
    expect(await client.settings.get()).toEqual({
      enabled: true,
      settings: { widget_public_token: null, widget_domains: null },
      publicToken: null,
    });
    answer = build(RESPONSES.remoteConfig, () => 'null');
    expect(await client.remoteConfig.get('phc_x')).toMatchObject({ enabled: true, widgetEnabled: null, domains: null });
  });
});

describe('what still surprises the SDK costs nothing else', () => {
  it('one item of another shape: the page keeps every item as sent, and the report names the field (types only)', async () => {
    const good = build(RESPONSES.ticket, () => 'sample');
    const odd = { ...good, id: `${UUID.slice(0, -1)}c`, ticket_number: 'forty-two', anonymous_traits: ['secret-value'] };
    answer = { count: 2, next: null, previous: null, results: [good, odd] };
    const before = reports.length;
    const page = await client.tickets.list();
    expect(page.results).toEqual([good, odd]);
    const [report] = reports.slice(before);
    expect(report).toMatchObject({ method: 'GET', status: 200, path: '/api/projects/1/conversations/tickets/' });
    expect(report!.problems).toEqual([
      'a ticket: ticket_number: expected number, received string',
      'a ticket: anonymous_traits: expected record, received array',
    ]);
    expect(JSON.stringify(report)).not.toContain('secret-value');
  });

  it('a body without what the SDK reads (a page without results) is still an InvalidResponseError', async () => {
    answer = { count: 1, next: null };
    await expect(client.tickets.list()).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE' });
    answer = { messages: [{ id: 'm' }], has_more: false, ticket_id: UUID };
    await expect(client.widget.getMessages(UUID, { widgetSessionId })).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE' });
  });

  it('the default reporter warns once per distinct problem, not once per call', async () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    const quiet = createClient({ host: client.host, publicToken: 'tok', retry: false });
    try {
      answer = { count: 1, results: [{ ...build(RESPONSES.widgetTickets.results.listOf, () => 'sample'), unread_count: 'one' }] };
      for (let i = 0; i < 3; i++) await quiet.widget.listTickets({ widgetSessionId });
    } finally {
      console.warn = original;
      await quiet.close();
    }
    expect(warnings).toHaveLength(1);
    expect(String((warnings[0] as unknown[])[0])).toMatch(
      /kept as PostHog sent it.*a ticket: unread_count: expected number, received string/,
    );
  });
});

describe('every event of events.py verifies typed', () => {
  const secret = `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`;
  const signer = new Webhook(secret);

  function deliver(event: Record<string, unknown>) {
    const payload = JSON.stringify({ event, person: null });
    const id = `msg_${counts.events++}`;
    const timestamp = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign(id, timestamp, payload),
    };
    return verifyWebhook({ payload, headers, secret });
  }

  it.each(Object.keys(EVENTS))('%s with any mix of nulls, absences and new properties', async (name) => {
    const envelope = arbitraryOf(EVENT_ENVELOPE);
    fc.assert(
      fc.property(envelope, arbitraryOf(EVENTS[name]!), (env, properties) => {
        const delivery = deliver({ ...env, event: name, properties });
        expect(delivery.event?.event).toBe(name);
        expect(delivery.event?.properties).toEqual(properties);
        expect(delivery.problems).toEqual([]);
      }),
      { numRuns: 60 },
    );
    for (const mode of ['null', 'absent'] as const) {
      const delivery = deliver({ ...build(EVENT_ENVELOPE, () => mode), event: name, properties: build(EVENTS[name]!, () => mode) });
      expect(delivery.problems, mode).toEqual([]);
    }
  });
});
