import { identityFor } from 'posthog-conversations/identity';

// A fetch handler for an edge runtime (Vercel Edge, Cloudflare Workers, Deno). The same import
// resolves to the edge build there: same functions, still synchronous.
export default {
  async fetch(request, env) {
    const userId = await userIdFromSession(request);
    if (userId === undefined) return Response.json({ error: 'not logged in' }, { status: 401 });
    const identity = identityFor(userId, { secret: env.POSTHOG_SECRET_API_TOKEN });
    return Response.json(identity, { headers: { 'cache-control': 'no-store' } });
  },
};

// Your auth goes here. This demo keeps one session in memory.
const sessions = new Map([['demo-session', 'user_123']]);
async function userIdFromSession(request) {
  const cookie = request.headers.get('cookie') ?? '';
  return sessions.get(/(?:^|;\s*)session=([^;]+)/.exec(cookie)?.[1]);
}
