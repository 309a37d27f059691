// examples/hono and examples/fastify as a person runs them: against the embedded emulator, over
// real HTTP. The same checks for both: they are the same app on two frameworks.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { formLogIn, startExample } from './run-example.js';

const hash = (id: string) => computeIdentityHash(id, EMULATOR_DEFAULTS.secretApiToken);

describe.each([
  ['Hono', 'examples/hono/server.mjs'],
  ['Fastify', 'examples/fastify/server.mjs'],
])('the %s example', (name, entry) => {
  let app: Awaited<ReturnType<typeof startExample>>;
  beforeAll(async () => {
    app = await startExample([entry], {}, { ready: /Against the embedded emulator/ });
  });
  afterAll(() => app.stop());

  it('says what it runs against', () => {
    expect(app.output()).toMatch(new RegExp(`${name} example: http://127\\.0\\.0\\.1:\\d+`));
    expect(app.output()).toMatch(/Against the embedded emulator at http:\/\/127\.0\.0\.1:\d+ \(no account needed\)/);
  });

  it('serves a visitor a page with no identity, and 401 from the identity endpoint', async () => {
    const html = await (await fetch(app.url)).text();
    expect(html).toContain('Not logged in');
    expect(html).toContain(`posthog.init("${EMULATOR_DEFAULTS.projectApiKey}"`);
    expect(html).not.toContain('identity_hash');
    expect((await fetch(`${app.url}/api/posthog-identity`)).status).toBe(401);
  });

  it('after login, writes the signed identity and email claim into the page and the endpoint; logout ends it', async () => {
    const cookie = await formLogIn(app.url, 'ada');
    const html = await (await fetch(app.url, { headers: { cookie } })).text();
    expect(html).toContain('Logged in as Ada');
    expect(html).toContain(`"identity_distinct_id":"user_ada","identity_hash":"${hash('user_ada')}","identity_email":"ada@example.com"`);
    const spa = await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } });
    expect([spa.status, spa.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(await spa.json()).toMatchObject({ identity_distinct_id: 'user_ada', identity_hash: hash('user_ada') });
    await fetch(`${app.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect((await fetch(`${app.url}/api/posthog-identity`, { headers: { cookie } })).status).toBe(401);
  });

  it('receives a signed webhook delivery: 204, and 400 when forged', async () => {
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
    const id = `msg_${name.toLowerCase()}`;
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(EMULATOR_DEFAULTS.webhookSecret).sign(id, now, payload),
    };
    expect((await fetch(`${app.url}/webhooks/posthog`, { method: 'POST', body: payload, headers })).status).toBe(204);
    expect((await fetch(`${app.url}/webhooks/posthog`, { method: 'POST', body: payload.replace('9', '8'), headers })).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log line may trail the answer
    expect(app.output()).toContain(`webhook ${id}: $conversation_ticket_created`);
  });
});
