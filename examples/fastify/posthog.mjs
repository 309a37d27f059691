import { posthogConversations, posthogWebhook } from 'posthog-conversations/fastify';

// Once, at start-up. getDistinctId reads your own session: never a query string, body or header.
export async function registerPosthog(app) {
  await app.register(posthogConversations, {
    secret: process.env.POSTHOG_SECRET_API_TOKEN,
    getDistinctId: (request) => request.session?.userId,
    getEmail: (request) => request.session?.email,
    identityRoute: '/api/posthog-identity', // GET: 200 with the identity, 401 for a visitor
  });
  // PostHog's signed deliveries; this plugin keeps the raw body in its own scope.
  if (!process.env.POSTHOG_WEBHOOK_SECRET) return;
  await app.register(posthogWebhook, {
    path: '/webhooks/posthog',
    secret: process.env.POSTHOG_WEBHOOK_SECRET,
    onDelivery: ({ id, event }) => app.log.info(`webhook ${id}: ${event?.event ?? 'another event'}`),
  });
}

// request.posthogIdentity   the identity in every handler (null for a visitor)
