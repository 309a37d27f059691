// PostHog's signed webhook deliveries (HTTP webhook destination or workflow webhook action).
import { createPostHogWebhook } from 'posthog-conversations/next';

export const dynamic = 'force-dynamic';

// Deliveries this process handled, newest last: a real app would route, page or sync here, once
// per delivery.id (retries of a delivery carry the same id).
const handled = new Map<string, string>();

export const { POST } = createPostHogWebhook({
  secret: process.env.POSTHOG_WEBHOOK_SECRET!,
  onDelivery: async ({ id, event }) => {
    if (handled.has(id)) return;
    if (event?.event === '$conversation_ticket_created') handled.set(id, `new ticket #${event.properties.ticket_number}`);
    else handled.set(id, event?.event ?? 'another event');
    console.log(`posthog webhook ${id}: ${handled.get(id)}`);
  },
});
