import { posthogWebhook } from 'posthog-conversations/express';

// PostHog's signed deliveries (HTTP webhook destination or workflow webhook action). It reads the
// raw body itself, which the signature covers: mount it before app.use(express.json()).
export const webhook = posthogWebhook({
  secret: process.env.POSTHOG_WEBHOOK_SECRET,
  onDelivery: async ({ id, event }) => {
    // Retries of a delivery carry the same id: a real app handles each id once.
    if (event?.event === '$conversation_ticket_created') console.log(`webhook ${id}: new ticket #${event.properties.ticket_number}`);
    else console.log(`webhook ${id}: ${event?.event ?? 'another event'}`);
  },
});

// app.post('/webhooks/posthog', webhook)   204 once handled, 400 if forged or stale, 413 if too large
