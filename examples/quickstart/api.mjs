import { createClient, identityFor } from 'posthog-conversations';

const env = process.env;
const client = createClient({
  host: env.POSTHOG_HOST, // https://us.i.posthog.com (the default), https://eu.i.posthog.com or your own
  publicToken: env.POSTHOG_WIDGET_TOKEN, // widget API
  personalApiKey: env.POSTHOG_PERSONAL_API_KEY, // tickets and settings (ticket:write scope)
  projectId: env.POSTHOG_PROJECT_ID,
  secretApiToken: env.POSTHOG_SECRET_API_TOKEN, // external ticket API, and signing identities
});

// A verified user writes in through the widget API...
const identity = identityFor('user_123', { secret: env.POSTHOG_SECRET_API_TOKEN });
const { ticket_id } = await client.widget.sendMessage({ identity, message: 'Hello from the SDK!' });

// ...an agent answers from the inbox API...
await client.tickets.reply(ticket_id, { message: 'Hi! How can we help?' });

// ...a workflow gives the ticket a four-hour SLA...
await client.external.updateTicket(ticket_id, { status: 'open', sla: { amount: 4, unit: 'hour' } });

// ...and the user sees the conversation.
for await (const message of client.widget.iterateMessages(ticket_id, { identity })) {
  console.log(`${message.author_name}: ${message.content}`);
}
await client.close();
