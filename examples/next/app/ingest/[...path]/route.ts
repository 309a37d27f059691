import { createPostHogProxy } from 'posthog-conversations/next';
import { sessionUser } from '../../../lib/session';

// PostHog from this app's own origin (posthog.init(key, { api_host: '/ingest' })), the widget's calls signed here.
export const dynamic = 'force-dynamic';
export const { GET, HEAD, POST, OPTIONS } = createPostHogProxy({
  prefix: '/ingest',
  host: process.env.POSTHOG_HOST,
  secret: process.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: async () => (await sessionUser())?.userId,
});
