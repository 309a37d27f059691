// A server for bench/soak.mjs, in a process of its own: argv[2] is `emulator` (the embedded
// emulator, throttles off) or `express` (an Express app with posthogIdentity and the page route).
// Answers 'mem' messages with its heap and RSS after a full GC (run with --expose-gc).
import { posthogIdentity } from '../dist/express/index.js';
import { startEmulator } from '../dist/testing/index.js';

const kind = process.argv[2];
let port;
if (kind === 'emulator') {
  const emulator = await startEmulator({ throttles: false });
  port = emulator.port;
} else {
  const { default: express } = await import('express');
  const app = express();
  const posthog = posthogIdentity({
    secret: 'phs_soak_secret_0123456789abcdef',
    getDistinctId: (req) => `user_${req.headers['x-user'] ?? '1'}`,
  });
  app.use(posthog);
  app.get('/page', (_req, res) =>
    res.send(`<html><head>${posthog.initScript(res, { projectApiKey: 'phc_soak' })}</head><body>ok</body></html>`),
  );
  app.get('/api/posthog-identity', posthog.route);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = server.address().port;
}
process.send({ port });
process.on('message', () => {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  process.send({ heapUsed, rss });
});
