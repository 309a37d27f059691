import { createClient, identityFor } from 'posthog-conversations';

// The API clients in a fetch handler (Cloudflare Workers, Vercel Edge, Deno, Bun): there they send
// with the runtime's fetch, with the same deadlines, retries and typed errors as on Node.js.
export default {
  async fetch(_request, env) {
    const client = createClient({
      host: env.POSTHOG_HOST, // https://us.i.posthog.com (the default), https://eu.i.posthog.com or your own
      publicToken: env.POSTHOG_WIDGET_TOKEN,
      personalApiKey: env.POSTHOG_PERSONAL_API_KEY,
      projectId: env.POSTHOG_PROJECT_ID,
      secretApiToken: env.POSTHOG_SECRET_API_TOKEN,
    });
    const identity = identityFor('user_123', { secret: env.POSTHOG_SECRET_API_TOKEN });
    const { ticket_id } = await client.widget.sendMessage({ identity, message: 'Hello from the edge!' });
    await client.tickets.reply(ticket_id, { message: 'Hi! How can we help?' });
    await client.external.updateTicket(ticket_id, { status: 'open', sla: { amount: 4, unit: 'hour' } });
    const lines = [];
    for await (const message of client.widget.iterateMessages(ticket_id, { identity })) {
      lines.push(`${message.author_name}: ${message.content}`);
    }
    return new Response(lines.join('\n'), { headers: { 'content-type': 'text/plain' } });
  },
};
