import { createPostHogIdentity } from 'posthog-conversations/next';
import { sessionUser } from './session';

// Once, for the whole app. getDistinctId reads your own session: never a query string, body or header.
export const posthog = createPostHogIdentity({
  secret: process.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: async () => (await sessionUser())?.userId,
  getEmail: async () => (await sessionUser())?.email,
});

// Server component:  <PostHogProvider options={await posthog.initOptions({ api_host })} />
// Route handler:     export const { GET } = posthog          (the SPA endpoint: 200 or 401)
// Server action:     return await posthog.getIdentity()      (then posthog.setIdentity in the browser)
