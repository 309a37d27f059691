// The Express example: log in as a sample user, and the page hands the widget a signed identity.
// With no POSTHOG_* variables it runs against the embedded emulator: no account needed.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { announce, emulator } from '../shared/posthog-env.mjs';
import { page } from './page.mjs';

const { posthog } = await import('./posthog.mjs');
const { webhook } = process.env.POSTHOG_WEBHOOK_SECRET ? await import('./webhook.mjs') : {};
const config = {
  projectApiKey: process.env.POSTHOG_PROJECT_API_KEY,
  apiHost: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
  // Headless browsers look like bots to posthog-js, which then drops events: allowed for the local demo.
  options: emulator ? { opt_out_useragent_filter: true } : {},
};

// The app's own auth, kept tiny for the demo: a random session id in a cookie, users in memory.
const USERS = { ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' }, grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace' } };
const sessions = new Map();
const app = express();
if (webhook) app.post('/webhooks/posthog', webhook); // before the body parsers: it needs the raw body
app.use(express.json(), express.urlencoded({ extended: false }));
app.use((req, res, next) => {
  req.session = sessions.get(/(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]);
  res.locals.cspNonce = randomBytes(16).toString('base64');
  res.set('content-security-policy', `script-src 'nonce-${res.locals.cspNonce}' 'strict-dynamic'`);
  next();
});
const logIn = (req, res, user) => {
  const sid = randomBytes(18).toString('base64url');
  sessions.set(sid, user);
  res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax' });
  req.session = user;
};

app.use(posthog);
app.get('/', (req, res) => res.send(page({ user: req.session, script: posthog.initScript(res, config), nonce: res.locals.cspNonce, users: USERS, apiHost: config.apiHost })));
app.get('/api/posthog-identity', posthog.route);
app.post('/login', (req, res) => {
  const user = USERS[req.body.user];
  if (!user) return res.status(400).send('Unknown user');
  logIn(req, res, user);
  res.redirect(303, '/');
});
app.post('/api/login', async (req, res) => {
  const user = USERS[req.body.user];
  if (!user) return res.status(400).json({ error: 'Unknown user' });
  logIn(req, res, user);
  res.json(await posthog.withIdentity(req, { name: user.name }));
});
app.post('/logout', (req, res) => {
  sessions.delete(/(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]);
  res.clearCookie('sid');
  res.format({ json: () => res.json({ ok: true }), default: () => res.redirect(303, '/') });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address();
  // The restore flow emails links only to allowed domains (it fails closed): allow this app.
  if (emulator) emulator.state.teams[0].settings.widget_domains = [`http://127.0.0.1:${port}`];
  announce('Express', `http://127.0.0.1:${port}`);
});
const stop = async () => {
  server.close();
  await emulator?.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
