// The Express adapter inside real Express 4 and 5 apps, on a real port.
import express4 from 'express4';
import express5 from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { serve, serveDuringSuite, serveDuringTest } from '../helpers/servers.js';
import { posthogIdentity, type PostHogIdentityOptions } from '../../adapters/express/index.js';
import { computeIdentityHash } from '../../src/index.js';

const SECRET = 'phs_express_test_secret';
// The app's own auth: a session id cookie mapped to a user, as a session store would.
const sessions = new Map<string, string | number | object>([
  ['ada', 'user_ada'],
  ['num', 42],
  ['empty', ''],
  ['weird', { id: 1 }],
]);
// What the middleware reported through onError (data it could not sign as given).
const reported: Error[] = [];
const sessionUser = (req: Request) => sessions.get(/sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');

function buildApp(express: () => Express, options: Partial<PostHogIdentityOptions> = {}) {
  const app = express();
  const posthog = posthogIdentity({
    secret: SECRET,
    getDistinctId: (req) => sessionUser(req) as string,
    onError: (error) => reported.push(error),
    ...options,
  });
  app.use((_req, res, next) => {
    res.locals.cspNonce = 'n0nce';
    next();
  });
  app.use(posthog);
  app.get('/page', (req, res) => {
    res.send(
      `<html><head>${posthog.initScript(res, { projectApiKey: 'phc_test' })}</head><body>${req.posthogIdentity ? 'in' : 'out'}</body></html>`,
    );
  });
  // A deployment whose environment lacks the project key: the page must still render for visitors.
  const unsetPage = { projectApiKey: process.env.POSTHOG_PROJECT_API_KEY_THAT_IS_NOT_SET as string };
  app.get('/page-without-key', (req, res) => {
    res.send(`<html><head>${posthog.initScript(res, unsetPage)}</head><body>${req.posthogIdentity ? 'in' : 'out'}</body></html>`);
  });
  app.get('/page-with-secret', (_req, res) => res.send(`<head>${posthog.initScript(res, { projectApiKey: SECRET })}</head>`));
  app.get('/explicit-nonce', (_req, res) => {
    res.send(posthog.initScript(res, { projectApiKey: 'phc_test', nonce: 'expl1c1t' }));
  });
  app.get('/api/posthog-identity', posthog.route);
  app.post('/login', async (req, res, next) => {
    try {
      sessions.set('fresh', 'user_fresh');
      req.headers.cookie = 'sid=fresh'; // what a session library does once the password checks out
      res.json(await posthog.withIdentity(req, { ok: true }));
    } catch (error) {
      next(error);
    }
  });
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.name, message: error.message });
  });
  return app;
}

const get = (url: string, sid?: string) => fetch(url, { headers: sid ? { cookie: `sid=${sid}` } : {} });

describe.each([
  ['Express 4', express4 as unknown as () => Express],
  ['Express 5', express5 as unknown as () => Express],
])('%s', (_, express) => {
  const app = serveDuringSuite(() => serve(buildApp(express)));

  it('injects the signed identity into the page for a logged-in user, with the CSP nonce', async () => {
    const html = await (await get(`${app.url}/page`, 'ada')).text();
    const hash = computeIdentityHash('user_ada', SECRET);
    expect(html).toContain(
      `<script nonce="n0nce">posthog.init("phc_test",{"api_host":"https://us.i.posthog.com","identity_distinct_id":"user_ada","identity_hash":"${hash}"})</script>`,
    );
    expect(html).toContain('<body>in</body>');
  });

  it('uses a nonce given to initScript over res.locals.cspNonce', async () => {
    const html = await (await get(`${app.url}/explicit-nonce`, 'ada')).text();
    expect(html).toMatch(
      /^<script nonce="expl1c1t">posthog\.init\("phc_test",\{"api_host":"https:\/\/us\.i\.posthog\.com","identity_distinct_id":"user_ada"/,
    );
  });

  it('injects no identity for a visitor', async () => {
    const html = await (await get(`${app.url}/page`)).text();
    expect(html).not.toContain('identity_');
    expect(html).toContain('<body>out</body>');
  });

  it('the SPA endpoint answers 200 with the identity, never cached', async () => {
    const response = await get(`${app.url}/api/posthog-identity`, 'ada');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ identity_distinct_id: 'user_ada', identity_hash: computeIdentityHash('user_ada', SECRET) });
  });

  it('answers 401 to a visitor, whatever id the request claims', async () => {
    for (const path of ['/api/posthog-identity', '/api/posthog-identity?distinct_id=user_ada&identity_distinct_id=user_ada']) {
      const response = await fetch(`${app.url}${path}`, { headers: { 'x-distinct-id': 'user_ada', cookie: 'sid=nobody' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'Not logged in' });
    }
  });

  it('adds the identity of the user who just logged in to the login answer', async () => {
    const response = await fetch(`${app.url}/login`, { method: 'POST' });
    expect(await response.json()).toEqual({
      ok: true,
      posthogIdentity: { identity_distinct_id: 'user_fresh', identity_hash: computeIdentityHash('user_fresh', SECRET) },
    });
  });

  it('signs a resolver number as its decimal string and treats an empty string as a visitor', async () => {
    expect(await (await get(`${app.url}/api/posthog-identity`, 'num')).json()).toMatchObject({
      identity_distinct_id: '42',
      identity_hash: computeIdentityHash('42', SECRET),
    });
    expect((await get(`${app.url}/api/posthog-identity`, 'empty')).status).toBe(401);
  });

  it('renders the page as for a visitor when the session holds an id it cannot sign, and reports it', async () => {
    reported.length = 0;
    const weird = await get(`${app.url}/page`, 'weird');
    expect(weird.status).toBe(200);
    expect(await weird.text()).toContain('<body>out</body>');
    expect(reported.map((e) => e.message)).toEqual([
      expect.stringMatching(/getDistinctId must return a string.*rendered as for a visitor/),
    ]);
  });

  it('renders pages without the widget, never a 500, when projectApiKey is unset or a secret, and reports it once per page options', async () => {
    reported.length = 0;
    for (const sid of ['ada', undefined, 'ada']) {
      const page = await get(`${app.url}/page-without-key`, sid);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('<script');
      expect(html).toContain(sid ? '<body>in</body>' : '<body>out</body>');
    }
    expect(reported.map((e) => [e.name, e.message])).toEqual([
      ['ConfigurationError', expect.stringMatching(/projectApiKey must be the public project API key.*rendered without the widget/)],
    ]);
    const leaked = await get(`${app.url}/page-with-secret`, 'ada');
    expect(leaked.status).toBe(200);
    expect(await leaked.text()).not.toContain(SECRET);
  });

  it('signs the identity without the email claim when the email is bad, and reports it', async () => {
    reported.length = 0;
    const { url: badEmail } = await serveDuringTest(serve(buildApp(express, { getEmail: () => 'not an email' })));
    const page = await get(`${badEmail}/page`, 'ada');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(computeIdentityHash('user_ada', SECRET));
    expect(html).not.toContain('identity_email');
    expect(reported.map((e) => e.message)).toEqual([expect.stringMatching(/email must look like an address.*without the email claim/)]);
  });

  it('passes an error the resolver throws to the error handler', async () => {
    const { url: failing } = await serveDuringTest(
      serve(
        buildApp(express, {
          getDistinctId: () => {
            throw new Error('session store down');
          },
        }),
      ),
    );
    const response = await get(`${failing}/api/posthog-identity`, 'ada');
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: 'session store down' });
  });

  it('signs an email claim when getEmail is given', async () => {
    const { url: withEmail } = await serveDuringTest(serve(buildApp(express, { getEmail: () => 'Ada@Example.com' })));
    const body = (await (await get(`${withEmail}/api/posthog-identity`, 'ada')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      identity_distinct_id: 'user_ada',
      identity_email: 'ada@example.com',
      identity_hash_email: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});

describe('options are checked when the middleware is created', () => {
  it.each([
    ['no secret or signer', { getDistinctId: (): string => 'u' }, /pass secret .* or signer/],
    ['a phc_ key', { secret: 'phc_public', getDistinctId: (): string => 'u' }, /public project API key/],
    ['no getDistinctId', { secret: SECRET }, /getDistinctId must be a function/],
    ['a bad email lifetime', { secret: SECRET, getDistinctId: (): string => 'u', emailTtlSeconds: 100_000 }, /emailTtlSeconds must be/],
    [
      'an unknown option',
      { secret: SECRET, getDistinctId: (): string => 'u', getUserId: (): string => 'u' },
      /unknown option `getUserId` in posthogIdentity options/,
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => posthogIdentity(options as PostHogIdentityOptions)).toThrow(message);
  });
});
