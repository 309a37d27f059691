// PostHog's webhooks handed to a BullMQ queue: the receiver verifies the delivery, claims its
// webhook-id in Redis, adds one job named after the event (jobId = webhook-id, so BullMQ itself
// refuses a second job for it) and answers 204 in milliseconds; a worker does the slow part with
// BullMQ's own retries. Run: REDIS_URL=redis://127.0.0.1:6379 POSTHOG_WEBHOOK_SECRET=whsec_... node bullmq.mjs
import { Queue, Worker } from 'bullmq';
import express from 'express';
import IORedis from 'ioredis';
import { posthogWebhook } from 'posthog-conversations/express';
import { redisIdempotencyStore } from 'posthog-conversations/webhooks';

// BullMQ needs maxRetriesPerRequest: null on its connection; the store uses the same client.
const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue('posthog-webhooks', { connection: redis });

const app = express();
app.post(
  '/webhooks/posthog',
  posthogWebhook({
    secret: process.env.POSTHOG_WEBHOOK_SECRET,
    idempotency: { store: redisIdempotencyStore(redis), leaseSeconds: 10 },
    onDelivery: async ({ id, timestamp, event, body }) => {
      await queue.add(
        event?.event ?? 'other',
        { id, signedAt: timestamp.toISOString(), body },
        { jobId: id, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      );
    },
  }),
);

// The worker: in its own process in production; here in the same one to keep the recipe whole.
const workerConnection = redis.duplicate();
const worker = new Worker(
  'posthog-webhooks',
  async (job) => {
    const { event } = job.data.body;
    console.log(`handled ${job.id}: ${job.name} (ticket #${event?.properties?.ticket_number ?? '-'})`);
  },
  { connection: workerConnection },
);

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`BullMQ hand-off listening on http://127.0.0.1:${server.address().port}/webhooks/posthog`);
});

async function shutdown() {
  server.close();
  await worker.close();
  await queue.close();
  workerConnection.disconnect();
  redis.disconnect();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
