import { identityFor } from 'posthog-conversations/identity';

// A fetch handler for Cloudflare Workers, Vercel Edge, Deno (`deno serve`) and Bun. On edge
// runtimes the same import resolves to the edge build: same functions, still synchronous.
export default {
  async fetch(request, env) {
    const userId = await userIdFromSession(request);
    if (userId === undefined) return Response.json({ error: 'not logged in' }, { status: 401 });
    // A Worker's secrets come as `env`; Deno, Bun and Vercel keep them in the process environment.
    const secret = env?.POSTHOG_SECRET_API_TOKEN ?? globalThis.process?.env.POSTHOG_SECRET_API_TOKEN;
    const identity = identityFor(userId, { secret });
    return Response.json(identity, { headers: { 'cache-control': 'no-store' } });
  },
};

// Your auth goes here. This demo keeps one session in memory.
const sessions = new Map([['demo-session', 'user_123']]);
async function userIdFromSession(request) {
  const cookie = request.headers.get('cookie') ?? '';
  return sessions.get(/(?:^|;\s*)session=([^;]+)/.exec(cookie)?.[1]);
}
