// One of three otherwise identical Express apps (argv[2]: none, hand or sdk), each in its own
// process like a real server, so no app's JIT state shapes another's: started by bench/express.mjs.
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

const server = app(process.argv[2]).listen(0, '127.0.0.1', () => process.send(server.address().port));
// The parent asks for this process's CPU time around each measurement.
process.on('message', () => process.send(process.cpuUsage()));
process.on('SIGTERM', () => process.exit(0));
