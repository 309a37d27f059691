// examples/nestjs as its README runs it, against the embedded emulator, over real HTTP.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { startExample } from './run-example.js';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
let app: Awaited<ReturnType<typeof startExample>>;
beforeAll(async () => {
  app = await startExample(
    [tsx, '--tsconfig', 'examples/nestjs/tsconfig.json', 'examples/nestjs/main.ts'],
    {},
    { ready: /Against the embedded emulator/ },
  );
}, 60_000);
afterAll(() => app.stop());

describe('the NestJS example', () => {
  it('runs against the embedded emulator and serves a visitor no identity', async () => {
    expect(app.output()).toMatch(/Against the embedded emulator/);
    const html = await (await fetch(app.url)).text();
    expect(html).toContain('Not logged in');
    expect(html).not.toContain('"identity_hash":');
  });

  it('answers a login with the identity, then pages, the endpoint and the API client use the session', async () => {
    const login = await fetch(`${app.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ada' }),
    });
    const hash = computeIdentityHash('user_ada', EMULATOR_DEFAULTS.secretApiToken);
    expect(await login.json()).toMatchObject({
      name: 'Ada',
      posthogIdentity: { identity_distinct_id: 'user_ada', identity_hash: hash, identity_email: 'ada@example.com' },
    });
    const cookie = /sid=[\w-]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    expect(await (await fetch(app.url, { headers: { cookie } })).text()).toContain(
      `"identity_distinct_id":"user_ada","identity_hash":"${hash}"`,
    );
    expect((await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${app.url}/api/posthog-identity`)).status).toBe(401);
    expect(await (await fetch(`${app.url}/api/my-tickets`, { headers: { cookie } })).json()).toEqual({ count: 0, results: [] });
    await fetch(`${app.url}/api/logout`, { method: 'POST', headers: { cookie } });
    expect((await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } })).status).toBe(401);
  });
});
