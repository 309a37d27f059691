// "Support inbox": your team's side of the conversation, on the admin API (`client.tickets`).
// In a real app this sits behind your staff login; the demo keeps it open on 127.0.0.1.
import express from 'express';
import { createClient, TICKET_STATUSES } from 'posthog-conversations';
import { escapeHtml, sendView } from './layout.mjs';

/** The inbox's page and JSON routes, or a page that says what is missing to have one. */
export function inbox({ host, personalApiKey, projectId }) {
  const router = express.Router();
  if (!personalApiKey || !projectId) {
    router.get('/inbox', (_req, res) =>
      sendView(res, {
        title: 'Support inbox',
        active: 'inbox',
        body: '<section class="card"><h1>Support inbox</h1><p id="inbox-missing">The inbox reads tickets with the admin API, which needs a personal API key with the <code>ticket:read</code> and <code>ticket:write</code> scopes: set <code>POSTHOG_PERSONAL_API_KEY</code> and <code>POSTHOG_PROJECT_ID</code>, then restart.</p></section>',
      }),
    );
    return { router, close: async () => {} };
  }
  const client = createClient({ host, personalApiKey, projectId });
  const answer = (work) => (req, res, next) => work(req).then((body) => res.json(body), next);
  router.get('/inbox', (_req, res) =>
    sendView(res, {
      title: 'Support inbox',
      active: 'inbox',
      script: '/inbox.js',
      body: `<section class="card inbox"><div class="tickets"><h1>Support inbox</h1><ul id="tickets"><li class="hint">No tickets yet: write in the widget on <a href="/">your app</a>.</li></ul></div>
      <div class="thread" id="thread" hidden><h2 id="thread-title"></h2><p class="customer" id="thread-customer"></p><div class="row" id="statuses">${TICKET_STATUSES.map((s) => `<button class="secondary" data-status="${s}">${escapeHtml(s.replace('_', ' '))}</button>`).join('')}</div>
      <ol id="messages"></ol><form id="reply"><textarea name="message" placeholder="Reply to the customer..." required></textarea><button>Send reply</button></form></div></section>`,
    }),
  );
  router.get(
    '/inbox/api/tickets',
    answer(async () => (await client.tickets.list({ limit: 50 })).results),
  );
  router.get(
    '/inbox/api/tickets/:id',
    answer(async (req) => ({
      ticket: await client.tickets.get(req.params.id),
      messages: (await client.tickets.messages(req.params.id, { limit: 100 })).results,
    })),
  );
  router.post(
    '/inbox/api/tickets/:id/reply',
    express.json(),
    answer((req) => client.tickets.reply(req.params.id, { message: String(req.body?.message ?? '') })),
  );
  router.post(
    '/inbox/api/tickets/:id/status',
    express.json(),
    answer((req) => client.tickets.update(req.params.id, { status: req.body?.status })),
  );
  return { router, close: () => client.close() };
}
