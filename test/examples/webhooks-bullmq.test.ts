// The BullMQ hand-off recipe (examples/webhooks/bullmq.mjs), run as written against a real
// redis-server: the same delivery five times at once and again later makes one job, with the
// webhook-id as its BullMQ job id, handled once by the worker; every answer is fast and 2xx or 429.
import { Queue } from 'bullmq';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, webhookDelivery } from '../../src/testing/index.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { startExample } from './run-example.js';

let redis: RedisServer;
let example: Awaited<ReturnType<typeof startExample>>;
let connection: IORedis;

beforeAll(async () => {
  redis = await startRedis();
  example = await startExample(['examples/webhooks/bullmq.mjs'], { REDIS_URL: redis.url, POSTHOG_WEBHOOK_SECRET: D.webhookSecret });
  connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
}, 60_000);
afterAll(async () => {
  await example?.stop();
  connection?.disconnect();
  await redis?.stop();
});

it('turns one delivery, however often it comes, into one BullMQ job handled once', async () => {
  const delivery = webhookDelivery('$conversation_ticket_created', { secret: D.webhookSecret, properties: { ticket_number: 7 } });
  const send = () => fetch(`${example.url}/webhooks/posthog`, { method: 'POST', body: delivery.body, headers: delivery.headers });
  const answers = await Promise.all(Array.from({ length: 5 }, send));
  expect(answers.every((r) => r.status === 204 || r.status === 429)).toBe(true);
  expect(answers.some((r) => r.status === 204)).toBe(true);
  await expect
    .poll(() => example.output(), { timeout: 10_000 })
    .toContain(`handled ${delivery.id}: $conversation_ticket_created (ticket #7)`);
  expect((await send()).status).toBe(204); // a retry after the hand-off: done, no second job
  const queue = new Queue('posthog-webhooks', { connection });
  const job = await queue.getJob(delivery.id);
  expect(job?.name).toBe('$conversation_ticket_created');
  expect(job?.data).toMatchObject({ id: delivery.id, body: JSON.parse(delivery.body) });
  expect(await queue.getJobCounts('completed', 'waiting', 'active', 'delayed')).toEqual({
    completed: 1,
    waiting: 0,
    active: 0,
    delayed: 0,
  });
  await queue.close();
  await new Promise((r) => setTimeout(r, 300));
  expect(example.output().split(`handled ${delivery.id}`).length - 1).toBe(1);
});

it('refuses a forged delivery before it reaches the queue', async () => {
  const forged = webhookDelivery('$conversation_ticket_created', { secret: `whsec_${Buffer.from('f'.repeat(32)).toString('base64')}` });
  const answer = await fetch(`${example.url}/webhooks/posthog`, { method: 'POST', body: forged.body, headers: forged.headers });
  expect(answer.status).toBe(400);
  const queue = new Queue('posthog-webhooks', { connection });
  expect(await queue.getJob(forged.id)).toBeUndefined();
  await queue.close();
});
