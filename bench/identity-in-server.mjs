// npm run bench: what one HMAC costs inside a loaded HTTP server, where caches are cold and a
// native call pays its full price, unlike a tight loop. Each request times one case, in rotation,
// so all cases share the same conditions; an empty timed section gives the timer's own cost.
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { computeIdentityHash } from '../dist/identity/index.js';
import { loadServer } from './harness.mjs';

const SECRET = `phs_${'k'.repeat(43)}`;
const CONCURRENCY = 16;
const DURATION_MS = 6000;
const USERS = 5000;

let sink = '';
const cases = {
  'timer only (subtracted below)': () => '',
  'bare createHmac(...).digest("hex")': (id) => createHmac('sha256', SECRET).update(id).digest('hex'),
  computeIdentityHash: (id) => computeIdentityHash(id, SECRET),
};
const names = Object.keys(cases);
const totals = Object.fromEntries(names.map((name) => [name, { ns: 0, calls: 0 }]));
for (const id of ['user_1', crypto.randomUUID()]) {
  if (cases.computeIdentityHash(id) !== cases['bare createHmac(...).digest("hex")'](id)) throw new Error('cases disagree');
}

let turn = 0;
const server = createServer((req, res) => {
  const id = `user_${req.headers['x-user']}`;
  const name = names[turn++ % names.length];
  const start = process.hrtime.bigint();
  sink = cases[name](id);
  totals[name].ns += Number(process.hrtime.bigint() - start);
  totals[name].calls++;
  res.end(sink.slice(0, 8));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
await loadServer(server.address().port, { path: '/', concurrency: CONCURRENCY, durationMs: DURATION_MS, users: USERS });
server.close();

const perCall = (name) => totals[name].ns / totals[name].calls / 1000;
const floor = perCall(names[0]);
console.log(
  `\nOne HMAC inside a loaded HTTP server (${CONCURRENCY} connections, ${USERS} distinct ids, timer cost ${floor.toFixed(2)} µs subtracted)`,
);
const bare = perCall(names[1]) - floor;
for (const name of names.slice(1)) {
  const us = perCall(name) - floor;
  console.log(`  ${name.padEnd(40)} ${us.toFixed(2).padStart(6)} µs per call  ${(bare / us).toFixed(2)}x`);
}
