// The installed package on every runtime users run it on, by running them: Node.js 20 (this
// process's), 22 and 24, Bun and Deno run the identity, webhook and client checks and the README's
// quickstarts against the emulator; a real workerd runs the Hono adapter and the edge quickstart in
// a Worker bundled with the conditions Wrangler uses. Each runtime is an npm package, installed
// from test/runtimes' lock file on first run.
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySigner } from '../../src/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../src/testing/index.js';
import { freePort } from '../examples/run-example.js';
import { identityVectors } from '../fixtures.js';
import { ROOT } from '../package/run-node.js';
import { installFromLock, scratchProject } from '../package/scratch.js';

const RUNTIMES = join(ROOT, 'test/runtimes');
const bin = (path: string) => join(RUNTIMES, 'node_modules', path);
/** How each runtime runs a script (Node 20 is this process's own). */
const RUN: Record<string, string[]> = {
  'Node.js 20': [process.execPath],
  'Node.js 22': [bin('node22/bin/node')],
  'Node.js 24': [bin('node24/bin/node')],
  Bun: [bin('bun/bin/bun.exe')],
  Deno: [bin('@deno/linux-x64-glibc/deno'), 'run', '--allow-read', '--allow-env', '--allow-net', '--allow-sys'],
};
const DEMO_SECRET = 'phs_demo_secret_for_local_use_only';
const WEBHOOK_SECRET = `whsec_${Buffer.from('runtime-matrix-webhook-key').toString('base64')}`;

const hmac = (id: string, secret: string) => createHmac('sha256', secret).update(id).digest('hex');
// The fixtures made with PostHog's Python, and random ids and secrets (any code point, astral and
// lone surrogates included): what each runtime computes must equal Node's own createHmac.
const identityCases: [string, string][] = [
  ...identityVectors
    .filter((c) => c.distinct_id.trim() === c.distinct_id && c.distinct_id !== '')
    .map((c) => [c.distinct_id, c.secret] as [string, string]),
  ...fc.sample(
    fc.tuple(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map((s) => `u${s}u`),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map((s) => `k${s}k`),
    ),
    200,
  ),
];

function run(command: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      command[0]!,
      [...command.slice(1)],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DENO_NO_UPDATE_CHECK: '1', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${command.join(' ')}: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Starts a server process and resolves once its port answers; `stop` ends it. */
async function serve(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  port: number,
): Promise<{ url: string; stop: () => void }> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DENO_NO_UPDATE_CHECK: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`${command.join(' ')} did not start:\n${output}`);
    }
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return { url, stop: () => child.kill() };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let app: string;
let emulator: Emulator;
beforeAll(async () => {
  installFromLock(RUNTIMES);
  app = scratchProject('runtimes', { hono: '^4.0.0' });
  for (const file of ['node.mjs', 'edge.mjs', 'api.mjs', 'api-edge.mjs'])
    copyFileSync(join(ROOT, 'examples/quickstart', file), join(app, file));
  copyFileSync(join(RUNTIMES, 'check.mjs'), join(app, 'check.mjs'));
  copyFileSync(join(RUNTIMES, 'worker.mjs'), join(app, 'worker.mjs'));
  mkdirSync(join(app, 'hono-example'), { recursive: true });
  for (const file of ['app.mjs', 'posthog.mjs']) copyFileSync(join(ROOT, 'examples/hono', file), join(app, 'hono-example', file));
  const payload = JSON.stringify({
    event: {
      uuid: 'e',
      event: '$conversation_ticket_created',
      distinct_id: 'd',
      timestamp: 't',
      properties: { ticket_id: 't', ticket_number: 1, channel_source: 'widget', status: 'new' },
    },
    person: null,
  });
  const now = new Date();
  const headers = {
    'webhook-id': 'msg_runtime',
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(WEBHOOK_SECRET).sign('msg_runtime', now, payload),
  };
  writeFileSync(
    join(app, 'cases.json'),
    JSON.stringify({ identity: identityCases, signerSecret: DEMO_SECRET, webhook: { payload, headers, secret: WEBHOOK_SECRET } }),
  );
  emulator = await startEmulator();
}, 300_000);
afterAll(() => emulator?.close());

describe.each(Object.keys(RUN))('on %s', (name) => {
  const command = RUN[name]!;

  it('hashes like Node.js crypto, verifies, signs email claims, verifies webhooks, and bounds a call that never answers', async () => {
    const out = JSON.parse((await run([...command, 'check.mjs'], app)).trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out.runtime).toMatch(name === 'Bun' ? /^bun 1\./ : name === 'Deno' ? /^deno 2\./ : new RegExp(`^node v${name.slice(-2)}\\.`));
    expect(out.resolved).toMatch(/node_modules\/posthog-conversations\/dist\/identity\/index\.js$/); // the Node build
    expect(out.hashes).toEqual(identityCases.map(([id, secret]) => hmac(id, secret)));
    expect(out.verified).toBe(true);
    expect(out.signed).toEqual(
      new IdentitySigner({ secret: DEMO_SECRET }).identityFor('user_123', { email: 'ada@example.com', now: new Date(1_700_000_000_000) }),
    );
    expect(out.webhook).toBe('$conversation_ticket_created');
    expect(out.forged).toBe('ERR_WEBHOOK_BAD_SIGNATURE');
    expect(out.timeout).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect((out.timeout as { elapsedMs: number }).elapsedMs).toBeLessThan(3000); // deadlineMs 500, not timeoutMs's 5 s
  }, 60_000);

  it('runs the Node quickstart as the README shows it', async () => {
    const out = await run([...command, 'node.mjs'], app, { POSTHOG_SECRET_API_TOKEN: DEMO_SECRET });
    expect(out).toContain(hmac('user_123', DEMO_SECRET));
    expect(out.trim().endsWith('true')).toBe(true);
  }, 60_000);

  it('runs the API quickstart against the emulator, client.close() included', async () => {
    const env = {
      POSTHOG_HOST: emulator.url,
      POSTHOG_WIDGET_TOKEN: D.publicToken,
      POSTHOG_PERSONAL_API_KEY: D.personalApiKey,
      POSTHOG_PROJECT_ID: String(D.projectId),
      POSTHOG_SECRET_API_TOKEN: D.secretApiToken,
    };
    expect(await run([...command, 'api.mjs'], app, env)).toBe('You: Hello from the SDK!\nAgent 1: Hi! How can we help?\n');
  }, 60_000);
});

describe.each([
  [
    'Deno',
    (port: number) => [
      bin('@deno/linux-x64-glibc/deno'),
      'serve',
      '--allow-env',
      '--allow-read',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      'edge.mjs',
    ],
  ],
  ['Bun', () => [bin('bun/bin/bun.exe'), 'edge.mjs']],
])('the edge quickstart served by %s', (_, command) => {
  it('answers 200 with the identity for the session, 401 without', async () => {
    const port = await freePort();
    const server = await serve(command(port), app, { POSTHOG_SECRET_API_TOKEN: DEMO_SECRET, PORT: String(port) }, port);
    try {
      const ok = await fetch(`${server.url}/identity`, { headers: { cookie: 'session=demo-session' } });
      expect([ok.status, ok.headers.get('cache-control')]).toEqual([200, 'no-store']);
      expect(await ok.json()).toEqual({ identity_distinct_id: 'user_123', identity_hash: hmac('user_123', DEMO_SECRET) });
      expect((await fetch(`${server.url}/identity`)).status).toBe(401);
    } finally {
      server.stop();
    }
  }, 60_000);
});

describe('in a Cloudflare Worker on workerd', () => {
  let worker: { url: string; stop: () => void };
  beforeAll(async () => {
    // Wrangler's conditions: workerd first, so the package's edge build is picked.
    await build({
      entryPoints: [join(app, 'worker.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      define: { __EMULATOR_URL__: JSON.stringify(emulator.url) },
      outfile: join(app, 'dist/worker.js'),
      logLevel: 'silent',
    });
    const port = await freePort();
    writeFileSync(
      join(app, 'dist/config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .app),
    # The emulator listens on 127.0.0.1: a Worker's fetch reaches only public addresses unless allowed.
    (name = "outbound", network = (allow = ["public", "local", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "outbound",
  bindings = [
    (name = "POSTHOG_SECRET_API_TOKEN", text = "${DEMO_SECRET}"),
    (name = "POSTHOG_HOST", text = "${emulator.url}"),
    (name = "POSTHOG_PROJECT_API_KEY", text = "phc_worker_example"),
    (name = "POSTHOG_WIDGET_TOKEN", text = "${D.publicToken}"),
    (name = "POSTHOG_PERSONAL_API_KEY", text = "${D.personalApiKey}"),
    (name = "POSTHOG_PROJECT_ID", text = "${D.projectId}"),
    (name = "EMULATOR_SECRET_API_TOKEN", text = "${D.secretApiToken}"),
    (name = "POSTHOG_WEBHOOK_SECRET", text = "${WEBHOOK_SECRET}"),
  ],
);
`,
    );
    worker = await serve([bin('@cloudflare/workerd-linux-64/bin/workerd'), 'serve', 'config.capnp'], join(app, 'dist'), {}, port);
  }, 60_000);
  afterAll(() => worker?.stop());

  it('is a real Worker without nodejs_compat: no process global', async () => {
    expect(await (await fetch(`${worker.url}/runtime`)).json()).toEqual({ process: 'undefined', userAgent: 'Cloudflare-Workers' });
  });

  it('hashes with the edge build exactly like Node.js crypto', async () => {
    const response = await fetch(`${worker.url}/hash`, { method: 'POST', body: JSON.stringify(identityCases) });
    expect(await response.json()).toEqual(identityCases.map(([id, secret]) => hmac(id, secret)));
  });

  it("runs the Hono adapter with the secret from the Worker's env: page, SPA endpoint, 401", async () => {
    const cookie = { cookie: 'sid=s-ada' };
    expect(await (await fetch(`${worker.url}/hono/page`, { headers: cookie })).text()).toContain(
      `"identity_distinct_id":"user_ada","identity_hash":"${hmac('user_ada', DEMO_SECRET)}"`,
    );
    const spa = await fetch(`${worker.url}/hono/api/posthog-identity`, { headers: cookie });
    expect([spa.status, spa.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect((await fetch(`${worker.url}/hono/api/posthog-identity`)).status).toBe(401);
  });

  it('verifies a signed webhook delivery with the Hono receiver, and refuses a forged one', async () => {
    const payload = JSON.stringify({ event: null, person: null });
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_worker',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(WEBHOOK_SECRET).sign('msg_worker', now, payload),
    };
    expect((await fetch(`${worker.url}/hono/webhook`, { method: 'POST', body: payload, headers })).status).toBe(204);
    expect((await fetch(`${worker.url}/hono/webhook`, { method: 'POST', body: `${payload} `, headers })).status).toBe(400);
    expect(await (await fetch(`${worker.url}/hono/deliveries`)).json()).toEqual(['msg_worker']);
  });

  it("runs the edge API quickstart: createClient on the Worker's fetch against the emulator over real HTTP", async () => {
    const answer = await fetch(`${worker.url}/api-quickstart`);
    expect(await answer.text()).toBe('You: Hello from the edge!\nAgent 1: Hi! How can we help?');
  });

  it("runs examples/hono unchanged, its settings from the Worker's env: visitor page, login, signed identity", async () => {
    const visitor = await (await fetch(`${worker.url}/example/`)).text();
    expect(visitor).toContain('Not logged in');
    expect(visitor).toContain('posthog.init("phc_worker_example"');
    const login = await fetch(`${worker.url}/example/login`, {
      method: 'POST',
      body: new URLSearchParams({ user: 'ada' }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${worker.url}/example/`, { headers: { cookie } })).text();
    expect(page).toContain('Logged in as Ada');
    expect(page).toContain(`"identity_distinct_id":"user_ada","identity_hash":"${hmac('user_ada', DEMO_SECRET)}"`);
  });

  it("runs the widget proxy: the session user's widget call signed in the Worker, posthog-js streamed, cross-site refused", async () => {
    const widget = `${worker.url}/ingest/api/conversations/v1/widget/message`;
    const post = (origin: string) =>
      fetch(widget, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-conversations-token': D.publicToken, cookie: 'sid=s-ada', origin },
        body: JSON.stringify({ message: 'from a Worker', widget_session_id: crypto.randomUUID() }),
      });
    const sent = await post(worker.url);
    expect(sent.status).toBe(200);
    const { ticket_id } = (await sent.json()) as { ticket_id: string };
    const tickets = await fetch(
      `${emulator.url}/api/conversations/v1/widget/tickets?identity_distinct_id=user_ada&identity_hash=${hmac('user_ada', D.secretApiToken)}`,
      {
        headers: { 'x-conversations-token': D.publicToken },
      },
    );
    expect(((await tickets.json()) as { results: { id: string }[] }).results.map((t) => t.id)).toContain(ticket_id);
    expect((await post('https://evil.example')).status).toBe(403);
    const script = await fetch(`${worker.url}/ingest/static/array.js`);
    expect([script.status, (await script.text()).length > 1000]).toEqual([200, true]);
  });

  it('serves the README edge quickstart with the secret from env', async () => {
    const ok = await fetch(`${worker.url}/quickstart/identity`, { headers: { cookie: 'session=demo-session' } });
    expect(await ok.json()).toEqual({ identity_distinct_id: 'user_123', identity_hash: hmac('user_123', DEMO_SECRET) });
    expect((await fetch(`${worker.url}/quickstart/identity`)).status).toBe(401);
  });
});
