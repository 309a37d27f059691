// The Express example and demo: log in as a sample user, and the page hands the widget a signed
// identity; answer from the support inbox; see what the SDK did. With no POSTHOG_* variables it
// runs against the embedded emulator: no account needed.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { announce, emulator } from '../shared/posthog-env.mjs';
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
  ada: { userId: 'user_ada', email: 'ada@example.com', name: 'Ada' },
  grace: { userId: 'user_grace', email: 'grace@example.com', name: 'Grace' },
};
const sessions = new Map();
const app = express();
if (webhook) app.post('/webhooks/posthog', webhook); // before the body parsers: it needs the raw body
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
app.use(express.json(), express.urlencoded({ extended: false }));
app.use((req, res, next) => {
  req.sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
  req.session = sessions.get(req.sid);
  res.locals.cspNonce = randomBytes(16).toString('base64');
  res.set('content-security-policy', `script-src 'nonce-${res.locals.cspNonce}' 'strict-dynamic'`);
  next();
});
const logIn = (req, res, user) => {
  req.sid = randomBytes(18).toString('base64url');
  sessions.set(req.sid, user);
  res.cookie('sid', req.sid, { httpOnly: true, sameSite: 'lax' });
  req.session = user;
};

app.use(posthog);
app.get('/', (req, res) => {
  if (req.session) log.signed(req.sid, res.locals.posthogIdentity);
  const script = posthog.initScript(res, config);
  res.send(
    page({
      user: req.session,
      identity: res.locals.posthogIdentity,
      script,
      nonce: res.locals.cspNonce,
      users: USERS,
      apiHost: config.apiHost,
    }),
  );
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
  const answer = await posthog.withIdentity(req, { name: user.name });
  log.signed(req.sid, answer.posthogIdentity);
  res.json(answer);
});
app.post('/logout', (req, res) => {
  sessions.delete(req.sid);
  res.clearCookie('sid');
  res.format({ json: () => res.json({ ok: true }), default: () => res.redirect(303, '/') });
});
app.use(support.router, log.router);

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}`;
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
