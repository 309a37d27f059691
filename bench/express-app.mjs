// The Express app bench/express.mjs loads: one process serving the same app three times, under
// /none (no identity middleware), /hand (a hand-written createHmac one) and /sdk (posthogIdentity),
// so the three share one JIT and one heap, and what differs between them is only the middleware.
import { createHmac } from 'node:crypto';
import express from 'express';
import { posthogIdentity } from '../dist/express/index.js';

const PAGE = { projectApiKey: 'phc_bench' };
const filler = '<p>Some page content, the size of a small real page.</p>\n'.repeat(40);

const SECRET = 'phs_bench_secret_value_0123456789';
// What a developer might write by hand instead: the floor any identity middleware starts from.
const handWritten = (req, res, next) => {
  const id = req.session.userId;
  res.locals.posthogIdentity = { identity_distinct_id: id, identity_hash: createHmac('sha256', SECRET).update(id).digest('hex') };
  next();
};

function app(kind) {
  const a = express();
  a.use((req, _res, next) => {
    req.session = { userId: `user_${req.headers['x-user'] ?? '1'}` }; // the app's own auth
    next();
  });
  const posthog = kind === 'sdk' ? posthogIdentity({ secret: SECRET, getDistinctId: (req) => req.session.userId }) : undefined;
  if (posthog) a.use(posthog);
  if (kind === 'hand') a.use(handWritten);
  a.get('/api', (_req, res) => res.json({ ok: true }));
  a.get('/page', (_req, res) => {
    const identity = res.locals.posthogIdentity;
    const script = posthog
      ? posthog.initScript(res, PAGE)
      : `<script>posthog.init("phc_bench",${JSON.stringify({ api_host: 'https://us.i.posthog.com', ...identity })})</script>`;
    res.send(`<!doctype html><html><head><title>Bench</title>${script}</head><body>${filler}</body></html>`);
  });
  return a;
}

// Time spent in each app's handling of a request, from its first middleware to the return of
// res.send: all synchronous here, so it is CPU time, without the socket and HTTP parsing work that
// is the same for all three apps and whose noise on a shared machine hides a few µs of difference.
const handling = { none: { ms: 0, requests: 0 }, hand: { ms: 0, requests: 0 }, sdk: { ms: 0, requests: 0 } };
const root = express();
for (const kind of ['none', 'hand', 'sdk']) {
  const sub = app(kind);
  const spent = handling[kind];
  root.use(`/${kind}`, (req, res, next) => {
    const start = performance.now();
    sub(req, res, next);
    spent.ms += performance.now() - start;
    spent.requests++;
  });
}
const server = root.listen(0, '127.0.0.1', () => process.send(server.address().port));
// The parent asks for this process's CPU time and the handling times around each measurement.
process.on('message', () => process.send({ cpu: process.cpuUsage(), handling }));
process.on('SIGTERM', () => process.exit(0));
