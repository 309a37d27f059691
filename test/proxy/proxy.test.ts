// The widget proxy's Fetch core over real HTTP: the proxy served on a port, PostHog played by the
// emulator (or, for what the emulator does not record, a server that echoes what it received).
import { describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/identity/index.js';
import { createConversationsProxy, type ConversationsProxyOptions } from '../../src/proxy/index.js';
import { D, session, useEmulator } from '../contract/setup.js';
import { serve, serveDuringTest, serveFetch } from '../helpers/servers.js';

const api = useEmulator();
const TICKETS = '/api/conversations/v1/widget/tickets';
const MESSAGE = '/api/conversations/v1/widget/message';
const hash = (id: string) => computeIdentityHash(id, D.secretApiToken);

/** The app's own auth: a `sid` cookie names the user. */
const userOf = (request: Request) => /(?:^|;\s*)sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1];

async function proxyFor(overrides: Partial<ConversationsProxyOptions> = {}) {
  const proxy = createConversationsProxy({
    secret: D.secretApiToken,
    host: api.emulator.url,
    assetsHost: api.emulator.url,
    prefix: '/ingest',
    getDistinctId: (request) => userOf(request),
    ...overrides,
  });
  const served = await serveDuringTest(serveFetch(proxy));
  const base = `${served.url}/ingest`;
  // What a page on the app's own origin sends: its Origin, and the session cookie.
  const call = (
    path: string,
    init: { method?: string; body?: unknown; sid?: string; origin?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.sid === undefined ? {} : { cookie: `sid=${init.sid}` }),
        origin: init.origin ?? served.url,
        ...init.headers,
      },
      body: init.body === undefined ? null : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  return { base, origin: served.url, call };
}

const tokenHeader = { 'x-conversations-token': D.publicToken };

describe('createConversationsProxy', () => {
  it("signs a logged-in user's widget call on the server: the page sends no hash, the ticket is the user's", async () => {
    const { call } = await proxyFor();
    const widgetSessionId = session();
    const sent = await call(MESSAGE, {
      method: 'POST',
      sid: 'ada',
      headers: tokenHeader,
      body: { message: 'hi from ada', widget_session_id: widgetSessionId },
    });
    expect(sent.status).toBe(200);
    const { ticket_id } = (await sent.json()) as { ticket_id: string };
    // Straight to PostHog (not through the proxy), as Ada with her signed identity: her ticket.
    const mine = await api.client().widget.listTickets({ identity: { identity_distinct_id: 'ada', identity_hash: hash('ada') } });
    expect(mine.results.map((ticket) => ticket.id)).toEqual([ticket_id]);
  });

  it("replaces whatever identity the page sent with the logged-in user's, in the query and the body", async () => {
    const { call } = await proxyFor();
    const forged = { identity_distinct_id: 'grace', identity_hash: hash('grace') };
    await api.client().widget.sendMessage({ identity: forged, message: "grace's own" });
    // Ada's page claims to be Grace: the proxy signs as Ada, so Grace's tickets stay Grace's.
    const query = new URLSearchParams({ widget_session_id: session(), ...forged });
    const listed = (await (await call(`${TICKETS}?${query}`, { sid: 'ada', headers: tokenHeader })).json()) as { count: number };
    expect(listed.count).toBe(0);
    const sent = await call(MESSAGE, {
      method: 'POST',
      sid: 'ada',
      headers: tokenHeader,
      body: { message: 'as ada', widget_session_id: session(), ...forged },
    });
    expect(sent.status).toBe(200);
    const graces = await api.client().widget.listTickets({ identity: forged });
    expect(graces.count).toBe(1);
  });

  it('sends a logged-out visitor anonymous, whatever the page still holds, keeping its widget_session_id', async () => {
    const { call } = await proxyFor();
    const widgetSessionId = session();
    const stale = { identity_distinct_id: 'ada', identity_hash: hash('ada') };
    const sent = await call(MESSAGE, {
      method: 'POST',
      headers: tokenHeader,
      body: { message: 'as a visitor', widget_session_id: widgetSessionId, distinct_id: 'anon_1', ...stale },
    });
    expect(sent.status).toBe(200);
    const asVisitor = await api.client().widget.listTickets({ widgetSessionId });
    expect(asVisitor.count).toBe(1);
    expect((await api.client().widget.listTickets({ identity: stale })).count).toBe(0);
  });

  it('refuses a state-changing widget call from another site, or without an Origin, or not JSON, before forwarding', async () => {
    const { call } = await proxyFor();
    const before = api.emulator.requests.length;
    const body = { message: 'csrf', widget_session_id: session() };
    const other = await call(MESSAGE, { method: 'POST', sid: 'ada', headers: tokenHeader, body, origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({
      error: 'cross-site widget call refused',
      detail: expect.stringContaining('https://evil.example'),
    });
    const form = await call(MESSAGE, {
      method: 'POST',
      sid: 'ada',
      body: 'message=hi',
      headers: { ...tokenHeader, 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
    const notObject = await call(MESSAGE, { method: 'POST', sid: 'ada', headers: tokenHeader, body: '[1]' });
    expect(notObject.status).toBe(400);
    expect(api.emulator.requests.length).toBe(before);
  });

  it("lets no other site read a user's tickets: a foreign Origin or Sec-Fetch-Site is refused even on reads, and PostHog's CORS headers are not passed on", async () => {
    const { call } = await proxyFor();
    const before = api.emulator.requests.length;
    const read = await call(`${TICKETS}?widget_session_id=${session()}`, {
      sid: 'ada',
      headers: tokenHeader,
      origin: 'https://evil.example',
    });
    expect(read.status).toBe(403);
    const preflight = await call(MESSAGE, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
      origin: 'https://evil.example',
    });
    expect(preflight.status).toBe(403);
    const noCors = await call(`${TICKETS}?widget_session_id=${session()}`, {
      sid: 'ada',
      headers: { ...tokenHeader, 'sec-fetch-site': 'cross-site' },
    });
    expect(noCors.status).toBe(403);
    expect(api.emulator.requests.length).toBe(before);
    // The app's own read: PostHog (the emulator echoes the Origin, as PostHog's CORS does) answers with CORS headers; none reach the browser.
    const own = await call(`${TICKETS}?widget_session_id=${session()}`, { sid: 'ada', headers: tokenHeader });
    expect(own.status).toBe(200);
    const cors: string[] = [];
    own.headers.forEach((_value, name) => {
      if (name.startsWith('access-control-')) cors.push(name);
    });
    expect(cors).toEqual([]);
  });

  it("takes the app's own origin from the Host header (any scheme, as behind TLS termination), or allowedOrigins", async () => {
    const { call, origin } = await proxyFor();
    const body = { message: 'behind a load balancer', widget_session_id: session() };
    const viaTls = await call(MESSAGE, {
      method: 'POST',
      sid: 'ada',
      headers: tokenHeader,
      body,
      origin: origin.replace('http:', 'https:'),
    });
    expect(viaTls.status).toBe(200);
    const listed = await proxyFor({ allowedOrigins: ['https://app.example.com'] });
    const own = await listed.call(MESSAGE, { method: 'POST', sid: 'ada', headers: tokenHeader, body, origin: 'https://app.example.com' });
    expect(own.status).toBe(200);
    const sameHostNotListed = await listed.call(MESSAGE, { method: 'POST', sid: 'ada', headers: tokenHeader, body });
    expect(sameHostNotListed.status).toBe(403);
  });

  it('forwards what posthog-js loads under api_host unchanged: remote config, and /static/* from the assets host', async () => {
    const { call } = await proxyFor();
    const config = await call(`/array/${D.projectApiKey}/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toHaveProperty('conversations');
    const script = await call('/static/array.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1000);
  });

  it("passes PostHog's own errors through in its words", async () => {
    const { call } = await proxyFor();
    const answer = await call(`${TICKETS}?widget_session_id=${session()}`, { headers: { 'x-conversations-token': 'wrong' } });
    const direct = await fetch(`${api.emulator.url}${TICKETS}?widget_session_id=${session()}`, {
      headers: { 'x-conversations-token': 'wrong' },
    });
    expect(answer.status).toBe(direct.status);
    expect(await answer.json()).toEqual(await direct.json());
  });

  it('answers 404 outside its prefix', async () => {
    const { origin } = await proxyFor();
    const answer = await fetch(`${origin}/elsewhere/static/array.js`);
    expect(answer.status).toBe(404);
  });
});

describe('what the proxy sends upstream', () => {
  /** A stand-in PostHog that answers with what it received. */
  async function echoUpstream() {
    return serveDuringTest(
      serve((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'ph=1' });
          res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
        });
      }),
    );
  }

  it("never sends the app's cookies or authorization, sends the browser's Origin, and sets no cookie on the app", async () => {
    const upstream = await echoUpstream();
    const { call, origin } = await proxyFor({ host: upstream.url, assetsHost: upstream.url });
    const answer = await call(`${TICKETS}?widget_session_id=abc`, { sid: 'ada', headers: { authorization: 'Bearer app-session-token' } });
    expect(answer.headers.get('set-cookie')).toBeNull();
    const seen = (await answer.json()) as { url: string; headers: Record<string, string> };
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.origin).toBe(origin);
    const query = new URLSearchParams(seen.url.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({ widget_session_id: 'abc', identity_distinct_id: 'ada', identity_hash: hash('ada') });
  });

  it('streams what is not a widget call through unchanged (a capture batch), and answers 413 to one over maxBodyBytes', async () => {
    const upstream = await echoUpstream();
    const { call } = await proxyFor({ host: upstream.url, maxBodyBytes: 64 * 1024 });
    const batch = JSON.stringify({ batch: [{ event: '$pageview', properties: { pad: 'x'.repeat(40_000) } }] });
    const seen = (await (await call('/e/?ip=1', { method: 'POST', body: batch, sid: 'ada' })).json()) as {
      url: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(seen.url).toBe('/e/?ip=1');
    expect(seen.body).toBe(batch);
    expect(seen.headers.cookie).toBeUndefined();
    const tooBig = await call('/e/', { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: 'request too large', detail: expect.stringContaining('maxBodyBytes') });
  });

  it('answers 502 with a clear body when PostHog cannot be reached, and 504 when it does not answer in time', async () => {
    const dead = await serve(() => undefined);
    const deadUrl = dead.url;
    await dead.close();
    const { call } = await proxyFor({ host: deadUrl });
    const unreachable = await call(`/array/${D.projectApiKey}/config`);
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({ error: 'PostHog could not be reached' });

    const silent = await serveDuringTest(serve(() => undefined));
    const slow = await proxyFor({ host: silent.url, timeoutMs: 200 });
    const started = performance.now();
    const late = await slow.call(`/array/${D.projectApiKey}/config`);
    expect(late.status).toBe(504);
    expect(await late.json()).toMatchObject({ error: 'PostHog did not answer in time' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('its options', () => {
  it('are checked at creation: an unknown key names the nearest one, a bad host or prefix says what it should be', () => {
    const base = { secret: D.secretApiToken, getDistinctId: () => undefined };
    expect(() => createConversationsProxy({ ...base, prefx: '/ingest' } as never)).toThrow(/prefx.*prefix/);
    expect(() => createConversationsProxy({ ...base, host: 'us.i.posthog.com' })).toThrow(/host must be an http\(s\) URL/);
    expect(() => createConversationsProxy({ ...base, prefix: 'ingest/' })).toThrow(/prefix must be the path/);
    expect(() => createConversationsProxy({ ...base, allowedOrigins: ['https://app.example.com/path'] })).toThrow(/must be an origin/);
    expect(() => createConversationsProxy({ getDistinctId: () => undefined } as never)).toThrow(/pass secret/);
  });
});
