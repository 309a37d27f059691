// The Hono adapter inside a real Hono app on a real port (@hono/node-server); the same app runs
// inside workerd in test/runtimes.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { secureHeaders, NONCE } from 'hono/secure-headers';
import { Webhook } from 'standardwebhooks';
import { ticketCreatedBody } from '../fixtures.js';
import { describe, expect, it } from 'vitest';
import { serveDuringSuite, serveFetch } from '../helpers/servers.js';
import { posthogIdentity, posthogWebhook, type PostHogIdentityVariables, type WebhookDelivery } from '../../adapters/hono/index.js';
import { ConfigurationError, ValidationError, computeIdentityHash } from '../../src/index.js';

const SECRET = 'phs_hono_test_secret';
const WEBHOOK_SECRET = `whsec_${Buffer.from('hono-webhook-test-signing-key').toString('base64')}`;
const sessions = new Map<string, unknown>([
  ['ada', 'user_ada'],
  ['num', 42],
  ['bad', 'x'.repeat(500)],
  ['mail', 'user_mail'],
]);
type AppEnv = { Bindings: { POSTHOG_SECRET_API_TOKEN?: string; POSTHOG_WEBHOOK_SECRET?: string }; Variables: PostHogIdentityVariables };

const reported: Error[] = [];
const handled: WebhookDelivery[] = [];

function buildApp() {
  const app = new Hono<AppEnv>();
  const posthog = posthogIdentity<AppEnv>({
    secret: (c) => c.env?.POSTHOG_SECRET_API_TOKEN ?? SECRET,
    getDistinctId: (c) => sessions.get(getCookie(c, 'sid') ?? '') as string | undefined,
    getEmail: async (c) => (getCookie(c, 'sid') === 'mail' ? 'not an email' : undefined),
    onError: (error) => reported.push(error),
  });
  app.use(secureHeaders({ contentSecurityPolicy: { scriptSrc: [NONCE] } }));
  app.use(posthog);
  app.get('/page', async (c) =>
    c.html(
      `<head>${await posthog.initScript(c, { projectApiKey: 'phc_test' })}</head><body>${c.var.posthogIdentity ? 'in' : 'out'}</body>`,
    ),
  );
  app.get('/api/posthog-identity', posthog.route);
  app.post(
    '/webhooks/posthog',
    posthogWebhook<AppEnv>({
      secret: (c) => c.env?.POSTHOG_WEBHOOK_SECRET ?? WEBHOOK_SECRET,
      maxBodyBytes: 4096,
      onDelivery: async (delivery, c) => {
        if (delivery.event?.event === '$conversation_ticket_created' && delivery.event.properties.ticket_id === 'fail')
          throw new Error('CRM is down');
        expect(c.req.path).toBe('/webhooks/posthog');
        handled.push(delivery);
      },
    }),
  );
  // Routes where a middleware read the body before the receiver (a logger, a validator).
  const receiver = posthogWebhook<AppEnv>({
    secret: WEBHOOK_SECRET,
    maxBodyBytes: 4096,
    onDelivery: (delivery) => void handled.push(delivery),
  });
  app.post(
    '/read-json',
    async (c, next) => {
      await c.req.json().catch(() => undefined);
      await next();
    },
    receiver,
  );
  app.post(
    '/read-text',
    async (c, next) => {
      await c.req.text();
      await next();
    },
    receiver,
  );
  app.post(
    '/read-raw',
    async (c, next) => {
      await c.req.raw.text();
      await next();
    },
    receiver,
  );
  app.onError((error, c) => c.json({ error: error.name, message: error.message }, 500));
  return app;
}

const app = serveDuringSuite(() => serveFetch(buildApp().fetch));

const get = (path: string, sid?: string) => fetch(`${app.url}${path}`, { headers: sid ? { cookie: `sid=${sid}` } : {} });

describe('posthogIdentity on Hono', () => {
  it("sets c.var.posthogIdentity and writes the init script with secureHeaders' nonce", async () => {
    const response = await get('/page', 'ada');
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeDefined();
    const html = await response.text();
    expect(html).toContain(
      `<script nonce="${nonce}">posthog.init("phc_test",{"api_host":"https://us.i.posthog.com","identity_distinct_id":"user_ada","identity_hash":"${computeIdentityHash('user_ada', SECRET)}"})</script>`,
    );
    expect(html).toContain('<body>in</body>');
  });

  it('writes no identity for a visitor', async () => {
    const html = await (await get('/page')).text();
    expect(html).not.toContain('identity_');
    expect(html).toContain('<body>out</body>');
  });

  it('answers the SPA endpoint with 200 and the identity, never cached; a safe integer id is stringified', async () => {
    const response = await get('/api/posthog-identity', 'num');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ identity_distinct_id: '42', identity_hash: computeIdentityHash('42', SECRET) });
  });

  it('answers the SPA endpoint with 401 for a visitor', async () => {
    const response = await get('/api/posthog-identity');
    expect([response.status, response.headers.get('cache-control')]).toEqual([401, 'no-store']);
    expect(await response.json()).toEqual({ error: 'Not logged in' });
  });

  it('renders a visitor page, not a 500, for an id the server would refuse, and reports it', async () => {
    reported.length = 0;
    const response = await get('/page', 'bad');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<body>out</body>');
    expect(reported).toEqual([expect.any(ValidationError)]);
  });

  it('sends the identity without the email claim for a bad email, and reports it', async () => {
    reported.length = 0;
    const body = (await (await get('/api/posthog-identity', 'mail')).json()) as Record<string, unknown>;
    expect(body).toEqual({ identity_distinct_id: 'user_mail', identity_hash: computeIdentityHash('user_mail', SECRET) });
    expect(reported).toMatchObject([{ field: 'email' }]);
  });

  it('reads the secret from the request when given a function; a missing one renders visitors and is reported once', async () => {
    const errors: Error[] = [];
    const app = new Hono<AppEnv>();
    app.use(
      posthogIdentity<AppEnv>({
        secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN,
        getDistinctId: () => 'user_ada',
        onError: (error) => errors.push(error),
      }),
    );
    app.get('/', (c) => c.json(c.var.posthogIdentity));
    const withSecret = await app.request('/', {}, { POSTHOG_SECRET_API_TOKEN: 'phs_from_env' });
    expect(await withSecret.json()).toEqual({
      identity_distinct_id: 'user_ada',
      identity_hash: computeIdentityHash('user_ada', 'phs_from_env'),
    });
    for (let i = 0; i < 3; i++) expect(await (await app.request('/', {}, {})).json()).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConfigurationError);
    expect(errors[0]!.message).toMatch(/rendered without an identity/);
  });

  it('checks its options when created: a misspelt key names the right one', () => {
    expect(() => posthogIdentity({ secret: SECRET, getDistinctId: () => 'a', emailTtlSecond: 60 } as never)).toThrow(
      /unknown option `emailTtlSecond`.*did you mean `emailTtlSeconds`/,
    );
    expect(() => posthogIdentity({ secret: SECRET } as never)).toThrow(/getDistinctId must be a function/);
    expect(() => posthogIdentity({ secret: 42, getDistinctId: () => 'a' } as never)).toThrow(/secret must be/);
  });
});

describe('posthogWebhook on Hono', () => {
  const deliver = (payload: string, { id = `msg_${Math.random().toString(36).slice(2)}`, secret = WEBHOOK_SECRET } = {}) => {
    const now = new Date();
    const signature = new Webhook(secret).sign(id, now, payload);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    return fetch(`${app.url}/webhooks/posthog`, { method: 'POST', body: payload, headers });
  };
  const ticket = (id: string) => ticketCreatedBody(id, 7);

  it('answers 204 and hands over the verified, typed delivery', async () => {
    handled.length = 0;
    const response = await deliver(ticket('t1'), { id: 'msg_hono_1' });
    expect(response.status).toBe(204);
    expect(handled).toMatchObject([
      { id: 'msg_hono_1', event: { event: '$conversation_ticket_created', properties: { ticket_id: 't1', ticket_number: 7 } } },
    ]);
  });

  it('answers 400 with the code to a delivery signed with another secret', async () => {
    const response = await deliver(ticket('t2'), { secret: `whsec_${Buffer.from('another-key-entirely-here').toString('base64')}` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ERR_WEBHOOK_BAD_SIGNATURE' });
  });

  it('answers 413 to a body over maxBodyBytes without handing it over', async () => {
    handled.length = 0;
    const response = await deliver(JSON.stringify({ pad: 'x'.repeat(5000) }));
    expect(response.status).toBe(413);
    expect(handled).toEqual([]);
  });

  it.each(['/read-json', '/read-text'])(
    'verifies a genuine delivery whose body a middleware read first (%s), with the same cap',
    async (path) => {
      handled.length = 0;
      const payload = ticket('pre-read');
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': 'msg_pre',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(WEBHOOK_SECRET).sign('msg_pre', now, payload),
      };
      expect((await fetch(`${app.url}${path}`, { method: 'POST', body: payload, headers })).status).toBe(204);
      expect(handled).toMatchObject([{ id: 'msg_pre', event: { properties: { ticket_id: 'pre-read' } } }]);
      const big = JSON.stringify({ pad: 'x'.repeat(5000) });
      expect(
        (
          await fetch(`${app.url}${path}`, {
            method: 'POST',
            body: big,
            headers: { ...headers, 'webhook-signature': new Webhook(WEBHOOK_SECRET).sign('msg_pre', now, big) },
          })
        ).status,
      ).toBe(413);
    },
  );

  it('says what to fix when the body was read past Hono (c.req.raw.text())', async () => {
    const response = await fetch(`${app.url}/read-raw`, {
      method: 'POST',
      body: ticket('x'),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: 'ConfigurationError',
      message: expect.stringMatching(/read c\.req\.raw directly/),
    });
  });

  it("lets the handler's error become a 500 (PostHog retries)", async () => {
    expect((await deliver(ticket('fail'))).status).toBe(500);
  });

  it('checks its options when created, with a function secret too', () => {
    expect(() => posthogWebhook({ secret: WEBHOOK_SECRET, onDelivery: () => {}, tolerance: 5 } as never)).toThrow(
      /unknown option `tolerance`/,
    );
    expect(() => posthogWebhook({ secret: () => WEBHOOK_SECRET, onDelivery: 'no' } as never)).toThrow(/onDelivery must be a function/);
    expect(() => posthogWebhook({ secret: 'not-a-whsec', onDelivery: () => {} })).toThrow(ConfigurationError);
  });
});
