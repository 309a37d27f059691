import { posthogWebhook } from 'posthog-conversations/express';
import { memoryIdempotencyStore } from 'posthog-conversations/webhooks';

// Deliveries this process handled, newest last (the demo's "What the SDK did" view lists them).
export const deliveries = [];

// PostHog's signed deliveries (HTTP webhook destination or workflow webhook action). It reads the
// raw body itself, which the signature covers: mount it before app.use(express.json()).
export const webhook = posthogWebhook({
  secret: process.env.POSTHOG_WEBHOOK_SECRET,
  // Retries of a delivery carry the same id: the store runs each id once (redisIdempotencyStore across replicas).
  idempotency: { store: memoryIdempotencyStore() },
  onDelivery: async ({ id, timestamp, event }) => {
    deliveries.push({ id, at: timestamp, event: event?.event ?? 'another event', ticket: event?.properties.ticket_number ?? null });
    if (deliveries.length > 200) deliveries.shift();
    if (event?.event === '$conversation_ticket_created') console.log(`webhook ${id}: new ticket #${event.properties.ticket_number}`);
    else console.log(`webhook ${id}: ${event?.event ?? 'another event'}`);
  },
});

// app.post('/webhooks/posthog', webhook)   204 once handled, 400 if forged or stale, 413 if too large
