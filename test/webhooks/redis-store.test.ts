// redisIdempotencyStore against a real redis-server, with each client it supports: node-redis 4, 5
// and 6 (`redis`) and ioredis 5 and 6, the same contract for every one, and the receiver on top.
import { Redis as IORedis5 } from 'ioredis';
import { Redis as IORedis6 } from 'ioredis6';
import { createClient as createRedis5 } from 'redis';
import { createClient as createRedis4 } from 'redis4';
import { createClient as createRedis6 } from 'redis6';
import { afterAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, webhookDelivery } from '../../src/testing/index.js';
import { SCRIPTS, SCRIPT_SHA } from '../../src/webhooks/stores/redis.js';
import { ConfigurationError, type IdempotencyStore, createWebhookHandler, redisIdempotencyStore } from '../../src/webhooks/index.js';
import { redisDuringSuite, startRedis } from '../helpers/redis.js';

/** A connected client, a raw command for the test's own checks, and how to close it. */
interface Client {
  client: Parameters<typeof redisIdempotencyStore>[0];
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

type Connect = (url: string) => Promise<Client>;

const nodeRedis =
  (create: typeof createRedis5): Connect =>
  async (url) => {
    const client = create({ url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {}); // reconnecting after a stop is expected here
    await client.connect();
    return {
      client,
      command: (...args) => client.sendCommand(args),
      // At once, without a QUIT a client whose server is gone would wait on: destroy() from v5, disconnect() in v4.
      close: async () => {
        if (!client.isOpen) return;
        const destroy = (client as { destroy?: () => void }).destroy;
        if (destroy !== undefined) destroy.call(client);
        else await client.disconnect();
      },
    };
  };

const ioredis =
  (IORedis: typeof IORedis5): Connect =>
  async (url) => {
    const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => {});
    await client.connect();
    return { client, command: (command, ...args) => client.call(command, ...args), close: async () => client.disconnect() };
  };

const CLIENTS: Array<[string, Connect]> = [
  ['node-redis 4', nodeRedis(createRedis4 as unknown as typeof createRedis5)],
  ['node-redis 5', nodeRedis(createRedis5)],
  ['node-redis 6', nodeRedis(createRedis6 as unknown as typeof createRedis5)],
  ['ioredis 5', ioredis(IORedis5)],
  ['ioredis 6', ioredis(IORedis6 as unknown as typeof IORedis5)],
];

const redis = redisDuringSuite();
const opened: Client[] = [];
afterAll(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function connect(make: Connect, url = redis.server.url): Promise<Client> {
  const c = await make(url);
  opened.push(c);
  return c;
}

let unique = 0;
const key = () => `delivery-${process.pid}-${++unique}`;

describe.each(CLIENTS)('redisIdempotencyStore with %s', (_, make) => {
  it('claims a free id, answers busy with the lease left, done after complete', async () => {
    const { client } = await connect(make);
    const store = redisIdempotencyStore(client);
    const id = key();
    expect(await store.claim(id, 't1', 60_000)).toEqual({ status: 'claimed' });
    const busy = await store.claim(id, 't2', 60_000);
    expect(busy.status).toBe('busy');
    expect(busy.status === 'busy' && busy.retryAfterMs).toBeGreaterThan(55_000);
    expect(busy.status === 'busy' && busy.retryAfterMs).toBeLessThanOrEqual(60_000);
    await store.complete(id, 86_400_000);
    expect(await store.claim(id, 't3', 60_000)).toEqual({ status: 'done' });
  });

  it('keeps one key per delivery under the prefix, expiring with its lease and its retention', async () => {
    const { client, command } = await connect(make);
    const store = redisIdempotencyStore(client, { prefix: 'app:hooks:' });
    const id = key();
    await store.claim(id, 'token-1', 60_000);
    expect(await command('GET', `app:hooks:${id}`)).toBe('claim:token-1');
    expect(Number(await command('PTTL', `app:hooks:${id}`))).toBeGreaterThan(55_000);
    await store.complete(id, 86_400_000);
    expect(await command('GET', `app:hooks:${id}`)).toBe('done');
    expect(Number(await command('PTTL', `app:hooks:${id}`))).toBeGreaterThan(86_000_000);
    // Another prefix is another namespace.
    expect(await redisIdempotencyStore(client, { prefix: 'other:' }).claim(id, 't', 1000)).toEqual({ status: 'claimed' });
  });

  it('releases only for the token holding the claim; a lease that ran out frees the id', async () => {
    const { client } = await connect(make);
    const store = redisIdempotencyStore(client);
    const id = key();
    await store.claim(id, 't1', 60_000);
    await store.release(id, 'not-mine');
    expect((await store.claim(id, 't2', 60_000)).status).toBe('busy');
    await store.release(id, 't1');
    expect(await store.claim(id, 't2', 150)).toEqual({ status: 'claimed' });
    await new Promise((r) => setTimeout(r, 250));
    expect(await store.claim(id, 't3', 60_000)).toEqual({ status: 'claimed' });
  });

  it('is atomic: fifty claims of one id at once, one is claimed', async () => {
    const connections = await Promise.all([connect(make), connect(make)]);
    const stores = connections.map((c) => redisIdempotencyStore(c.client));
    const id = key();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 2]!.claim(id, `t${i}`, 60_000)));
    expect(answers.filter((a) => a.status === 'claimed')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'busy')).toHaveLength(49);
  });

  it('loads its scripts again after SCRIPT FLUSH (EVALSHA, then EVAL on NOSCRIPT)', async () => {
    const { client, command } = await connect(make);
    await command('SCRIPT', 'FLUSH');
    const store = redisIdempotencyStore(client);
    const id = key();
    expect(await store.claim(id, 't', 60_000)).toEqual({ status: 'claimed' });
    expect(await command('SCRIPT', 'EXISTS', SCRIPT_SHA.claim)).toEqual([1]);
    await store.release(id, 't');
    expect(await store.claim(id, 't', 60_000)).toEqual({ status: 'claimed' });
  });

  it('answers 503 through the receiver while Redis is down and runs nothing; runs the retry once Redis is back', async () => {
    const server = await startRedis();
    try {
      const { client } = await connect(make, server.url);
      const runs: string[] = [];
      const handle = createWebhookHandler({
        secret: D.webhookSecret,
        idempotency: { store: redisIdempotencyStore(client), storeTimeoutMs: 300, onStoreError: () => {} },
        onDelivery: (d) => void runs.push(d.id),
      });
      const delivery = webhookDelivery('$conversation_ticket_created', { secret: D.webhookSecret });
      const send = () => handle(new Request('http://127.0.0.1/hook', { method: 'POST', body: delivery.body, headers: delivery.headers }));
      await server.stop();
      const started = Date.now();
      expect((await send()).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(runs).toEqual([]);
      await server.start();
      // The client reconnects on its own; PostHog's retry then runs the handler, once.
      await expect.poll(async () => (await send()).status, { timeout: 10_000, interval: 200 }).toBe(204);
      expect((await send()).status).toBe(204);
      expect(runs).toEqual([delivery.id]);
    } finally {
      await server.stop();
    }
  });
});

describe('redisIdempotencyStore', () => {
  it('carries the SHA-1 of each script as Redis computes it', async () => {
    const { command } = await connect(CLIENTS[1]![1]);
    for (const name of ['claim', 'release'] as const) expect(await command('SCRIPT', 'LOAD', SCRIPTS[name])).toBe(SCRIPT_SHA[name]);
  });

  it.each([
    ['undefined', undefined],
    ['a URL string', 'redis://127.0.0.1:6379'],
    ['an object without sendCommand or call', { get() {} }],
  ])('refuses %s instead of a client, naming what it needs', (_, client) => {
    expect(() => redisIdempotencyStore(client as never)).toThrow(ConfigurationError);
    expect(() => redisIdempotencyStore(client as never)).toThrow(/needs a connected Redis client: createClient\(\) from redis/);
  });

  it('refuses unknown options and a prefix that is not a string', async () => {
    const { client } = await connect(CLIENTS[1]![1]);
    expect(() => redisIdempotencyStore(client, { prefx: 'a' } as never)).toThrow(/did you mean `prefix`/);
    expect(() => redisIdempotencyStore(client, { prefix: 5 } as never)).toThrow(/prefix must be a string/);
  });

  it('two receivers on two clients, the same delivery twenty times at once: the handler runs once', async () => {
    const [a, b] = await Promise.all([connect(CLIENTS[1]![1]), connect(CLIENTS[3]![1])]);
    const runs: string[] = [];
    const receivers = [a!, b!].map((c) => {
      const store: IdempotencyStore = redisIdempotencyStore(c.client);
      return createWebhookHandler({
        secret: D.webhookSecret,
        idempotency: { store },
        onDelivery: async (d) => {
          runs.push(d.id);
          await new Promise((r) => setTimeout(r, 20));
        },
      });
    });
    const delivery = webhookDelivery('$conversation_message_received', { secret: D.webhookSecret });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        receivers[i % 2]!(new Request('http://127.0.0.1/hook', { method: 'POST', body: delivery.body, headers: delivery.headers })),
      ),
    );
    expect(runs).toEqual([delivery.id]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 204).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 204 || s === 429)).toBe(true);
  });
});
