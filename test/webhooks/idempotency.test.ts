// Exactly-once handling in the receiver core, with the one-process store and with stores that fail,
// hang or answer nonsense (faults a real Redis cannot be made to produce on cue). Redis itself is in
// redis-store.test.ts and replicas.test.ts.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMULATOR_DEFAULTS as D, webhookDelivery } from '../../src/testing/index.js';
import {
  CONVERSATION_EVENT_NAMES,
  ConfigurationError,
  type IdempotencyStore,
  IdempotencyStoreError,
  createWebhookHandler,
  memoryIdempotencyStore,
  verifyWebhook,
  type WebhookDelivery,
  type WebhookIdempotencyOptions,
} from '../../src/webhooks/index.js';

const SECRET = D.webhookSecret;
const URL_ = 'http://127.0.0.1/webhooks/posthog';

function post(delivery: { body: string; headers: Record<string, string> }): Request {
  return new Request(URL_, { method: 'POST', body: delivery.body, headers: delivery.headers });
}

/** A store that records each call and passes it to `inner`. */
function recording(inner: IdempotencyStore) {
  const calls: string[] = [];
  const store: IdempotencyStore = {
    claim(key, token, lease) {
      calls.push(`claim ${key}`);
      return inner.claim(key, token, lease);
    },
    complete(key, retain) {
      calls.push(`complete ${key}`);
      return inner.complete(key, retain);
    },
    release(key, token) {
      calls.push(`release ${key}`);
      return inner.release(key, token);
    },
  };
  return { store, calls };
}

function receiver(idempotency: WebhookIdempotencyOptions, onDelivery: (d: WebhookDelivery) => unknown = () => {}) {
  const runs: string[] = [];
  const handle = createWebhookHandler({
    secret: SECRET,
    idempotency,
    onDelivery: async (delivery) => {
      runs.push(delivery.id);
      await onDelivery(delivery);
    },
  });
  return { handle, runs };
}

afterEach(() => vi.restoreAllMocks());

describe('memoryIdempotencyStore', () => {
  it('claims a free key, answers busy with the lease left, done after complete', async () => {
    const store = memoryIdempotencyStore();
    expect(await store.claim('a', 't1', 60_000)).toEqual({ status: 'claimed' });
    const busy = await store.claim('a', 't2', 60_000);
    expect(busy.status).toBe('busy');
    expect(busy.status === 'busy' && busy.retryAfterMs).toBeGreaterThan(59_000);
    await store.complete('a', 86_400_000);
    expect(await store.claim('a', 't3', 60_000)).toEqual({ status: 'done' });
  });

  it('releases only for the token that holds the claim', async () => {
    const store = memoryIdempotencyStore();
    await store.claim('a', 't1', 60_000);
    await store.release('a', 'someone-else');
    expect((await store.claim('a', 't2', 60_000)).status).toBe('busy');
    await store.release('a', 't1');
    expect(await store.claim('a', 't2', 60_000)).toEqual({ status: 'claimed' });
  });

  it('frees a claim whose lease ran out, and forgets a done record after its retention', async () => {
    const store = memoryIdempotencyStore();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    await store.claim('a', 't1', 1000);
    now.mockReturnValue(1_001_000);
    expect(await store.claim('a', 't2', 1000)).toEqual({ status: 'claimed' });
    await store.complete('a', 5000);
    now.mockReturnValue(1_005_999);
    expect(await store.claim('a', 't3', 1000)).toEqual({ status: 'done' });
    now.mockReturnValue(1_006_000);
    expect(await store.claim('a', 't3', 1000)).toEqual({ status: 'claimed' });
  });

  it('keeps at most maxEntries, dropping expired ones first, then the oldest', async () => {
    const store = memoryIdempotencyStore({ maxEntries: 2 });
    const now = vi.spyOn(Date, 'now').mockReturnValue(0);
    await store.claim('short', 't', 10);
    await store.complete('old', 60_000);
    now.mockReturnValue(100); // 'short' has expired: it goes, 'old' stays
    await store.complete('new', 60_000);
    expect(await store.claim('old', 't', 10)).toEqual({ status: 'done' });
    await store.complete('newest', 60_000); // full of live records: the oldest written ('old') goes; reading it did not refresh it
    expect(await store.claim('new', 't', 10)).toEqual({ status: 'done' });
    expect(await store.claim('newest', 't', 10)).toEqual({ status: 'done' });
    expect(await store.claim('old', 't', 10)).toEqual({ status: 'claimed' });
  });

  it('refuses unknown options and a bad bound', () => {
    expect(() => memoryIdempotencyStore({ maxEntry: 5 } as never)).toThrow(/unknown option `maxEntry`.*did you mean `maxEntries`/);
    expect(() => memoryIdempotencyStore({ maxEntries: 0 })).toThrow(ConfigurationError);
  });
});

describe('a receiver with idempotency', () => {
  it('runs the handler once; the same delivery again answers 204 without running it', async () => {
    const { store, calls } = recording(memoryIdempotencyStore());
    const { handle, runs } = receiver({ store });
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    expect((await handle(post(delivery))).status).toBe(204);
    expect((await handle(post(delivery))).status).toBe(204);
    expect(runs).toEqual([delivery.id]);
    expect(calls).toEqual([`claim ${delivery.id}`, `complete ${delivery.id}`, `claim ${delivery.id}`]);
  });

  it('a retry re-signed later with the same webhook-id is the same delivery', async () => {
    const { handle, runs } = receiver({ store: memoryIdempotencyStore() });
    const first = webhookDelivery('$conversation_message_received', { secret: SECRET, timestamp: Date.now() - 20_000 });
    const retry = webhookDelivery('$conversation_message_received', { secret: SECRET, id: first.id });
    expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    await handle(post(first));
    expect((await handle(post(retry))).status).toBe(204);
    expect(runs).toHaveLength(1);
  });

  it('answers 429 with Retry-After while the same delivery is being handled, and runs it once', async () => {
    let finish!: () => void;
    const { handle, runs } = receiver({ store: memoryIdempotencyStore(), leaseSeconds: 30 }, () => new Promise<void>((r) => (finish = r)));
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const first = handle(post(delivery));
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    const second = await handle(post(delivery));
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(await second.json()).toEqual({ error: expect.stringMatching(/another receiver/i), code: 'ERR_DELIVERY_IN_PROGRESS' });
    finish();
    expect((await first).status).toBe(204);
    expect(runs).toEqual([delivery.id]);
  });

  it('releases the claim when the handler throws, so the retry runs it and is then done', async () => {
    let failures = 1;
    const { store, calls } = recording(memoryIdempotencyStore());
    const { handle, runs } = receiver({ store }, () => {
      if (failures-- > 0) throw new Error('CRM down');
    });
    const delivery = webhookDelivery('$conversation_ticket_assigned', { secret: SECRET });
    await expect(handle(post(delivery))).rejects.toThrow('CRM down');
    expect((await handle(post(delivery))).status).toBe(204);
    expect((await handle(post(delivery))).status).toBe(204);
    expect(runs).toEqual([delivery.id, delivery.id]);
    expect(calls.filter((c) => c.startsWith('release'))).toHaveLength(1);
  });

  it('verifies before claiming: a forged or stale delivery writes nothing to the store', async () => {
    const { store, calls } = recording(memoryIdempotencyStore());
    const { handle, runs } = receiver({ store });
    const forged = webhookDelivery('$conversation_ticket_created', { secret: `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}` });
    const stale = webhookDelivery('$conversation_ticket_created', { secret: SECRET, timestamp: Date.now() - 3_600_000 });
    expect((await handle(post(forged))).status).toBe(400);
    expect((await handle(post(stale))).status).toBe(400);
    expect(calls).toEqual([]);
    expect(runs).toEqual([]);
  });

  it('deliveries with different ids do not block one another', async () => {
    const { handle, runs } = receiver({ store: memoryIdempotencyStore() });
    const a = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const b = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const answers = await Promise.all([handle(post(a)), handle(post(b))]);
    expect(answers.map((r) => r.status)).toEqual([204, 204]);
    expect(runs.sort()).toEqual([a.id, b.id].sort());
  });
});

describe('a receiver whose store fails', () => {
  const failing = (what: Partial<Record<keyof IdempotencyStore, () => Promise<never>>>): IdempotencyStore => ({
    ...memoryIdempotencyStore(),
    ...what,
  });

  it('answers 503 and never runs the handler when the claim fails; the error is reported with its cause', async () => {
    const reported: IdempotencyStoreError[] = [];
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const { handle, runs } = receiver({
      store: failing({ claim: () => Promise.reject(cause) }),
      onStoreError: (e) => void reported.push(e),
    });
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const answer = await handle(post(delivery));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ error: expect.any(String), code: 'ERR_IDEMPOTENCY_STORE' });
    expect(runs).toEqual([]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(IdempotencyStoreError);
    expect(reported[0]).toMatchObject({ code: 'ERR_IDEMPOTENCY_STORE', operation: 'claim', cause });
    expect(reported[0]!.message).toContain(delivery.id);
  });

  it('answers 503 within storeTimeoutMs when the store never answers, and frees a claim that lands late', async () => {
    const inner = memoryIdempotencyStore();
    let land!: () => void;
    const slow: IdempotencyStore = {
      ...inner,
      claim: (key, token, lease) => new Promise((resolve) => (land = () => resolve(inner.claim(key, token, lease)))),
    };
    const { handle, runs } = receiver({ store: slow, storeTimeoutMs: 50, onStoreError: () => {} });
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: SECRET });
    const started = Date.now();
    expect((await handle(post(delivery))).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(runs).toEqual([]);
    land(); // the claim is written after the receiver gave up: it is released again
    await vi.waitFor(async () => expect(await inner.claim(delivery.id, 'next', 1000)).toEqual({ status: 'claimed' }));
  });

  it('answers 503 for a store that answers something that is not a claim', async () => {
    const reported: IdempotencyStoreError[] = [];
    const store = { ...memoryIdempotencyStore(), claim: async () => ({ status: 'maybe' }) } as unknown as IdempotencyStore;
    const { handle, runs } = receiver({ store, onStoreError: (e) => void reported.push(e) });
    expect((await handle(post(webhookDelivery('$conversation_ticket_created', { secret: SECRET })))).status).toBe(503);
    expect(runs).toEqual([]);
    expect(String((reported[0]!.cause as Error).message)).toMatch(/not \{ status/);
  });

  it('answers 204 when the handler succeeded but the done record could not be written, and reports it', async () => {
    const reported: IdempotencyStoreError[] = [];
    const { handle, runs } = receiver({
      store: failing({ complete: () => Promise.reject(new Error('READONLY')) }),
      onStoreError: (e) => void reported.push(e),
    });
    expect((await handle(post(webhookDelivery('$conversation_ticket_created', { secret: SECRET })))).status).toBe(204);
    expect(runs).toHaveLength(1);
    expect(reported.map((e) => e.operation)).toEqual(['complete']);
  });

  it("passes the handler's own error on when the release fails too", async () => {
    const reported: IdempotencyStoreError[] = [];
    const { handle } = receiver(
      { store: failing({ release: () => Promise.reject(new Error('gone')) }), onStoreError: (e) => void reported.push(e) },
      () => {
        throw new Error('handler failed');
      },
    );
    await expect(handle(post(webhookDelivery('$conversation_ticket_created', { secret: SECRET })))).rejects.toThrow('handler failed');
    expect(reported.map((e) => e.operation)).toEqual(['release']);
  });

  it('logs to console.error by default, credentials in the cause masked, once per kind a minute', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cause = new Error('connect to redis://default:hunter2@cache:6379 failed');
    const { handle } = receiver({ store: failing({ claim: () => Promise.reject(cause) }) });
    for (let i = 0; i < 3; i++) await handle(post(webhookDelivery('$conversation_ticket_created', { secret: SECRET })));
    expect(errors).toHaveBeenCalledTimes(1);
    const line = String(errors.mock.calls[0]![0]);
    expect(line).toMatch(/^posthog-conversations: the idempotency store could not claim webhook delivery msg_/);
    expect(line).toContain('redis://***@cache:6379');
    expect(line).not.toContain('hunter2');
  });
});

describe('the idempotency option is checked at start-up', () => {
  const make = (idempotency: unknown) => () => createWebhookHandler({ secret: SECRET, onDelivery: () => {}, idempotency } as never);

  it.each([
    [
      { store: memoryIdempotencyStore(), lease: 5 },
      /unknown option `lease` in createWebhookHandler options idempotency; did you mean `leaseSeconds`/,
    ],
    [{ store: {} }, /idempotency.store must be an IdempotencyStore/],
    [{}, /idempotency.store must be an IdempotencyStore/],
    [
      { store: memoryIdempotencyStore(), leaseSeconds: 0 },
      /idempotency.leaseSeconds must be a whole number of seconds from 1 to 3600, got 0/,
    ],
    [{ store: memoryIdempotencyStore(), leaseSeconds: 1.5 }, /leaseSeconds/],
    [{ store: memoryIdempotencyStore(), retainSeconds: 10 }, /retainSeconds must be a whole number of seconds from 60/],
    [{ store: memoryIdempotencyStore(), storeTimeoutMs: '2000' }, /storeTimeoutMs must be a whole number of milliseconds/],
    [{ store: memoryIdempotencyStore(), onStoreError: 'log' }, /onStoreError must be a function/],
    ['redis', /idempotency in createWebhookHandler options must be \{ store/],
  ])('%o', (idempotency, message) => {
    expect(make(idempotency)).toThrow(ConfigurationError);
    expect(make(idempotency)).toThrow(message);
  });
});

describe('webhookDelivery', () => {
  it.each(CONVERSATION_EVENT_NAMES)('%s verifies under the official standardwebhooks library and ours, typed with no problems', (name) => {
    const delivery = webhookDelivery(name, { secret: SECRET });
    const official = new Webhook(SECRET.slice('whsec_'.length)).verify(delivery.body, delivery.headers) as { event: { event: string } };
    expect(official.event.event).toBe(name);
    const ours = verifyWebhook({ payload: delivery.body, headers: delivery.headers, secret: SECRET });
    expect(ours.id).toBe(delivery.id);
    expect(ours.event?.event).toBe(name);
    expect(ours.problems).toEqual([]);
  });

  it('has the body PostHog sends: { event: { uuid, event, elements_chain, distinct_id, properties, timestamp, captured_at, url }, person }', () => {
    const at = new Date('2026-12-02T10:00:00.000Z');
    const delivery = webhookDelivery('$conversation_ticket_created', {
      secret: SECRET,
      timestamp: at,
      properties: { priority: 'high', extra: 1 },
    });
    const body = JSON.parse(delivery.body);
    expect(Object.keys(body)).toEqual(['event', 'person']);
    expect(body.person).toBeNull();
    expect(Object.keys(body.event)).toEqual([
      'uuid',
      'event',
      'elements_chain',
      'distinct_id',
      'properties',
      'timestamp',
      'captured_at',
      'url',
    ]);
    expect(body.event.timestamp).toBe('2026-12-02T10:00:00.000Z');
    expect(body.event.url).toBe(`https://us.posthog.com/project/1/events/${body.event.uuid}/2026-12-02T10%3A00%3A00.000Z`);
    expect(body.event.properties).toMatchObject({ priority: 'high', extra: 1, ticket_number: 42 });
    expect(delivery.headers).toEqual({
      'Content-Type': 'application/json',
      'webhook-id': expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      'webhook-timestamp': String(at.getTime() / 1000),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
  });

  it.each([
    [
      'an unknown event, with the nearest',
      () => webhookDelivery('ticket_created' as never, { secret: SECRET }),
      /did you mean '\$conversation_ticket_created'/,
    ],
    [
      'a secret PostHog would refuse to sign with',
      () => webhookDelivery('$conversation_ticket_created', { secret: 'whsec_c2hvcnQ=' }),
      /24 bytes/,
    ],
    [
      'a secret that is not whsec_ base64',
      () => webhookDelivery('$conversation_ticket_created', { secret: 'phs_abc' }),
      /not a Standard Webhooks secret/,
    ],
    [
      'a timestamp in seconds',
      () => webhookDelivery('$conversation_ticket_created', { secret: SECRET, timestamp: 1_764_000_000 }),
      /looks like seconds/,
    ],
    ['a CR/LF in the id', () => webhookDelivery('$conversation_ticket_created', { secret: SECRET, id: 'a\r\nb' }), /line breaks/],
    [
      'an unknown option',
      () => webhookDelivery('$conversation_ticket_created', { secret: SECRET, propertes: {} } as never),
      /did you mean `properties`/,
    ],
  ])('refuses %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});
