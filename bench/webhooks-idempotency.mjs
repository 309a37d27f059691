// npm run bench: deliveries per second through one Express receiver over HTTP, without an
// idempotency store (the baseline), with the one-process store, and with the Redis store on a real
// redis-server (node-redis and ioredis clients), in interleaved rounds of the same run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import express from 'express';
import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { Pool } from 'undici';
import { posthogWebhook } from '../dist/express/index.js';
import { EMULATOR_DEFAULTS, webhookDelivery } from '../dist/testing/index.js';
import { memoryIdempotencyStore, redisIdempotencyStore } from '../dist/webhooks/index.js';
import { median } from './harness.mjs';

const SECRET = EMULATOR_DEFAULTS.webhookSecret;
const PER_ROUND = 2000;
const ROUNDS = 5;
const CONCURRENCY = 16;

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function startRedis() {
  if (!existsSync('/usr/bin/redis-server')) return undefined;
  const port = await freePort();
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.end() && true));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const redis = await startRedis();
const nodeRedis = redis && (await createClient({ url: redis.url }).connect());
const ioredis = redis && new IORedis(redis.url);

const stores = {
  'no store (baseline)': undefined,
  memoryIdempotencyStore: memoryIdempotencyStore({ maxEntries: 1_000_000 }),
  ...(redis
    ? {
        'redisIdempotencyStore (node-redis)': redisIdempotencyStore(nodeRedis),
        'redisIdempotencyStore (ioredis)': redisIdempotencyStore(ioredis),
      }
    : {}),
};
const app = express();
const paths = {};
for (const [i, [name, store]] of Object.entries(stores).entries()) {
  paths[name] = `/hook/${i}`;
  app.post(paths[name], posthogWebhook({ secret: SECRET, idempotency: store && { store }, onDelivery: () => {} }));
}
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const pool = new Pool(`http://127.0.0.1:${server.address().port}`, { connections: CONCURRENCY, pipelining: 1 });

/** Sends `deliveries` (pre-signed: signing is not measured) from CONCURRENCY connections; deliveries per second. */
async function send(path, deliveries) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++];
        const { statusCode, body } = await pool.request({ path, method: 'POST', body: d.body, headers: d.headers });
        await body.dump();
        if (statusCode !== 204) throw new Error(`${path} answered ${statusCode}`);
      }
    }),
  );
  return (deliveries.length / (performance.now() - start)) * 1000;
}

const batch = () => Array.from({ length: PER_ROUND }, () => webhookDelivery('$conversation_message_received', { secret: SECRET }));
for (const path of Object.values(paths)) await send(path, batch()); // warm-up
const samples = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, path] of Object.entries(paths)) samples[name].push(await send(path, batch()));

const baseline = median(samples['no store (baseline)']);
console.log(
  `\nwebhook deliveries through one Express receiver over HTTP (${CONCURRENCY} connections, ${PER_ROUND} per round, median of ${ROUNDS})`,
);
for (const [name, s] of Object.entries(samples)) {
  const rate = median(s);
  console.log(`  ${name.padEnd(38)} ${Math.round(rate).toString().padStart(7)} deliveries/s  ${(rate / baseline).toFixed(2)}x baseline`);
}
if (!redis) console.log('  (redis-server not installed: the Redis store was not measured; apt-get install redis-server)');

await pool.close();
server.close();
await nodeRedis?.quit();
ioredis?.disconnect();
redis?.stop();
