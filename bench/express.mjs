// npm run bench: an Express app with posthogIdentity against the same app without it, same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';

const CONCURRENCY = 16;
const DURATION_MS = 2000;
const ROUNDS = 5;
const child = spawn(process.execPath, ['bench/express-app.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [plainPort, handPort, identityPort] = JSON.parse(String((await once(child.stdout, 'data'))[0]));

async function load(port, path) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY });
  let done = 0;
  const end = performance.now() + DURATION_MS;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    for (let i = 0; performance.now() < end; i++) {
      const { body } = await pool.request({ path, method: 'GET', headers: { 'x-user': String((w * 1000 + i) % 5000) } });
      await body.text();
      done++;
    }
  }));
  await pool.close();
  return done / (DURATION_MS / 1000);
}

const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`\nExpress 5, ${CONCURRENCY} connections, 5000 distinct users, median of ${ROUNDS} interleaved rounds`);
for (const [path, label] of [['/page', 'a page that renders the identity'], ['/api', 'a JSON route that does not']]) {
  const results = { without: [], hand: [], with: [] };
  for (const port of [plainPort, handPort, identityPort]) await load(port, path); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    results.without.push(await load(plainPort, path));
    results.hand.push(await load(handPort, path));
    results.with.push(await load(identityPort, path));
  }
  const plain = median(results.without);
  const row = (name, rps, extra = '') => console.log(`    ${name.padEnd(36)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} req/s  ${(rps / plain).toFixed(2)}x${extra}`);
  const sdk = median(results.with);
  console.log(`  ${label}:`);
  row('without any identity middleware', plain);
  row('hand-written createHmac middleware', median(results.hand));
  row('posthogIdentity', sdk, `  (target >= 0.95x: ${sdk / plain >= 0.95 ? 'met' : 'NOT met'})`);
}
child.kill('SIGTERM');
