// npm run bench:soak: the emulator and the Express adapter, each in its own process, under 2,000
// requests in flight and 100,000 in all (half to each: the widget's ticket list and messages on the
// emulator, one request in a hundred a new message, and a signed page and the SPA identity route on
// Express). Reports errors, throughput,
// and each server's heap after a full GC at the start, halfway and at the end: memory must be
// flat. A report, not a test: nothing here passes or fails on timing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { EMULATOR_DEFAULTS as D } from '../dist/testing/index.js';

const IN_FLIGHT = 2000;
const TOTAL = 100_000;

async function start(kind) {
  const child = spawn(process.execPath, ['--expose-gc', 'bench/soak-server.mjs', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = await once(child, 'message');
  const memory = async () => {
    child.send('mem');
    const [mem] = await once(child, 'message');
    return mem;
  };
  return { child, port, memory };
}

const [emulator, express] = await Promise.all([start('emulator'), start('express')]);
const agent = new Agent({ connections: IN_FLIGHT, keepAliveTimeout: 30_000, pipelining: 1 });
const sessions = Array.from({ length: 50 }, () => crypto.randomUUID());
const widget = { 'x-conversations-token': D.publicToken, 'content-type': 'application/json' };

/** The i-th request of the mix; answers true when it got the status it should. */
async function one(i) {
  const session = sessions[i % sessions.length];
  let response;
  if (i % 100 === 0) {
    // One request in a hundred writes: a message on the session's own ticket.
    response = await request(`http://127.0.0.1:${emulator.port}/api/conversations/v1/widget/message`, {
      method: 'POST',
      headers: widget,
      dispatcher: agent,
      body: JSON.stringify({
        message: `soak ${i}`,
        widget_session_id: session,
        distinct_id: `soak_${i % 50}`,
        ticket_id: tickets.get(session),
      }),
    });
  } else if (i % 4 === 0) {
    response = await request(`http://127.0.0.1:${emulator.port}/api/conversations/v1/widget/tickets?widget_session_id=${session}`, {
      headers: widget,
      dispatcher: agent,
    });
  } else if (i % 4 === 1) {
    response = await request(
      `http://127.0.0.1:${emulator.port}/api/conversations/v1/widget/messages/${tickets.get(session)}?widget_session_id=${session}`,
      { headers: widget, dispatcher: agent },
    );
  } else if (i % 4 === 2) {
    response = await request(`http://127.0.0.1:${express.port}/page`, { headers: { 'x-user': String(i % 5000) }, dispatcher: agent });
  } else {
    response = await request(`http://127.0.0.1:${express.port}/api/posthog-identity`, {
      headers: { 'x-user': String(i % 5000) },
      dispatcher: agent,
    });
  }
  await response.body.arrayBuffer();
  if (response.statusCode !== 200)
    statuses.set(`${i % 4}:${response.statusCode}`, (statuses.get(`${i % 4}:${response.statusCode}`) ?? 0) + 1);
  return response.statusCode === 200;
}

// Each session's ticket, opened before the load starts.
const tickets = new Map();
for (const session of sessions) {
  const response = await request(`http://127.0.0.1:${emulator.port}/api/conversations/v1/widget/message`, {
    method: 'POST',
    headers: widget,
    dispatcher: agent,
    body: JSON.stringify({ message: 'hello', widget_session_id: session, distinct_id: 'soak' }),
  });
  tickets.set(session, (await response.body.json()).ticket_id);
}

const memory = { emulator: [await emulator.memory()], express: [await express.memory()] };
let next = 0;
let failures = 0;
const errors = new Map();
const statuses = new Map();
const started = performance.now();
const worker = async () => {
  while (next < TOTAL) {
    const i = next++;
    try {
      if (!(await one(i))) failures++;
    } catch (error) {
      failures++;
      errors.set(error.code ?? error.name, (errors.get(error.code ?? error.name) ?? 0) + 1);
    }
    if (i === TOTAL / 2) {
      memory.emulator.push(await emulator.memory());
      memory.express.push(await express.memory());
    }
  }
};
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
const seconds = (performance.now() - started) / 1000;
memory.emulator.push(await emulator.memory());
memory.express.push(await express.memory());

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  `\nsoak: ${TOTAL.toLocaleString('en')} requests, ${IN_FLIGHT} in flight, ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds).toLocaleString('en')} req/s)`,
);
console.log(
  `  failures: ${failures}${errors.size ? ` (${[...errors].map(([code, n]) => `${code} x${n}`).join(', ')})` : ''}${statuses.size ? `; statuses ${[...statuses].map(([k, n]) => `${k} x${n}`).join(', ')}` : ''}`,
);
for (const [name, samples] of Object.entries(memory)) {
  console.log(
    `  ${name.padEnd(9)} heap after GC: start ${mb(samples[0].heapUsed)}, halfway ${mb(samples[1].heapUsed)}, end ${mb(samples[2].heapUsed)}; rss end ${mb(samples[2].rss)}`,
  );
}
await agent.close();
emulator.child.kill();
express.child.kill();
