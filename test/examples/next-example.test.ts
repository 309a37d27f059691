// examples/next built with `next build` and served with `next start`, against the embedded emulator.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAKS, addClientLeak, copyNextExample } from '../helpers/next-apps.js';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/testing/index.js';
import { ROOT } from '../package/run-node.js';
import { freePort, startExample } from './run-example.js';

const NEXT = createRequire(import.meta.url).resolve('next/dist/bin/next');
const EXAMPLE = join(ROOT, 'examples/next');
const hash = (id: string) => computeIdentityHash(id, EMULATOR_DEFAULTS.secretApiToken);
// The demo's signed session cookie, made the way examples/next/lib/session.ts checks it.
const sessionCookie = (user: string) => `demo_session=${user}.${computeIdentityHash(user, 'demo-session-cookie-key')}`;

/** The example resolves the package as an app would: from its own node_modules (a link to this repo). */
function linkPackage(dir: string): void {
  const link = join(dir, 'node_modules/posthog-conversations');
  if (existsSync(link)) return;
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync('../../..', link, 'dir');
}

function nextBuild(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [NEXT, 'build'],
      { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('the Next.js example', () => {
  let app: Awaited<ReturnType<typeof startExample>>;
  beforeAll(async () => {
    linkPackage(EXAMPLE);
    const build = await nextBuild(EXAMPLE);
    expect(build.output).toMatch(/\/api\/edge-identity/);
    expect(build.code, build.output).toBe(0);
    const port = String(await freePort());
    app = await startExample(
      [NEXT, 'start', '-p', port, '-H', '127.0.0.1'],
      { NEXT_TELEMETRY_DISABLED: '1' },
      { cwd: EXAMPLE, ready: /Ready in/ },
    );
    await fetch(`${app.url}/api/posthog-identity`); // the first request waits for instrumentation (the emulator)
  }, 240_000);
  afterAll(() => app?.stop());

  it('runs against the embedded emulator', () => {
    expect(app.output()).toMatch(/Against the embedded emulator at http:\/\/127\.0\.0\.1:\d+/);
  });

  it("puts the right hash in a logged-in user's HTML and none in a visitor's", async () => {
    const visitor = await (await fetch(app.url)).text();
    expect(visitor).toContain('Not logged in');
    expect(visitor).not.toMatch(/identity_hash/);
    const ada = await (await fetch(app.url, { headers: { cookie: sessionCookie('ada') } })).text();
    expect(ada).toContain('Logged in as <!-- -->Ada');
    expect(ada).toContain(hash('user_ada'));
    expect(ada).not.toContain(hash('user_grace'));
    expect(ada).not.toContain(EMULATOR_DEFAULTS.secretApiToken);
  });

  it('serves the SPA endpoint from a route handler: 200 or 401, never cached', async () => {
    const ok = await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie: sessionCookie('grace') } });
    expect([ok.status, ok.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(await ok.json()).toMatchObject({
      identity_distinct_id: 'user_grace',
      identity_hash: hash('user_grace'),
      identity_email: 'grace@example.com',
    });
    const forged = await fetch(`${app.url}/api/posthog-identity?distinct_id=user_ada`, { headers: { cookie: 'demo_session=ada.0000' } });
    expect([forged.status, forged.headers.get('cache-control')]).toEqual([401, 'no-store']);
  });

  it('proxies posthog-js under /ingest, signing the widget calls for the session user (no hash in the page)', async () => {
    const widget = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}/ingest/api/conversations/v1/widget${path}`, {
        ...init,
        headers: {
          'x-conversations-token': EMULATOR_DEFAULTS.publicToken,
          origin: app.url,
          'content-type': 'application/json',
          ...init.headers,
        },
      });
    const sent = await widget('/message', {
      method: 'POST',
      headers: { cookie: sessionCookie('ada') },
      body: JSON.stringify({ message: 'through the Next proxy', widget_session_id: crypto.randomUUID() }),
    });
    expect(sent.status).toBe(200);
    const { ticket_id } = (await sent.json()) as { ticket_id: string };
    // Listed as Ada (the proxy signs), from a widget session that never saw the ticket.
    const adas = (await (
      await widget(`/tickets?widget_session_id=${crypto.randomUUID()}`, { headers: { cookie: sessionCookie('ada') } })
    ).json()) as {
      results: { id: string }[];
    };
    expect(adas.results.map((ticket) => ticket.id)).toContain(ticket_id);
    const visitor = (await (await widget(`/tickets?widget_session_id=${crypto.randomUUID()}`)).json()) as { count: number };
    expect(visitor.count).toBe(0);
    const script = await fetch(`${app.url}/ingest/static/array.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
  });

  it('signs the same identity in an edge-runtime route handler, through the edge build', async () => {
    const edge = await fetch(`${app.url}/api/edge-identity`, { headers: { cookie: sessionCookie('ada') } });
    expect(await edge.json()).toMatchObject({ identity_distinct_id: 'user_ada', identity_hash: hash('user_ada') });
    expect((await fetch(`${app.url}/api/edge-identity`)).status).toBe(401);
  });

  it('receives a signed webhook delivery in a route handler: 204, and 400 when forged', async () => {
    const payload = JSON.stringify({
      event: {
        uuid: 'e',
        event: '$conversation_ticket_created',
        distinct_id: 'user_ada',
        timestamp: 't',
        properties: { ticket_id: 't1', ticket_number: 7, channel_source: 'widget', status: 'new' },
      },
      person: null,
    });
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_next',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(EMULATOR_DEFAULTS.webhookSecret).sign('msg_next', now, payload),
    };
    expect((await fetch(`${app.url}/api/posthog-webhook`, { method: 'POST', body: payload, headers })).status).toBe(204);
    const forged = await fetch(`${app.url}/api/posthog-webhook`, {
      method: 'POST',
      body: payload.replace('user_ada', 'user_eve'),
      headers,
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_SIGNATURE' });
    expect(app.output()).toContain('posthog webhook msg_next: new ticket #7');
  });

  it('receives what an emulator delivers when a ticket is created', async () => {
    const delivering = await startEmulator({
      throttles: false,
      webhooks: [
        { url: `${app.url}/api/posthog-webhook`, secret: EMULATOR_DEFAULTS.webhookSecret, events: ['$conversation_ticket_created'] },
      ],
    });
    try {
      const ticket = delivering.addTicket({ distinct_id: 'user_grace' });
      await delivering.webhooksIdle();
      expect(delivering.deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 204 }] });
      expect(app.output()).toContain(`posthog webhook ${delivering.deliveries[0]!.id}: new ticket #${ticket.ticket_number}`);
    } finally {
      await delivering.close();
    }
  });

  it('renders pages for visitors when the secret is missing, and reports it once, loudly', async () => {
    const port = String(await freePort());
    // A project key but no secret: the example does not start its emulator, and signing cannot work.
    const broken = await startExample(
      [NEXT, 'start', '-p', port, '-H', '127.0.0.1'],
      { NEXT_TELEMETRY_DISABLED: '1', POSTHOG_PROJECT_API_KEY: 'phc_test', POSTHOG_HOST: 'http://127.0.0.1:9' },
      { cwd: EXAMPLE, ready: /Ready in/ },
    );
    try {
      for (let i = 0; i < 3; i++) {
        const page = await fetch(broken.url, { headers: { cookie: sessionCookie('ada') } });
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('Logged in as <!-- -->Ada');
        expect(html).not.toMatch(/identity_hash/);
      }
      const spa = await fetch(`${broken.url}/api/posthog-identity`, { headers: { cookie: sessionCookie('ada') } });
      expect(spa.status).toBe(401);
      const reports = broken.output().match(/posthog-conversations: pass secret .*rendered without an identity/g) ?? [];
      expect(reports).toHaveLength(1);
    } finally {
      await broken.stop();
    }
  }, 60_000);

  it.each([
    ['the server helper', LEAKS.nextHelper, /depends on "server-only"/],
    // Turbopack: the reason is the first error, before "the module has no exports at all".
    [
      'the root or /identity (Turbopack)',
      LEAKS.rootAndIdentity,
      /SERVER-ONLY posthog-conversations holds your Secret API key, which must never reach a browser/,
    ],
  ])(
    'fails the build, saying why, when a client component imports %s',
    async (_, leak, reason) => {
      const copy = join(ROOT, 'examples/.next-client-import-check');
      copyNextExample(copy);
      try {
        linkPackage(copy);
        addClientLeak(copy, leak);
        const build = await nextBuild(copy);
        expect(build.code).not.toBe(0);
        expect(build.output).toMatch(reason);
        const noExports = build.output.indexOf('has no exports at all');
        expect(noExports === -1 || build.output.search(reason) < noExports).toBe(true);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
