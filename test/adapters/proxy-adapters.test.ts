// The widget proxy inside real apps on real ports: Express (mounted with app.use, before and after
// a body parser) and Hono (routed under its prefix), PostHog played by the emulator.
import express, { type Request as ExpressRequest } from 'express';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { posthogProxy as expressProxy } from '../../adapters/express/index.js';
import { posthogProxy as fastifyProxy } from '../../adapters/fastify/index.js';
import { posthogProxy as honoProxy } from '../../adapters/hono/index.js';
import { computeIdentityHash } from '../../src/identity/index.js';
import { D, session, useEmulator } from '../contract/setup.js';
import { type Served, serve, serveDuringTest, serveFetch } from '../helpers/servers.js';

const api = useEmulator();
const MESSAGE = '/api/conversations/v1/widget/message';
const userOf = (cookie: string | undefined) => /(?:^|;\s*)sid=(\w+)/.exec(cookie ?? '')?.[1];
const identityOf = (id: string) => ({ identity_distinct_id: id, identity_hash: computeIdentityHash(id, D.secretApiToken) });

/** An Express app with the proxy at /ingest, after express.json() or before any body parser. */
function expressApp(parseJsonFirst: boolean): Promise<Served> {
  const app = express();
  if (parseJsonFirst) app.use(express.json());
  const getDistinctId = (req: ExpressRequest) => userOf(req.headers.cookie);
  app.use('/ingest', expressProxy({ secret: D.secretApiToken, host: api.emulator.url, assetsHost: api.emulator.url, getDistinctId }));
  return serve(app);
}

const APPS: Record<string, () => Promise<Served>> = {
  'Express, mounted before any body parser': () => expressApp(false),
  'Express, after express.json()': () => expressApp(true),
  ...Object.fromEntries(
    (
      [
        ['Fastify 5', fastify5],
        ['Fastify 4', fastify4],
      ] as const
    ).map(([label, make]) => [
      label,
      async (): Promise<Served> => {
        const app = (make as typeof fastify5)();
        await app.register(fastifyProxy, {
          prefix: '/ingest',
          secret: D.secretApiToken,
          host: api.emulator.url,
          assetsHost: api.emulator.url,
          getDistinctId: (request) => userOf(request.headers.cookie),
        });
        await app.listen({ host: '127.0.0.1', port: 0 });
        const { port } = app.server.address() as { port: number };
        return { url: `http://127.0.0.1:${port}`, server: app.server, close: () => app.close() };
      },
    ]),
  ),
  Hono: () => {
    const app = new Hono();
    app.all(
      '/ingest/*',
      honoProxy({
        prefix: '/ingest',
        secret: D.secretApiToken,
        host: api.emulator.url,
        assetsHost: api.emulator.url,
        getDistinctId: (c) => userOf(c.req.header('cookie')),
      }),
    );
    return serveFetch(app.fetch);
  },
};

describe.each(Object.keys(APPS))('posthogProxy in %s', (name) => {
  it("signs the logged-in user's message on the server, and refuses one from another site", async () => {
    const { url } = await serveDuringTest(APPS[name]!());
    const post = (origin: string) =>
      fetch(`${url}/ingest${MESSAGE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-conversations-token': D.publicToken, cookie: 'sid=ada', origin },
        body: JSON.stringify({ message: `from ${name}`, widget_session_id: session() }),
      });
    const sent = await post(url);
    expect(sent.status).toBe(200);
    const { ticket_id } = (await sent.json()) as { ticket_id: string };
    const adas = await api.client().widget.listTickets({ identity: identityOf('ada') });
    expect(adas.results.map((ticket) => ticket.id)).toContain(ticket_id);
    expect((await post('https://evil.example')).status).toBe(403);
  });

  it('streams posthog-js from the assets host and passes remote config through', async () => {
    const { url } = await serveDuringTest(APPS[name]!());
    const script = await fetch(`${url}/ingest/static/array.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    expect((await script.text()).length).toBeGreaterThan(1000);
    const config = await fetch(`${url}/ingest/array/${D.projectApiKey}/config`);
    expect(await config.json()).toHaveProperty('conversations');
  });
});

describe('posthogProxy on Hono with the secret read per request (a Worker keeps it in c.env)', () => {
  type WorkerEnv = { Bindings: { POSTHOG_SECRET_API_TOKEN?: string } };
  const reported: Error[] = [];
  // Built in each test: the emulator's URL is known once it runs.
  const workerApp = () => {
    const app = new Hono<WorkerEnv>();
    app.all(
      '/ingest/*',
      honoProxy<WorkerEnv>({
        prefix: '/ingest',
        secret: (c) => c.env.POSTHOG_SECRET_API_TOKEN,
        host: api.emulator.url,
        getDistinctId: (c) => userOf(c.req.header('cookie')),
        onError: (error) => reported.push(error),
      }),
    );
    return app;
  };
  const post = (url: string) =>
    fetch(`${url}/ingest${MESSAGE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-conversations-token': D.publicToken, cookie: 'sid=grace', origin: url },
      body: JSON.stringify({ message: 'hi', widget_session_id: session(), distinct_id: 'anon_2' }),
    });

  it("signs with the env's secret", async () => {
    const { url } = await serveDuringTest(
      serveFetch((request) => workerApp().fetch(request, { POSTHOG_SECRET_API_TOKEN: D.secretApiToken })),
    );
    expect((await post(url)).status).toBe(200);
    expect((await api.client().widget.listTickets({ identity: identityOf('grace') })).count).toBe(1);
  });

  it('sends the call anonymous when the env has no secret, and reports it once, never failing the visitor', async () => {
    const app = workerApp();
    const { url } = await serveDuringTest(serveFetch((request) => app.fetch(request, {})));
    expect((await post(url)).status).toBe(200);
    expect((await post(url)).status).toBe(200);
    expect((await api.client().widget.listTickets({ identity: identityOf('grace') })).count).toBe(0);
    expect(reported.map((error) => error.message)).toEqual([expect.stringMatching(/pass secret.*rendered without an identity/)]);
  });
});

describe('posthogProxy options', () => {
  it('Express refuses a prefix, saying the mount path is it; both check their options at creation', () => {
    expect(() => expressProxy({ prefix: '/ingest', secret: 's', getDistinctId: () => undefined } as never)).toThrow(
      /takes no prefix: mount it with app.use/,
    );
    expect(() => expressProxy({ secret: D.secretApiToken, getDistinctId: () => undefined, hots: 'x' } as never)).toThrow(/hots.*host/);
    expect(() => honoProxy({ secret: D.secretApiToken, getDistinctId: () => undefined, timeoutMs: 0 })).toThrow(
      /timeoutMs must be a whole number/,
    );
  });
});
