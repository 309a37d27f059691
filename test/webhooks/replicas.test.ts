// Exactly-once across processes: two replicas of an Express app (one on node-redis, one on ioredis)
// share one real redis-server; deliveries come at once to both, through a round-robin balancer from
// the emulator (with its retries), to a replica killed mid-handler, and with Redis stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, startEmulator, webhookDelivery } from '../../src/testing/index.js';
import { createClient as createApiClient } from '../../src/index.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { serve, type Served } from '../helpers/servers.js';

interface Replica {
  url: string;
  process: ChildProcess;
  /** Each `running <id>` line the replica printed. */
  running: string[];
  stop(): Promise<void>;
}

const REPLICA = new URL('../fixtures/webhook-replica.ts', import.meta.url).pathname;
const replicas: Replica[] = [];
let redis: RedisServer;
let check: ReturnType<typeof createClient>;

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
    env: { ...process.env, REDIS_URL: redis.url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const running: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the replica did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the replica exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('listening ')) {
        clearTimeout(timer);
        resolve(line.slice('listening '.length));
      } else if (line.startsWith('running ')) running.push(line.slice('running '.length));
    });
  });
  const replica: Replica = {
    url,
    process: child,
    running,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  replicas.push(replica);
  return replica;
}

const runsOf = (id: string) => check.lRange(`runs:${id}`, 0, -1);

function send(replica: Replica, delivery: { body: string; headers: Record<string, string> }): Promise<Response> {
  return fetch(`${replica.url}/webhooks/posthog`, { method: 'POST', body: delivery.body, headers: delivery.headers });
}

beforeAll(async () => {
  redis = await startRedis();
  check = createClient({ url: redis.url });
  check.on('error', () => {});
  await check.connect();
}, 30_000);

afterAll(async () => {
  for (const replica of replicas.splice(0)) await replica.stop();
  check?.destroy();
  await redis?.stop();
});

describe('two replicas sharing one Redis', () => {
  let a: Replica;
  let b: Replica;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startReplica({ NAME: 'a', REDIS_CLIENT: 'node-redis', HANDLER: 'record' }),
      startReplica({ NAME: 'b', REDIS_CLIENT: 'ioredis', HANDLER: 'record' }),
    ]);
  }, 40_000);

  it('the same delivery sent to both at once, twenty times: the handler runs once, every answer 204 or 429', async () => {
    for (let round = 0; round < 20; round++) {
      const delivery = webhookDelivery('$conversation_ticket_created', { secret: D.webhookSecret });
      const answers = await Promise.all([send(a, delivery), send(b, delivery)]);
      const statuses = answers.map((r) => r.status).sort();
      expect(await runsOf(delivery.id)).toHaveLength(1);
      expect(statuses.every((s) => s === 204 || s === 429)).toBe(true);
      const busy = answers.find((r) => r.status === 429);
      if (busy !== undefined) expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('a duplicate after success answers 204 on either replica and does not run the handler', async () => {
    const delivery = webhookDelivery('$conversation_message_received', { secret: D.webhookSecret });
    expect((await send(a, delivery)).status).toBe(204);
    const retry = webhookDelivery('$conversation_message_received', { secret: D.webhookSecret, id: delivery.id });
    expect((await send(b, retry)).status).toBe(204);
    expect((await send(a, retry)).status).toBe(204);
    expect(await runsOf(delivery.id)).toEqual(['a']);
  });
});

describe('the emulator delivering through a round-robin balancer', () => {
  let balancer: Served;
  afterAll(() => balancer?.close());

  it('a handler that throws on one replica runs again on the retry, on the other, and is then done', async () => {
    const [a, b] = await Promise.all([
      startReplica({ NAME: 'throws-a', HANDLER: 'throw-once' }),
      startReplica({ NAME: 'throws-b', REDIS_CLIENT: 'ioredis', HANDLER: 'throw-once' }),
    ]);
    let next = 0;
    balancer = await serve(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = [a, b][next++ % 2]!;
      const hopByHop = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name, v]) => typeof v === 'string' && !hopByHop.has(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${target.url}${req.url}`, { method: 'POST', body: Buffer.concat(chunks), headers });
      res.writeHead(answer.status, { 'x-replica': target === a ? 'a' : 'b' }).end(await answer.text());
    });
    const emulator = await startEmulator({
      throttles: false,
      webhooks: [{ url: `${balancer.url}/webhooks/posthog`, secret: D.webhookSecret, events: ['$conversation_ticket_created'] }],
      webhookRetry: { initialDelayMs: 100 },
    });
    try {
      const api = createApiClient({ host: emulator.url, publicToken: D.publicToken });
      await api.widget.sendMessage({ widgetSessionId: crypto.randomUUID(), distinctId: 'visitor_1', message: 'Hello' });
      await api.close();
      await emulator.webhooksIdle();
      const [delivery] = emulator.deliveries;
      expect(delivery!.attempts.map((t) => t.status)).toEqual([500, 204]);
      expect(delivery!.state).toBe('delivered');
      expect(await runsOf(delivery!.id)).toEqual(['throws-a', 'throws-b']);
      // PostHog sending it once more (a replay) runs nothing.
      const replay = webhookDelivery('$conversation_ticket_created', { secret: D.webhookSecret, id: delivery!.id });
      expect((await send(a, replay)).status).toBe(204);
      expect(await runsOf(delivery!.id)).toHaveLength(2);
    } finally {
      await emulator.close();
    }
  }, 40_000);
});

describe('a replica killed inside the handler', () => {
  it('leaves a claim that another replica takes once the lease has run out', async () => {
    const [hangs, healthy] = await Promise.all([
      startReplica({ NAME: 'hangs', HANDLER: 'hang', LEASE_SECONDS: '2' }),
      startReplica({ NAME: 'healthy', REDIS_CLIENT: 'ioredis', LEASE_SECONDS: '2' }),
    ]);
    const delivery = webhookDelivery('$conversation_ticket_assigned', { secret: D.webhookSecret });
    void send(hangs, delivery).catch(() => {}); // never answered: the process dies
    await expect.poll(() => hangs.running, { timeout: 10_000 }).toContain(delivery.id);
    hangs.process.kill('SIGKILL');
    const busy = await send(healthy, delivery);
    expect(busy.status).toBe(429);
    expect(Number(busy.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    await expect.poll(async () => (await send(healthy, delivery)).status, { timeout: 5000, interval: 250 }).toBe(204);
    expect(await runsOf(delivery.id)).toEqual(['hangs', 'healthy']);
  }, 40_000);
});

describe('with Redis stopped', () => {
  it('a replica answers 503 and runs nothing; the retry after Redis is back runs once', async () => {
    const replica = await startReplica({ NAME: 'outage' });
    const delivery = webhookDelivery('$conversation_message_sent', { secret: D.webhookSecret });
    await redis.stop();
    try {
      for (let i = 0; i < 3; i++) expect((await send(replica, delivery)).status).toBe(503);
      expect(replica.running).toEqual([]);
    } finally {
      await redis.start();
    }
    await check.ping().catch(() => {}); // reconnect the test's own client
    await expect.poll(async () => (await send(replica, delivery)).status, { timeout: 10_000, interval: 200 }).toBe(204);
    expect(replica.running).toEqual([delivery.id]);
    await expect.poll(() => runsOf(delivery.id), { timeout: 5000 }).toEqual(['outage']);
  }, 40_000);
});
