// verifyWebhook against the official `standardwebhooks` library as an oracle: what it signs we
// verify, and what it refuses we refuse too.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigurationError,
  ValidationError,
  WebhookVerificationError,
  createWebhookVerifier,
  verifyWebhook,
  type ConversationEvent,
} from '../../src/index.js';
import { thrown } from '../fixtures.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = `whsec_${Buffer.from('another-secret-key-of-32-bytes!!').toString('base64')}`;
const NOW = 1_764_086_400; // seconds
const oracle = new Webhook(SECRET);

/** A delivery as PostHog (and the reference library) signs it. */
function signed(body: string, { id = 'msg_2c1pRzT', at = NOW, secret = SECRET } = {}) {
  const signature = new Webhook(secret).sign(id, new Date(at * 1000), body);
  return { payload: body, headers: { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signature } };
}

const ticketCreated = {
  event: {
    uuid: '0190-ev',
    event: '$conversation_ticket_created',
    distinct_id: 'user_ada',
    timestamp: '2026-11-25T20:00:00Z',
    elements_chain: '',
    url: 'https://us.posthog.com/project/1/events/0190-ev',
    properties: {
      ticket_id: 't-1',
      ticket_number: 42,
      channel_source: 'widget',
      channel_detail: null,
      status: 'new',
      priority: null,
      customer_name: 'Ada',
      customer_email: 'ada@example.com',
      $lib: 'posthog-python',
    },
  },
  person: { id: 'p-1', properties: { email: 'ada@example.com' }, name: 'Ada', url: 'https://us.posthog.com/person/p-1' },
};
const BODY = JSON.stringify(ticketCreated);

function code(fn: () => unknown): string {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).code;
}

describe('verifyWebhook: what the reference library signs', () => {
  it('verifies a delivery and returns it parsed, with the event typed', () => {
    const delivery = verifyWebhook({ ...signed(BODY), secret: SECRET, now: NOW * 1000 });
    expect(delivery).toMatchObject({
      id: 'msg_2c1pRzT',
      timestamp: new Date(NOW * 1000),
      body: ticketCreated,
      person: ticketCreated.person,
    });
    expect(delivery.event).toMatchObject({
      event: '$conversation_ticket_created',
      properties: { ticket_id: 't-1', ticket_number: 42, $lib: 'posthog-python' },
    });
    const live = signed(BODY, { at: Math.floor(Date.now() / 1000) });
    expect(oracle.verify(live.payload, live.headers)).toEqual(verifyWebhook({ ...live, secret: SECRET }).body);
  });

  it('verifies a Buffer and a Uint8Array payload as well as a string', () => {
    const { headers } = signed(BODY);
    for (const payload of [Buffer.from(BODY), new TextEncoder().encode(BODY)])
      expect(verifyWebhook({ payload, headers, secret: SECRET, now: NOW * 1000 }).event?.event).toBe('$conversation_ticket_created');
  });

  it('accepts every header form: Fetch Headers, Node req.headers, mixed case, array values', () => {
    const { headers } = signed(BODY);
    const forms = [
      new Headers(headers),
      { ...headers, host: 'example.com', 'content-type': 'application/json' },
      {
        'Webhook-Id': headers['webhook-id'],
        'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
        'Webhook-Signature': headers['webhook-signature'],
      },
      { ...headers, 'webhook-signature': ['v1,AAAA', headers['webhook-signature']] },
    ];
    for (const form of forms)
      expect(verifyWebhook({ payload: BODY, headers: form, secret: SECRET, now: NOW * 1000 }).id).toBe('msg_2c1pRzT');
  });

  it('accepts any one of several signatures, and ignores other versions', () => {
    const { headers } = signed(BODY);
    const good = headers['webhook-signature'];
    for (const list of [`v1,${'A'.repeat(43)}= ${good}`, `v2,whatever ${good}`, `${good} v1,bogus`]) {
      expect(verifyWebhook({ payload: BODY, headers: { ...headers, 'webhook-signature': list }, secret: SECRET, now: NOW * 1000 }).id).toBe(
        'msg_2c1pRzT',
      );
    }
    expect(
      code(() =>
        verifyWebhook({
          payload: BODY,
          headers: { ...headers, 'webhook-signature': good.replace('v1,', 'v2,') },
          secret: SECRET,
          now: NOW * 1000,
        }),
      ),
    ).toBe('ERR_WEBHOOK_BAD_SIGNATURE');
  });

  it('tries every secret while you rotate (current first)', () => {
    const delivery = signed(BODY, { secret: OTHER });
    expect(verifyWebhook({ ...delivery, secret: [SECRET, OTHER], now: NOW * 1000 }).id).toBe('msg_2c1pRzT');
    expect(code(() => verifyWebhook({ ...delivery, secret: [SECRET], now: NOW * 1000 }))).toBe('ERR_WEBHOOK_BAD_SIGNATURE');
  });

  it('accepts a secret without the whsec_ prefix, as the reference library does', () => {
    expect(verifyWebhook({ ...signed(BODY), secret: SECRET.slice('whsec_'.length), now: NOW * 1000 }).id).toBe('msg_2c1pRzT');
  });
});

describe('verifyWebhook: refuses what the reference library refuses', () => {
  const at = (now: number) => ({ ...signed(BODY), secret: SECRET, now: now * 1000 });

  it.each([
    ['a tampered body', { payload: BODY.replace('Ada', 'Eve') }],
    ['a tampered webhook-id', { 'webhook-id': 'msg_other' }],
    ['a tampered timestamp', { 'webhook-timestamp': 'next' }],
  ])('%s is ERR_WEBHOOK_BAD_SIGNATURE, as the reference library says', (_, change) => {
    const now = Math.floor(Date.now() / 1000);
    const base = signed(BODY, { at: now });
    const { payload = BODY, ...headerChange } = change as Record<string, string>;
    if (headerChange['webhook-timestamp'] === 'next') headerChange['webhook-timestamp'] = String(now + 1);
    const headers = { ...base.headers, ...headerChange };
    expect(code(() => verifyWebhook({ payload, headers, secret: SECRET }))).toBe('ERR_WEBHOOK_BAD_SIGNATURE');
    expect(() => oracle.verify(payload, headers)).toThrow(/No matching signature/);
  });

  it('a wrong secret is ERR_WEBHOOK_BAD_SIGNATURE', () => {
    expect(code(() => verifyWebhook({ ...signed(BODY), secret: OTHER, now: NOW * 1000 }))).toBe('ERR_WEBHOOK_BAD_SIGNATURE');
  });

  it('the window is 300 s both ways by default, exactly at the edges', () => {
    expect(verifyWebhook(at(NOW + 300)).id).toBe('msg_2c1pRzT');
    expect(code(() => verifyWebhook(at(NOW + 301)))).toBe('ERR_WEBHOOK_TOO_OLD');
    expect(verifyWebhook(at(NOW - 300)).id).toBe('msg_2c1pRzT');
    expect(code(() => verifyWebhook(at(NOW - 301)))).toBe('ERR_WEBHOOK_TOO_NEW');
    expect(verifyWebhook({ ...at(NOW + 3600), toleranceSeconds: 3600 }).id).toBe('msg_2c1pRzT');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('a missing %s is ERR_WEBHOOK_MISSING_HEADER naming it', (name) => {
    const { headers } = signed(BODY);
    const without = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
    const error = thrown(() => verifyWebhook({ payload: BODY, headers: without, secret: SECRET, now: NOW * 1000 }));
    expect(error).toMatchObject({ code: 'ERR_WEBHOOK_MISSING_HEADER', message: expect.stringContaining(name) });
    expect(() => oracle.verify(BODY, without)).toThrow(/Missing required headers/);
  });

  it.each(['soon', '', '1.5', '-1', '123abc', '1e9'])('a timestamp of %j is refused', (timestamp) => {
    const { headers } = signed(BODY);
    expect(['ERR_WEBHOOK_BAD_TIMESTAMP', 'ERR_WEBHOOK_MISSING_HEADER']).toContain(
      code(() =>
        verifyWebhook({ payload: BODY, headers: { ...headers, 'webhook-timestamp': timestamp }, secret: SECRET, now: NOW * 1000 }),
      ),
    );
  });

  it('a signed body that is not JSON is ERR_WEBHOOK_BAD_PAYLOAD', () => {
    expect(code(() => verifyWebhook({ ...signed('not json'), secret: SECRET, now: NOW * 1000 }))).toBe('ERR_WEBHOOK_BAD_PAYLOAD');
  });

  // The exact window edges are tested above; here each library reads its own clock, so skews within
  // two seconds of an edge could fall on either side.
  it('agrees with the reference library on random bodies, ids and tampering (property)', () => {
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    fc.assert(
      fc.property(
        fc.json(),
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,20}$/),
        fc.integer({ min: -400, max: 400 }).filter((skew) => Math.abs(Math.abs(skew) - 300) > 2),
        fc.boolean(),
        (body, id, skew, tamper) => {
          const delivery = signed(body, { id, at: now + skew });
          const payload = tamper ? `${body} ` : body;
          const ours = (() => {
            try {
              verifyWebhook({ payload, headers: delivery.headers, secret: SECRET, now: nowMs });
              return 'ok';
            } catch (error) {
              return (error as WebhookVerificationError).code;
            }
          })();
          const theirs = (() => {
            try {
              oracle.verify(payload, delivery.headers);
              return 'ok';
            } catch {
              return 'refused';
            }
          })();
          expect(ours === 'ok', `ours ${ours}, theirs ${theirs}`).toBe(theirs === 'ok');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyWebhook: misuse is loud, and secrets stay secret', () => {
  it('refuses a parsed body, saying to pass the raw one', () => {
    const error = thrown(() => verifyWebhook({ payload: ticketCreated as never, headers: signed(BODY).headers, secret: SECRET }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/raw request body.*express\.raw/);
  });

  it.each([
    ['not base64', 'whsec_***not-base64***'],
    ['padded', `${SECRET}\n`],
    ['empty', ''],
    ['a number', 42],
  ])('refuses a secret that is %s, without echoing it', (_, secret) => {
    const error = thrown(() => verifyWebhook({ ...signed(BODY), secret: secret as string }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(error.message).not.toContain('***not-base64***');
  });

  it('never shows the secret in a verification error', () => {
    const errors = [
      thrown(() => verifyWebhook({ ...signed(BODY), secret: OTHER, now: NOW * 1000 })),
      thrown(() => verifyWebhook({ ...signed(BODY), secret: SECRET, now: (NOW + 1000) * 1000 })),
    ];
    for (const error of errors) expect([error.message, inspect(error), JSON.stringify(error)].join(' ')).not.toMatch(/MfKQ9r8|YW5vdGhlci/);
  });

  it('refuses unknown options, naming the nearest', () => {
    expect(() => verifyWebhook({ ...signed(BODY), secret: SECRET, tolerance: 10 } as never)).toThrow(/did you mean `toleranceSeconds`\?/);
  });
});

describe('typed events', () => {
  const deliver = (body: unknown) => verifyWebhook({ ...signed(JSON.stringify(body)), secret: SECRET, now: NOW * 1000 });

  it('narrows on event.event', () => {
    const { event } = deliver(ticketCreated);
    if (event?.event === '$conversation_ticket_created') expectTypeOf(event.properties.ticket_number).toEqualTypeOf<number>();
    if (event?.event === '$conversation_sla_breached') expectTypeOf(event.properties.minutes_overdue).toEqualTypeOf<number>();
    expectTypeOf<
      Extract<ConversationEvent, { event: '$conversation_ticket_status_changed' }>['properties']['new_status']
    >().toEqualTypeOf<string>();
  });

  it('types every event PostHog captures, from events.py', () => {
    const base = { ticket_id: 't', ticket_number: 1, channel_source: 'widget', channel_detail: null, status: 'open', priority: 'high' };
    const actor = {
      actor_type: 'user',
      actor_id: 7,
      actor_email: 'agent@example.com',
      customer_name: '',
      customer_email: '',
      customer_distinct_id: 'u',
    };
    const cases = {
      $conversation_ticket_status_changed: { ...base, old_status: 'new', new_status: 'open', ...actor },
      $conversation_ticket_priority_changed: { ...base, old_priority: null, new_priority: 'high', ...actor },
      $conversation_ticket_assigned: { ...base, assignee_type: 'user', assignee_id: '7', ...actor },
      $conversation_message_sent: {
        ...base,
        message_id: 'm',
        message_content: 'Hi',
        author_type: 'team',
        ...actor,
        sla_due_at: null,
        sla_active: false,
        sla_breached: false,
        sla_delta_seconds: null,
      },
      $conversation_message_received: {
        ...base,
        message_id: 'm',
        message_content: 'Help',
        author_type: 'customer',
        customer_name: 'Ada',
        customer_email: 'ada@example.com',
      },
      $conversation_sla_approaching: {
        ...base,
        sla_due_at: '2026-11-25T21:00:00Z',
        sla_active: true,
        sla_breached: false,
        threshold_minutes: 60,
        minutes_remaining: 50,
      },
      $conversation_sla_breached: { ...base, sla_due_at: '2026-11-25T21:00:00Z', sla_active: true, sla_breached: true, minutes_overdue: 5 },
      $conversation_incident_detected: {
        incident_id: 'i',
        title: 'Spike',
        detected_at: '2026-11-25T20:00:00Z',
        sample_ticket_numbers: [1, 2],
      },
    };
    for (const [name, properties] of Object.entries(cases)) {
      const { event } = deliver({ event: { ...ticketCreated.event, event: name, properties }, person: null });
      expect(event, name).toMatchObject({ event: name, properties });
    }
  });

  it('leaves an unknown event or another body shape as body, with event null and no problems', () => {
    for (const body of [
      { event: { ...ticketCreated.event, event: '$pageview' }, person: null },
      { custom: 'shape' },
      [1, 2, 3],
      null,
      'text',
    ]) {
      const delivery = deliver(body);
      expect(delivery.event).toBeNull();
      expect(delivery.problems).toEqual([]);
      expect(delivery.body).toEqual(body);
    }
  });

  it('delivers a known event whose properties surprised it, typed by its name, and says what did not fit (types, never values)', () => {
    const body = {
      event: {
        ...ticketCreated.event,
        properties: { ...ticketCreated.event.properties, ticket_id: 1, customer_email: 'secret-ish@example.com' },
      },
      person: null,
    };
    const delivery = deliver(body);
    expect(delivery.event?.event).toBe('$conversation_ticket_created');
    expect(delivery.event?.properties).toEqual(body.event.properties);
    expect(delivery.problems).toEqual(['event.properties.ticket_id: expected string, got a number']);
    expect(JSON.stringify(delivery.problems)).not.toContain('example.com');
  });

  it('keeps a known event whose properties are missing or not an object, with empty properties and the problem named', () => {
    for (const properties of [undefined, null, [1], 'x']) {
      const { uuid, distinct_id, timestamp } = ticketCreated.event;
      const delivery = deliver({
        event: { uuid, distinct_id, timestamp, event: '$conversation_message_received', properties },
        person: null,
      });
      expect(delivery.event).toMatchObject({ event: '$conversation_message_received', properties: {} });
      expect(delivery.problems[0]).toMatch(/^event\.properties: expected an object, got /);
    }
  });
});

describe('createWebhookVerifier: keys prepared once', () => {
  it('checks its options when created: a misspelt key, a bad secret, a bad window', () => {
    expect(() => createWebhookVerifier({ secret: SECRET, tolerance: 5 } as never)).toThrow(/unknown option `tolerance`.*toleranceSeconds/);
    expect(() => createWebhookVerifier({ secret: 'whsec_not base64!' })).toThrow(ConfigurationError);
    expect(() => createWebhookVerifier({ secret: [] })).toThrow(ConfigurationError);
    expect(() => createWebhookVerifier({ secret: SECRET, toleranceSeconds: -1 })).toThrow(ConfigurationError);
  });

  it('agrees with verifyWebhook and the reference library on every generated delivery, genuine or altered, with secret lists', () => {
    const verifier = createWebhookVerifier({ secret: [OTHER, SECRET] });
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\s,]/.test(s)),
        (value, tamper, id) => {
          const body = JSON.stringify({ value });
          const { payload, headers } = signed(body, { id, at: Math.floor(Date.now() / 1000) });
          const sent = tamper ? `${payload} ` : payload;
          const outcome = (run: () => unknown) => {
            try {
              return JSON.stringify(run());
            } catch (error) {
              return (error as { code?: string }).code ?? String(error);
            }
          };
          const prepared = outcome(() => verifier.verify(sent, headers).body);
          expect(prepared).toBe(outcome(() => verifyWebhook({ payload: sent, headers, secret: [OTHER, SECRET] }).body));
          expect(prepared).toBe(tamper ? 'ERR_WEBHOOK_BAD_SIGNATURE' : outcome(() => oracle.verify(sent, headers)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
