// A tiny benchmark harness: interleaved rounds, median ops/s, ratios against a baseline measured
// in the same run. Not a test: timings on a shared machine are reported, never asserted.
import { Pool } from 'undici';

/** Measures each case for `rounds` interleaved rounds of about `roundMs`; returns median ops/s per case. */
export async function measure(cases, { rounds = 7, roundMs = 300 } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  // Only async cases are awaited: an await per call would add its own cost to a sync case.
  const isAsync = Object.fromEntries(Object.entries(cases).map(([name, fn]) => [name, fn(0) instanceof Promise]));
  const batch = async (name, fn, from) => {
    if (isAsync[name]) for (let i = 0; i < 1000; i++) await fn(from + i);
    else for (let i = 0; i < 1000; i++) fn(from + i);
  };
  for (const [name, fn] of Object.entries(cases)) for (let i = 0; i < 20; i++) await batch(name, fn, i * 1000); // JIT warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      let ops = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < roundMs) {
        await batch(name, fn, ops);
        ops += 1000;
        elapsed = performance.now() - start;
      }
      samples[name].push((ops / elapsed) * 1000);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

/** The median (the upper one for an even count); does not reorder `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Sends GET `path` to 127.0.0.1:`port` from `concurrency` keep-alive connections for `durationMs`,
 * each request as one of `users` users (an `x-user` header, cycled); returns how many completed.
 */
export async function loadServer(port, { path, concurrency, durationMs, users }) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency });
  let done = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const headers = { 'x-user': String((w * 1000 + i) % users) };
        const { body } = await pool.request({ path, method: 'GET', headers });
        await body.text();
        done++;
      }
    }),
  );
  await pool.close();
  return done;
}

/** Prints a table of ops/s and the ratio to `baseline`, with each target's verdict. */
export function report(title, results, baseline, targets = {}) {
  console.log(`\n${title}`);
  const base = results[baseline];
  for (const [name, ops] of Object.entries(results)) {
    const ratio = ops / base;
    const target = targets[name];
    const verdict =
      target === undefined
        ? ''
        : ratio >= target
          ? `  (target >= ${Number(target.toFixed(2))}x: met)`
          : `  (target >= ${Number(target.toFixed(2))}x: NOT met)`;
    console.log(`  ${name.padEnd(44)} ${Math.round(ops).toLocaleString('en-US').padStart(12)} ops/s  ${ratio.toFixed(2)}x${verdict}`);
  }
}
