// npm run bench: an Express app with posthogIdentity against the same app without it, same run.
// Each app runs in processes of its own; with two or more CPUs and `taskset`, the apps get one CPU
// and this load generator another, so neither steals the other's time. Besides requests/s, each
// process reports its CPU time, so the bench prints what each middleware adds per request.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { loadServer, median } from './harness.mjs';

const CONCURRENCY = 16;
const DURATION_MS = 1500;
const ROUNDS = 5;
const USERS = 5000;
// Identical processes differ by a few µs per request (memory layout, JIT decisions): each app runs
// in several, and its result is the median over all of them and all rounds.
const PROCESSES = 3;

const canPin =
  availableParallelism() >= 2 &&
  (() => {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
if (canPin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
// Each process serves one app (all on the same CPU when pinned); only one is loaded at a time.
const apps = ['without', 'hand', 'sdk'];
const servers = await Promise.all(
  apps.flatMap((app) =>
    Array.from({ length: PROCESSES }, async () => {
      const kind = app === 'without' ? 'none' : app;
      const [command, args] = canPin
        ? ['taskset', ['-c', '1', process.execPath, 'bench/express-app.mjs', kind]]
        : [process.execPath, ['bench/express-app.mjs', kind]];
      const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const [port] = await once(child, 'message');
      return { app, child, port };
    }),
  ),
);

/** A server's CPU time (user + system, µs), asked over IPC so no route is added to the apps. */
async function cpuOf({ child }) {
  child.send('cpu');
  const [usage] = await once(child, 'message');
  return usage.user + usage.system;
}

async function load(server, path) {
  const cpuBefore = await cpuOf(server);
  const done = await loadServer(server.port, { path, concurrency: CONCURRENCY, durationMs: DURATION_MS, users: USERS });
  const cpuPerRequest = ((await cpuOf(server)) - cpuBefore) / done;
  return { rps: done / (DURATION_MS / 1000), cpuPerRequest };
}

// without, hand, sdk, without, hand, sdk, ...: each app's processes spread over the round.
const interleaved = Array.from({ length: PROCESSES }, (_, i) => apps.map((app) => servers.filter((s) => s.app === app)[i])).flat();
console.log(
  `\nExpress 5, ${CONCURRENCY} connections, ${USERS} distinct users; each app in ${PROCESSES} processes, median of ${ROUNDS} rounds of each in alternating order`,
);
console.log(canPin ? '(apps and load generator pinned to separate CPUs)' : '(not pinned: taskset or a second CPU is missing)');
for (const [path, label] of [
  ['/page', 'a page that renders the identity'],
  ['/api', 'a JSON route that does not'],
]) {
  const results = Object.fromEntries(apps.map((app) => [app, { rps: [], cpu: [] }]));
  for (const server of servers) await load(server, path); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of round % 2 ? interleaved.toReversed() : interleaved) {
      const { rps, cpuPerRequest } = await load(server, path);
      results[server.app].rps.push(rps);
      results[server.app].cpu.push(cpuPerRequest);
    }
  }
  const plain = { rps: median(results.without.rps), cpu: median(results.without.cpu) };
  console.log(`  ${label}:`);
  const row = (name, app, extra = '') => {
    const rps = median(results[app].rps);
    const cpu = median(results[app].cpu);
    console.log(
      `    ${name.padEnd(36)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} req/s  ${(rps / plain.rps).toFixed(2)}x` +
        `   ${cpu.toFixed(1).padStart(6)} µs CPU/request ${app === 'without' ? '        ' : `(${(cpu >= plain.cpu ? '+' : '') + (cpu - plain.cpu).toFixed(1)})`.padStart(8)}${extra}`,
    );
  };
  row('without any identity middleware', 'without');
  row('hand-written createHmac middleware', 'hand');
  const sdk = median(results.sdk.rps) / plain.rps;
  row('posthogIdentity', 'sdk', `  target >= 0.95x req/s: ${sdk >= 0.95 ? 'met' : 'NOT met'} (${sdk.toFixed(3)}x)`);
}
for (const { child } of servers) child.kill('SIGTERM');
