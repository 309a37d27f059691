// A Cloudflare Worker (bundled with the conditions Wrangler uses) with the Hono adapter, the edge
// build of the identity, the README's edge quickstart and its API clients on fetch, run by a real workerd.
import { Hono } from 'hono';
import { posthogIdentity, posthogProxy, posthogWebhook } from 'posthog-conversations/hono';
import { computeIdentityHash } from 'posthog-conversations/identity';
import apiQuickstart from './api-edge.mjs';
import { app as honoExample } from './hono-example/app.mjs';
import quickstart from './edge.mjs';

// The app's own auth, as a session store would be.
const sessions = new Map([['s-ada', 'user_ada']]);
const deliveries = [];

const app = new Hono();
const posthog = posthogIdentity({
  secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN,
  getDistinctId: (c) => sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1]),
});
app.use('/hono/*', posthog);
app.get('/hono/page', async (c) => c.html(await posthog.initScript(c, { projectApiKey: 'phc_worker' })));
app.get('/hono/api/posthog-identity', posthog.route);
app.post(
  '/hono/webhook',
  posthogWebhook({ secret: (c) => c.env.POSTHOG_WEBHOOK_SECRET, onDelivery: ({ id }) => void deliveries.push(id) }),
);
app.get('/hono/deliveries', (c) => c.json(deliveries));
app.post('/hash', async (c) => c.json((await c.req.json()).map(([id, secret]) => computeIdentityHash(id, secret))));
// The widget proxy (the edge build) in front of the emulator, whose address the test bakes in (__EMULATOR_URL__).
app.all(
  '/ingest/*',
  posthogProxy({
    prefix: '/ingest',
    host: __EMULATOR_URL__,
    assetsHost: __EMULATOR_URL__,
    secret: (c) => c.env.EMULATOR_SECRET_API_TOKEN,
    getDistinctId: (c) => sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1]),
  }),
);
// examples/hono unchanged, under /example (the prefix taken off before it sees the request).
app.all('/example/*', (c) => {
  const url = new URL(c.req.url);
  url.pathname = url.pathname.slice('/example'.length);
  return honoExample.fetch(new Request(url, c.req.raw), c.env);
});
app.get('/runtime', (c) => c.json({ process: typeof process, userAgent: navigator.userAgent }));
app.all('/quickstart/*', (c) => quickstart.fetch(c.req.raw, c.env));
// Against the emulator, whose Secret API key is not the one the Hono routes sign with.
app.get('/api-quickstart', (c) => apiQuickstart.fetch(c.req.raw, { ...c.env, POSTHOG_SECRET_API_TOKEN: c.env.EMULATOR_SECRET_API_TOKEN }));

export default app;
