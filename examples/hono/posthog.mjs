import { posthogIdentity } from 'posthog-conversations/hono';

// A setting from a Worker's env (c.env), or from the process environment (Node.js, Bun, Deno).
export const setting = (c, name) => c.env?.[name] ?? globalThis.process?.env[name];

// Once, at start-up. getDistinctId reads your own session: never a query string, body or header.
export const posthog = posthogIdentity({
  secret: (c) => setting(c, 'POSTHOG_SECRET_API_TOKEN'),
  getDistinctId: (c) => c.var.session?.userId,
  getEmail: (c) => c.var.session?.email,
});

// app.use(posthog)                                   c.var.posthogIdentity in every handler
// app.get('/api/posthog-identity', posthog.route)    the endpoint a single-page app calls after login
// await posthog.initScript(c, { projectApiKey })     <script>posthog.init(...)</script>, secureHeaders' nonce included
