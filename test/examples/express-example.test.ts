// examples/express as a person runs it (npm run demo): against the embedded emulator, over real HTTP.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { formLogIn, startExample } from './run-example.js';

const hash = (id: string) => computeIdentityHash(id, EMULATOR_DEFAULTS.secretApiToken);
let app: Awaited<ReturnType<typeof startExample>>;
beforeAll(async () => {
  app = await startExample(['examples/express/server.mjs'], {}, { ready: /Against the embedded emulator/ });
});
afterAll(() => app.stop());

describe('the Express example', () => {
  it('says it runs against the embedded emulator', () => {
    expect(app.output()).toMatch(/Against the embedded emulator at http:\/\/127\.0\.0\.1:\d+ \(no account needed\)/);
  });

  it('serves a visitor a page with no identity', async () => {
    const html = await (await fetch(app.url)).text();
    // What public/app.js draws the page from (a full load and a single-page login alike).
    const state = JSON.parse(/<script type="application\/json" id="demo-state">(.*?)<\/script>/.exec(html)![1]!);
    expect(state).toMatchObject({ user: null, identity: null, viaProxy: false });
    expect(html).not.toContain('"identity_hash":');
  });

  it('after a form login, injects the signed identity and email claim under the CSP nonce', async () => {
    const cookie = await formLogIn(app.url, 'ada');
    const response = await fetch(app.url, { headers: { cookie } });
    const html = await response.text();
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')![1]!;
    expect(html).toContain(`<script nonce="${nonce}">posthog.init("${EMULATOR_DEFAULTS.projectApiKey}",`);
    expect(html).toContain(`"identity_distinct_id":"user_ada","identity_hash":"${hash('user_ada')}","identity_email":"ada@example.com"`);
  });

  it('refuses a cross-site login, logout or mode switch (403), and takes its own', async () => {
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${app.url}${path}`, { method: 'POST', body: new URLSearchParams({ user: 'ada' }), headers, redirect: 'manual' });
    for (const path of ['/login', '/api/login', '/logout', '/mode']) {
      expect((await post(path, { origin: 'https://evil.example' })).status, path).toBe(403);
      expect((await post(path, { 'sec-fetch-site': 'cross-site' })).status, path).toBe(403);
    }
    expect((await post('/login', { origin: app.url })).status).toBe(303);
  });

  it('refuses a PORT that is not a port in one line, before listening', async () => {
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['examples/express/server.mjs'],
        { env: { PATH: process.env.PATH ?? '', PORT: 'eighty' } },
        (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result).toEqual({ code: 1, stderr: 'PORT must be a port number from 0 to 65535 (0 for a free one), got "eighty".\n' });
  });

  it('the single-page login answers with the identity, and the identity endpoint follows the session', async () => {
    const response = await fetch(`${app.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'grace' }),
    });
    const body = (await response.json()) as { user: Record<string, unknown>; posthogIdentity: Record<string, unknown> };
    expect(body).toMatchObject({
      user: { name: 'Grace Hopper', userId: 'user_grace' },
      posthogIdentity: { identity_distinct_id: 'user_grace', identity_hash: hash('user_grace') },
    });
    const cookie = /sid=[\w-]+/.exec(response.headers.get('set-cookie') ?? '')![0];
    expect((await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } })).status).toBe(200);
    await fetch(`${app.url}/logout`, { method: 'POST', headers: { cookie, accept: 'application/json' } });
    const after = await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.headers.get('cache-control')).toBe('no-store');
  });

  it('receives a signed webhook delivery before the body parsers: 204, and 400 when forged', async () => {
    const payload = JSON.stringify({
      event: {
        uuid: 'e',
        event: '$conversation_ticket_created',
        distinct_id: 'user_ada',
        timestamp: 't',
        properties: { ticket_id: 't1', ticket_number: 9, channel_source: 'widget', status: 'new' },
      },
      person: null,
    });
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_express',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(EMULATOR_DEFAULTS.webhookSecret).sign('msg_express', now, payload),
    };
    expect((await fetch(`${app.url}/webhooks/posthog`, { method: 'POST', body: payload, headers })).status).toBe(204);
    expect((await fetch(`${app.url}/webhooks/posthog`, { method: 'POST', body: payload.replace('9', '8'), headers })).status).toBe(400);
    expect(app.output()).toContain('webhook msg_express: new ticket #9');
  });

  it('never signs an id the visitor sends', async () => {
    const response = await fetch(`${app.url}/api/posthog-identity?distinct_id=user_ada`, {
      headers: { 'x-posthog-distinct-id': 'user_ada' },
    });
    expect(response.status).toBe(401);
  });
});

describe('the Express example against real PostHog settings', () => {
  let real: Awaited<ReturnType<typeof startExample>>;
  beforeAll(async () => {
    // Real-looking settings and no personal key: nothing is called at start-up, so a closed port will do.
    real = await startExample(
      ['examples/express/server.mjs'],
      { POSTHOG_SECRET_API_TOKEN: 'phs_real_looking', POSTHOG_PROJECT_API_KEY: 'phc_real_looking', POSTHOG_HOST: 'http://127.0.0.1:9' },
      { ready: /Against PostHog at/ },
    );
  });
  afterAll(() => real.stop());

  it('says the inbox needs a personal API key and a project id, instead of failing', async () => {
    const response = await fetch(`${real.url}/inbox`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(
      /id="inbox-missing">The inbox reads tickets with the admin API, which needs a personal API key.*POSTHOG_PERSONAL_API_KEY.*POSTHOG_PROJECT_ID/,
    );
  });

  it('says the widget requests are shown with the embedded emulator only', async () => {
    expect(await (await fetch(`${real.url}/sdk`)).text()).toContain('Shown with the embedded emulator only');
  });
});
