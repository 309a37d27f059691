import { posthogIdentity } from 'posthog-conversations/hono';

// Once, at start-up. getDistinctId reads your own session: never a query string, body or header.
// On Cloudflare Workers, read the secret from the request: secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN
export const posthog = posthogIdentity({
  secret: process.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: (c) => c.var.session?.userId,
  getEmail: (c) => c.var.session?.email,
});

// app.use(posthog)                                   c.var.posthogIdentity in every handler
// app.get('/api/posthog-identity', posthog.route)    the endpoint a single-page app calls after login
// await posthog.initScript(c, { projectApiKey })     <script>posthog.init(...)</script>, secureHeaders' nonce included
