import { posthogIdentity } from 'posthog-conversations/express';

// Once, at start-up. getDistinctId reads your own session: never a query string, body or header.
export const posthog = posthogIdentity({
  secret: process.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: (req) => req.session?.userId,
  getEmail: (req) => req.session?.email,
});

// app.use(posthog)                                  res.locals.posthogIdentity, for templates
// app.get('/api/posthog-identity', posthog.route)   the endpoint a single-page app calls after login
// res.json(await posthog.withIdentity(req, body))   the identity in a login route's answer
// posthog.initScript(res, { projectApiKey })         <script>posthog.init(...)</script>, CSP nonce included
