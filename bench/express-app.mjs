// Identical Express apps with and without the posthogIdentity middleware: started by bench/express.mjs.
import express from 'express';
import { posthogIdentity } from '../dist/express/index.js';

const filler = '<p>Some page content, the size of a small real page.</p>\n'.repeat(40);

function app(withIdentity) {
  const a = express();
  a.use((req, _res, next) => {
    req.session = { userId: `user_${req.headers['x-user'] ?? '1'}` }; // the app's own auth
    next();
  });
  const posthog = withIdentity ? posthogIdentity({ secret: 'phs_bench_secret_value_0123456789', getDistinctId: (req) => req.session.userId }) : undefined;
  if (posthog) a.use(posthog);
  a.get('/api', (_req, res) => res.json({ ok: true }));
  a.get('/page', (_req, res) => {
    const script = posthog ? posthog.initScript(res, { projectApiKey: 'phc_bench' }) : '<script>posthog.init("phc_bench",{})</script>';
    res.send(`<!doctype html><html><head><title>Bench</title>${script}</head><body>${filler}</body></html>`);
  });
  return a;
}

const ports = await Promise.all([false, true].map((flag) => new Promise((resolve) => {
  const server = app(flag).listen(0, '127.0.0.1', () => resolve(server.address().port));
})));
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
