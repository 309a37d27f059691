// npm run bench: what posthogIdentity adds to an Express app's CPU per request over real HTTP,
// against a hand-written createHmac middleware, in the same run. Each server process serves the
// app three times (no middleware, hand-written, posthogIdentity; bench/express-app.mjs), so the
// three share one JIT and heap; short rounds alternate between them, and each round's cost is
// taken against the bare app's in the same round, which cancels the drift of a shared machine.
// With two or more CPUs and `taskset`, the servers get one CPU and this load generator another.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { loadServer, median } from './harness.mjs';

const CONCURRENCY = 16;
const ROUND_MS = 400;
const ROUNDS = 15;
const USERS = 5000;
// Identical processes still differ by a little (memory layout, JIT decisions): the medians are
// over rounds in each of these.
const PROCESSES = 2;
const TARGET = 1.1;

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
const servers = await Promise.all(
  Array.from({ length: PROCESSES }, async () => {
    const [command, args] = canPin
      ? ['taskset', ['-c', '1', process.execPath, 'bench/express-app.mjs']]
      : [process.execPath, ['bench/express-app.mjs']];
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [port] = await once(child, 'message');
    return { child, port };
  }),
);

/** The server's counters: process CPU (user + system, µs) and each app's handling time, over IPC so no route is added. */
async function countersOf({ child }) {
  child.send('counters');
  const [counters] = await once(child, 'message');
  return counters;
}

/** One round of `kind`'s `route` on `server`: process CPU µs per request, and µs per request in the app's handling. */
async function round(server, kind, route) {
  const before = await countersOf(server);
  const done = await loadServer(server.port, { path: `/${kind}${route}`, concurrency: CONCURRENCY, durationMs: ROUND_MS, users: USERS });
  const after = await countersOf(server);
  const handled = after.handling[kind].requests - before.handling[kind].requests;
  return {
    process: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / done,
    handling: ((after.handling[kind].ms - before.handling[kind].ms) * 1000) / handled,
  };
}

const kinds = ['none', 'hand', 'sdk'];
const us = (n) => n.toFixed(1).padStart(6);
console.log(
  `\nExpress 5 over HTTP, ${CONCURRENCY} connections, ${USERS} distinct users; ${PROCESSES} server processes, ${ROUNDS} rounds of ${ROUND_MS} ms each, alternating`,
);
console.log(canPin ? '(server and load generator pinned to separate CPUs)' : '(not pinned: taskset or a second CPU is missing)');
console.log("  µs per request: the whole server process (socket and HTTP parsing included), and the app's handling alone");
for (const [route, label] of [
  ['/page', 'a page that renders the identity'],
  ['/api', 'a JSON route that does not'],
]) {
  const samples = Object.fromEntries(kinds.map((kind) => [kind, { process: [], handling: [] }]));
  const added = { hand: { process: [], handling: [] }, sdk: { process: [], handling: [] } };
  for (const server of servers) for (const kind of kinds) await round(server, kind, route); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const server of servers) {
      // none, hand, sdk, then sdk, hand, none: neither middleware always follows the bare app.
      const thisRound = {};
      for (const kind of r % 2 ? kinds.toReversed() : kinds) thisRound[kind] = await round(server, kind, route);
      for (const kind of kinds) for (const m of ['process', 'handling']) samples[kind][m].push(thisRound[kind][m]);
      for (const kind of ['hand', 'sdk'])
        for (const m of ['process', 'handling']) added[kind][m].push(thisRound[kind][m] - thisRound.none[m]);
    }
  }
  const cost = (kind, m) => median(added[kind][m]);
  const ratio = cost('sdk', 'handling') / cost('hand', 'handling');
  console.log(`  ${label}:`);
  console.log(
    `    without any identity middleware      process ${us(median(samples.none.process))}   handling ${us(median(samples.none.handling))}`,
  );
  for (const [kind, name] of [
    ['hand', 'hand-written createHmac middleware'],
    ['sdk', 'posthogIdentity'],
  ]) {
    console.log(
      `    ${name.padEnd(36)} process ${us(median(samples[kind].process))} (+${cost(kind, 'process').toFixed(1)})` +
        `   handling ${us(median(samples[kind].handling))} (+${cost(kind, 'handling').toFixed(1)})`,
    );
  }
  console.log(
    `    posthogIdentity adds ${ratio.toFixed(2)}x what the hand-written middleware adds to the handling (target <= ${TARGET}x: ${ratio <= TARGET ? 'met' : 'NOT met'})`,
  );
}
for (const { child } of servers) child.kill('SIGTERM');
