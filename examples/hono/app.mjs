// The Hono example's app: the same code runs on Node.js (server.mjs), Bun, Deno and Workers.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { posthogWebhook } from 'posthog-conversations/hono';
import { posthog, setting } from './posthog.mjs';

// The app's own auth, kept tiny for the example: a random session id in a cookie, users in memory.
const USERS = {
  ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' },
  grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace' },
};
const sessions = new Map();
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const app = new Hono();
const onDelivery = ({ id, event }) => console.log(`webhook ${id}: ${event?.event ?? 'another event'}`);
app.post('/webhooks/posthog', posthogWebhook({ secret: (c) => setting(c, 'POSTHOG_WEBHOOK_SECRET'), onDelivery }));
app.use(secureHeaders({ contentSecurityPolicy: { scriptSrc: [NONCE, "'strict-dynamic'"] } }));
app.use(async (c, next) => {
  c.set('session', sessions.get(getCookie(c, 'sid')));
  await next();
});
app.use(posthog);
app.get('/', async (c) => {
  const script = await posthog.initScript(c, { projectApiKey: setting(c, 'POSTHOG_PROJECT_API_KEY'), apiHost: setting(c, 'POSTHOG_HOST') });
  const who = c.var.session ? `Logged in as ${escapeHtml(c.var.session.name)}` : 'Not logged in';
  return c.html(
    `<!doctype html><html><head><meta charset="utf-8"><title>Hono example</title>${script}</head><body><p id="who">${who}</p></body></html>`,
  );
});
app.get('/api/posthog-identity', posthog.route);
app.post('/login', async (c) => {
  const user = USERS[(await c.req.parseBody()).user];
  if (!user) return c.text('Unknown user', 400);
  const sid = crypto.randomUUID();
  sessions.set(sid, user);
  setCookie(c, 'sid', sid, { httpOnly: true, sameSite: 'Lax' });
  return c.redirect('/', 303);
});
app.post('/logout', (c) => {
  sessions.delete(getCookie(c, 'sid'));
  deleteCookie(c, 'sid');
  return c.redirect('/', 303);
});
