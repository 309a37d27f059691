// The Fastify example. With no POSTHOG_* variables it runs against the embedded emulator.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { posthogInitSnippet } from 'posthog-conversations';
import { announce } from '../shared/posthog-env.mjs';

const { registerPosthog } = await import('./posthog.mjs'); // after the environment is set

// The app's own auth, kept tiny for the example: a random session id in a cookie, users in memory.
const USERS = {
  ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' },
  grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace' },
};
const sessions = new Map();
const sessionId = (request) => /(?:^|;\s*)sid=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1];
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = Fastify({ logger: { level: 'info' } });
app.decorateRequest('session', null);
app.addHook('onRequest', async (request) => {
  request.session = sessions.get(sessionId(request)) ?? null;
});
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body))),
);
await registerPosthog(app);

app.get('/', async (request, reply) => {
  const script = posthogInitSnippet({
    projectApiKey: process.env.POSTHOG_PROJECT_API_KEY,
    apiHost: process.env.POSTHOG_HOST,
    identity: request.posthogIdentity,
  });
  const who = request.session ? `Logged in as ${escapeHtml(request.session.name)}` : 'Not logged in';
  return reply
    .type('text/html')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>Fastify example</title>${script}</head><body><p id="who">${who}</p></body></html>`,
    );
});
app.post('/login', async (request, reply) => {
  const user = USERS[request.body?.user];
  if (!user) return reply.code(400).send('Unknown user');
  const sid = randomUUID();
  sessions.set(sid, user);
  return reply.header('set-cookie', `sid=${sid}; HttpOnly; SameSite=Lax; Path=/`).redirect('/', 303);
});
app.post('/logout', async (request, reply) => {
  sessions.delete(sessionId(request));
  return reply.header('set-cookie', 'sid=; Max-Age=0; Path=/').redirect('/', 303);
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
announce('Fastify', address);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close().then(() => process.exit(0)));
