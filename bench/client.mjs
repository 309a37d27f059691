// npm run bench: widget.listTickets through the SDK beside raw undici.request and global fetch,
// against the emulator in a child process, measured in the same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { createClient } from '../dist/index.js';
import { EMULATOR_DEFAULTS as D } from '../dist/testing/index.js';
import { median } from './harness.mjs';

const CONCURRENCY = 8;
const DURATION_MS = 2500;
const ROUNDS = 3;

const child = spawn(process.execPath, ['dist/cli.js', 'emulator', '--port', '0', '--no-throttles'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [firstLine] = await once(child.stdout, 'data');
const host = /listening on (\S+)/.exec(String(firstLine))[1];
const session = crypto.randomUUID();
const path = `/api/conversations/v1/widget/tickets?widget_session_id=${session}`;
const headers = { 'x-conversations-token': D.publicToken, accept: 'application/json' };

const client = createClient({ host, publicToken: D.publicToken });
// Seed a realistic page: a few tickets for this session.
for (let i = 0; i < 5; i++)
  await client.widget.sendMessage({ message: `Question ${i}`, widgetSessionId: session, distinctId: 'bench-user' });
const agent = new Agent({ keepAliveTimeout: 10_000 });

const cases = {
  'raw undici.request + JSON.parse': async () => JSON.parse(await (await request(host + path, { headers, dispatcher: agent })).body.text()),
  'SDK client.widget.listTickets': () => client.widget.listTickets({ widgetSessionId: session }),
  'global fetch + res.json()': async () => (await fetch(host + path, { headers })).json(),
};

async function run(fn) {
  const latencies = [];
  const end = performance.now() + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      const page = await fn();
      if (page.count !== 5) throw new Error('unexpected answer');
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / ((performance.now() - started) / 1000), p99: latencies[Math.floor(latencies.length * 0.99)] };
}

const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const fn of Object.values(cases)) await run(fn); // warm-up
for (let round = 0; round < ROUNDS; round++) for (const [name, fn] of Object.entries(cases)) results[name].push(await run(fn));

const summary = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => [name, { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)) }]),
);
const undiciRps = summary['raw undici.request + JSON.parse'].rps;
const fetchRps = summary['global fetch + res.json()'].rps;
console.log(`\nwidget.listTickets against the emulator (${CONCURRENCY} in flight, median of ${ROUNDS} rounds of ${DURATION_MS} ms)`);
for (const [name, { rps, p99 }] of Object.entries(summary)) {
  console.log(
    `  ${name.padEnd(34)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} req/s  p99 ${p99.toFixed(2).padStart(6)} ms  ${(rps / undiciRps).toFixed(2)}x undici  ${(rps / fetchRps).toFixed(2)}x fetch`,
  );
}
const sdk = summary['SDK client.widget.listTickets'].rps;
console.log(
  `  targets: >= 0.9x raw undici (${(sdk / undiciRps).toFixed(2)}x: ${sdk / undiciRps >= 0.9 ? 'met' : 'NOT met'}), >= 1.3x fetch (${(sdk / fetchRps).toFixed(2)}x: ${sdk / fetchRps >= 1.3 ? 'met' : 'NOT met'})`,
);

// Throughput above moves with the machine's load; the client's own CPU per call, in alternating
// rounds of the same run, is the comparison that holds (the emulator's work is in another process).
async function cpuPerCall(fn, calls) {
  const start = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < calls) await fn();
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}
const cpu = { raw: [], sdk: [] };
for (let round = 0; round < 10; round++) {
  const order = round % 2 ? ['raw', 'sdk'] : ['sdk', 'raw'];
  for (const name of order)
    cpu[name].push(
      await cpuPerCall(name === 'raw' ? cases['raw undici.request + JSON.parse'] : cases['SDK client.widget.listTickets'], 3000),
    );
}
const rawCpu = median(cpu.raw);
const sdkCpu = median(cpu.sdk);
console.log(
  `  client CPU per call: raw undici ${rawCpu.toFixed(1)} µs, SDK ${sdkCpu.toFixed(1)} µs: the SDK at ${(rawCpu / sdkCpu).toFixed(2)}x raw undici's rate (target >= 0.95x: ${rawCpu / sdkCpu >= 0.95 ? 'met' : 'NOT met'})`,
);

await client.close();
await agent.close();
child.kill('SIGTERM');
await once(child, 'exit');
