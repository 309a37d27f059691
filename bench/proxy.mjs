// npm run bench: what the widget proxy adds to a widget call: listTickets straight to the emulator
// against the same call through the proxy (Express, the proxy's own process), sequential calls on
// keep-alive connections, alternating rounds of the same run. Latency per call, not a pass/fail.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import express from 'express';
import { Agent, request } from 'undici';
import { posthogProxy } from '../dist/express/index.js';
import { createClient, identityFor } from '../dist/index.js';
import { EMULATOR_DEFAULTS as D } from '../dist/testing/index.js';
import { median } from './harness.mjs';

const ROUNDS = 9;
const CALLS = 300;

const child = spawn(process.execPath, ['dist/cli.js', 'emulator', '--port', '0', '--no-throttles'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [firstLine] = await once(child.stdout, 'data');
const host = /listening on (\S+)/.exec(String(firstLine))[1];

const identity = identityFor('bench_user', { secret: D.secretApiToken });
const client = createClient({ host, publicToken: D.publicToken });
for (let i = 0; i < 5; i++) await client.widget.sendMessage({ identity, message: `Question ${i}` });
await client.close();

const app = express();
app.use('/ingest', posthogProxy({ secret: D.secretApiToken, host, assetsHost: host, getDistinctId: () => 'bench_user' }));
const server = createServer(app).listen(0, '127.0.0.1');
await once(server, 'listening');
const proxied = `http://127.0.0.1:${server.address().port}/ingest`;

const agent = new Agent({ keepAliveTimeout: 10_000 });
const headers = { 'x-conversations-token': D.publicToken, accept: 'application/json' };
const direct = `/api/conversations/v1/widget/tickets?${new URLSearchParams(identity)}`;
const viaProxy = '/api/conversations/v1/widget/tickets?widget_session_id=0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const call = async (base, path) => {
  const { statusCode, body } = await request(base + path, { headers, dispatcher: agent });
  const page = JSON.parse(await body.text());
  if (statusCode !== 200 || page.count !== 5) throw new Error(`unexpected answer ${statusCode} ${page.count}`);
};

/** Median µs per call over `CALLS` sequential calls. */
async function perCall(base, path) {
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await call(base, path);
  return ((performance.now() - started) * 1000) / CALLS;
}

for (let i = 0; i < 50; i++) await Promise.all([call(host, direct), call(proxied, viaProxy)]); // warm-up
const samples = { direct: [], proxy: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, base, path] of round % 2
    ? [
        ['proxy', proxied, viaProxy],
        ['direct', host, direct],
      ]
    : [
        ['direct', host, direct],
        ['proxy', proxied, viaProxy],
      ]) {
    samples[name].push(await perCall(base, path));
  }
}
const d = median(samples.direct);
const p = median(samples.proxy);
console.log(`\nwidget.listTickets, ${CALLS} sequential calls per round, median of ${ROUNDS} alternating rounds`);
console.log(`  straight to the emulator             ${d.toFixed(0).padStart(6)} µs per call`);
console.log(
  `  through the Express proxy (signed)   ${p.toFixed(0).padStart(6)} µs per call  (adds ${(p - d).toFixed(0)} µs, ${(p / d).toFixed(2)}x)`,
);
await agent.close();
server.close();
child.kill('SIGTERM');
