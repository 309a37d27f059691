// The Postgres store the webhooks guide documents (examples/webhooks/postgres-store.mjs), on a real
// PostgreSQL engine (PGlite: Postgres compiled to WebAssembly, in this process), through the
// receiver: the IdempotencyStore interface is small enough for a team to back with its own database.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA, postgresIdempotencyStore } from '../../examples/webhooks/postgres-store.mjs';
import { EMULATOR_DEFAULTS as D, webhookDelivery } from '../../src/testing/index.js';
import { type IdempotencyStore, createWebhookHandler } from '../../src/webhooks/index.js';

let db: PGlite;
let store: IdempotencyStore;
beforeAll(async () => {
  db = new PGlite();
  await db.exec(SCHEMA);
  store = postgresIdempotencyStore(db);
}, 60_000);
afterAll(() => db?.close());

describe('postgresIdempotencyStore (the documented example)', () => {
  it('claims, answers busy with the lease left, done after complete', async () => {
    expect(await store.claim('a', 't1', 60_000)).toEqual({ status: 'claimed' });
    const busy = await store.claim('a', 't2', 60_000);
    expect(busy.status).toBe('busy');
    expect(busy.status === 'busy' && busy.retryAfterMs).toBeGreaterThan(55_000);
    await store.complete('a', 86_400_000);
    expect(await store.claim('a', 't3', 60_000)).toEqual({ status: 'done' });
  });

  it('releases only for the holder; a lease that ran out is taken over', async () => {
    await store.claim('b', 't1', 60_000);
    await store.release('b', 'not-mine');
    expect((await store.claim('b', 't2', 60_000)).status).toBe('busy');
    await store.release('b', 't1');
    expect(await store.claim('b', 't2', 100)).toEqual({ status: 'claimed' });
    await new Promise((r) => setTimeout(r, 150));
    expect(await store.claim('b', 't3', 60_000)).toEqual({ status: 'claimed' });
    expect((await db.query<{ token: string }>('SELECT token FROM posthog_webhook_deliveries WHERE id = $1', ['b'])).rows).toEqual([
      { token: 't3' },
    ]);
  });

  it('behind a receiver: once, a retry after a throw runs again, a duplicate after success does not', async () => {
    const runs: string[] = [];
    let fail = true;
    const handle = createWebhookHandler({
      secret: D.webhookSecret,
      idempotency: { store },
      onDelivery: ({ id }) => {
        runs.push(id);
        if (fail) {
          fail = false;
          throw new Error('first run fails');
        }
      },
    });
    const delivery = webhookDelivery('$conversation_ticket_created', { secret: D.webhookSecret });
    const send = () => handle(new Request('http://127.0.0.1/hook', { method: 'POST', body: delivery.body, headers: delivery.headers }));
    await expect(send()).rejects.toThrow('first run fails');
    expect((await send()).status).toBe(204);
    expect((await send()).status).toBe(204);
    expect(runs).toEqual([delivery.id, delivery.id]);
  });
});
