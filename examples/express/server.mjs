// The Express example and demo: log in as a sample user, and the page hands the widget a signed
// identity (or, in proxy mode, no identity at all: this app's /ingest proxy signs the widget's
// calls); answer from the support inbox; see what the SDK did. With no POSTHOG_* variables it runs
// against the embedded emulator: no account needed.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { posthogInitSnippet } from 'posthog-conversations';
import { posthogProxy } from 'posthog-conversations/express';
import { DEFAULT_PORT, FREE_PORT_INSTEAD, portInUse, portProblem } from '../shared/port.mjs';
import { announce, emulator } from '../shared/posthog-env.mjs';
import { bothView } from './both.mjs';
import { inbox } from './inbox.mjs';
import { page } from './page.mjs';
import { sdkLog } from './sdk-log.mjs';

const { posthog } = await import('./posthog.mjs');
const { webhook, deliveries } = process.env.POSTHOG_WEBHOOK_SECRET ? await import('./webhook.mjs') : { deliveries: [] };
const config = {
  projectApiKey: process.env.POSTHOG_PROJECT_API_KEY,
  apiHost: process.env.POSTHOG_HOST ?? 'https://us.i.posthog.com',
  // Headless browsers look like bots to posthog-js, which then drops events: allowed for the local demo.
  options: emulator ? { opt_out_useragent_filter: true } : {},
};
const support = inbox({
  host: config.apiHost,
  personalApiKey: process.env.POSTHOG_PERSONAL_API_KEY,
  projectId: process.env.POSTHOG_PROJECT_ID,
});
const log = sdkLog({ emulator, deliveries });

// The app's own auth, kept tiny for the demo: a random session id in a cookie, users in memory.
const USERS = {
  ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada Lovelace' },
  grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace Hopper' },
};
if (emulator) {
  // In PostHog, a user's person (name, email) comes from your posthog.identify calls; seeded here.
  for (const user of Object.values(USERS))
    emulator.addPerson({ distinctIds: [user.userId], properties: { name: user.name, email: user.email } });
}
const MAX_SESSIONS = 1000;
const sessions = new Map(); // bounded: the newest sessions only
const app = express();
app.use((req, res, next) => {
  const cookie = req.headers.cookie ?? '';
  req.sid = /(?:^|;\s*)sid=([\w-]+)/.exec(cookie)?.[1];
  req.session = sessions.get(req.sid);
  req.viaProxy = /(?:^|;\s*)via=proxy(?:;|$)/.test(cookie);
  res.locals.cspNonce = randomBytes(16).toString('base64');
  // Framed only by itself (the side-by-side view).
  res.set('content-security-policy', `script-src 'nonce-${res.locals.cspNonce}' 'strict-dynamic'; frame-ancestors 'self'`);
  next();
});
// The app's own forms and calls only: another site cannot log a visitor in or out, or switch modes.
// (The webhook is signed, and the proxy checks the Origin of the widget's writes itself.)
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.path.startsWith('/ingest/') || req.path === '/webhooks/posthog') return next();
  const origin = req.headers.origin;
  const crossSite =
    req.headers['sec-fetch-site'] === 'cross-site' || (origin !== undefined && origin !== `${req.protocol}://${req.headers.host}`);
  if (crossSite) return res.status(403).send('Cross-site request refused');
  next();
});
if (webhook) app.post('/webhooks/posthog', webhook); // before the body parsers: it needs the raw body
// Proxy mode: posthog-js talks to this app's /ingest, which signs the widget's calls for the
// logged-in user (the page holds no hash). Before the body parsers: it streams bodies through.
app.use(
  '/ingest',
  posthogProxy({ secret: process.env.POSTHOG_SECRET_API_TOKEN, host: config.apiHost, getDistinctId: (req) => req.session?.userId }),
);
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
app.use(express.json(), express.urlencoded({ extended: false }));
const logIn = (req, res, user) => {
  sessions.delete(req.sid);
  req.sid = randomBytes(18).toString('base64url');
  sessions.set(req.sid, user);
  if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value);
  res.cookie('sid', req.sid, { httpOnly: true, sameSite: 'lax' });
  req.session = user;
};

app.use(posthog);
app.get('/', (req, res) => {
  const viaProxy = req.viaProxy;
  const identity = viaProxy ? null : res.locals.posthogIdentity;
  if (req.session) log.signed(req.sid, identity, viaProxy);
  // Proxy mode: api_host is this app's own /ingest (its listening URL, never the request's Host),
  // and no identity goes into the page.
  const apiHost = viaProxy ? `${appUrl}/ingest` : config.apiHost;
  const script = viaProxy
    ? posthogInitSnippet({ ...config, apiHost, identity: null, nonce: res.locals.cspNonce })
    : posthog.initScript(res, config);
  res.send(page({ user: req.session, identity, viaProxy, script, nonce: res.locals.cspNonce, users: USERS, apiHost }));
});
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
  const answer = await posthog.withIdentity(req, { user: { name: user.name, userId: user.userId } });
  log.signed(req.sid, answer.posthogIdentity, false);
  res.json(answer);
});
app.post('/logout', (req, res) => {
  sessions.delete(req.sid);
  res.clearCookie('sid');
  res.format({ json: () => res.json({ ok: true }), default: () => res.redirect(303, '/') });
});
app.post('/mode', (req, res) => {
  if (req.body.via === 'proxy') res.cookie('via', 'proxy', { sameSite: 'lax' });
  else res.clearCookie('via');
  res.redirect(303, '/');
});
app.use(support.router, log.router, bothView());

// One line, never a stack trace, for a port that cannot be used.
const fail = async (message) => {
  console.error(message);
  await support.close();
  await emulator?.close();
  process.exit(1);
};
const chosen = process.env.PORT;
if (portProblem(chosen)) await fail(portProblem(chosen));
let appUrl;
const server = app.listen(chosen === undefined ? DEFAULT_PORT : Number(chosen), '127.0.0.1');
server.on('error', (error) => {
  // Port 3000 taken meanwhile and no PORT asked for: a free port instead, as npm run demo does.
  if (error.code === 'EADDRINUSE' && chosen === undefined && !server.listening) {
    console.log(FREE_PORT_INSTEAD);
    return void server.listen(0, '127.0.0.1');
  }
  void fail(error.code === 'EADDRINUSE' ? portInUse(chosen) : `Cannot listen: ${error.message}`);
});
server.once('listening', () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  appUrl = url;
  if (emulator) {
    // The restore flow emails links only to allowed domains (it fails closed): allow this app.
    emulator.state.teams[0].settings.widget_domains = [url];
    // PostHog's webhook destination, pointed at this app's receiver.
    emulator.addWebhook({ url: `${url}/webhooks/posthog`, secret: process.env.POSTHOG_WEBHOOK_SECRET });
  }
  announce('Express', url);
});
const stop = async () => {
  server.close();
  await support.close();
  await emulator?.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
