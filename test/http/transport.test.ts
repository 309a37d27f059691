// Faults the real server can have (slowness, resets, throttles, 5xx, bad JSON), made by the emulator.
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  ConnectionError,
  InvalidResponseError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  createClient,
} from '../../src/index.js';
import { SDK_VERSION } from '../../src/basics/version.js';
import { startEmulator } from '../../src/testing/index.js';
import { D, rejection, sender, session, useEmulator } from '../contract/setup.js';
import { freePort } from '../examples/run-example.js';

const env = useEmulator();
const TICKETS = '/api/conversations/v1/widget/tickets';
const MESSAGE = '/api/conversations/v1/widget/message';
const fast = { initialDelayMs: 10, maxDelayMs: 50, maxRetries: 3 };
const countOf = (method: string, path: string) => env.emulator.requests.filter((r) => r.method === method && r.path === path).length;

describe('timeouts and aborts', () => {
  it('a slow answer ends in a TimeoutError long before the server would answer', async () => {
    env.emulator.faults.add({ kind: 'delay', path: TICKETS, ms: 5000 });
    const started = performance.now();
    const error = await rejection(env.client({ timeoutMs: 100 }).widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      code: 'ERR_TIMEOUT',
      message: expect.stringContaining(`GET ${TICKETS} got no answer within 100 ms (timeoutMs)`),
    });
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('retries an idempotent call that timed out, inside the deadline', async () => {
    env.emulator.faults.add({ kind: 'delay', path: TICKETS, ms: 3000 });
    const page = await env.client({ timeoutMs: 200, retry: fast }).widget.listTickets({ widgetSessionId: session() });
    expect(page.count).toBe(0);
    expect(countOf('GET', TICKETS)).toBe(2);
  });

  it("the caller's AbortSignal stops a call in flight and a retry wait", async () => {
    env.emulator.faults.add({ kind: 'delay', path: TICKETS, ms: 5000 });
    const inFlight = new AbortController();
    setTimeout(() => inFlight.abort(), 50);
    expect(await rejection(env.client().widget.listTickets({ widgetSessionId: session() }, { signal: inFlight.signal }))).toBeInstanceOf(
      AbortedError,
    );

    env.emulator.faults.clear();
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 503, headers: { 'retry-after': '20' } });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 100);
    const started = performance.now();
    const error = await rejection(env.client({ retry: {} }).widget.listTickets({ widgetSessionId: session() }, { signal: waiting.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('retries', () => {
  it('honours Retry-After on a 503 for a GET', async () => {
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 503, headers: { 'retry-after': '1' }, body: { detail: 'busy' } });
    const started = performance.now();
    await expect(env.client({ retry: fast }).widget.listTickets({ widgetSessionId: session() })).resolves.toMatchObject({ count: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(countOf('GET', TICKETS)).toBe(2);
  });

  it("reads the wait from PostHog's throttle message when there is no header, and retries even a POST (throttles run before the view)", async () => {
    const detail = 'Request was throttled. Expected available in 1 seconds.';
    env.emulator.faults.add({
      kind: 'status',
      path: MESSAGE,
      status: 429,
      body: { type: 'throttled_error', code: 'throttled', detail, attr: null },
    });
    const started = performance.now();
    await env.client({ retry: fast }).widget.sendMessage({ message: 'hi', widgetSessionId: session(), distinctId: 'u' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(env.emulator.state.messages).toHaveLength(1);
  });

  it('gives up at once with retryAfter when the wait would pass the deadline', async () => {
    env.emulator.faults.add({
      kind: 'status',
      path: TICKETS,
      status: 429,
      body: { detail: 'Request was throttled. Expected available in 120 seconds.' },
    });
    const error = await rejection(env.client({ retry: fast, deadlineMs: 5000 }).widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfter).toBe(120);
    expect(countOf('GET', TICKETS)).toBe(1);
  });

  it('retries 502/504 and connection resets for GETs, then reports the last failure', async () => {
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 502 });
    env.emulator.faults.add({ kind: 'reset', path: TICKETS });
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 504 });
    await expect(env.client({ retry: fast }).widget.listTickets({ widgetSessionId: session() })).resolves.toMatchObject({ count: 0 });
    expect(countOf('GET', TICKETS)).toBe(4);
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 500, body: { detail: 'boom' }, times: 10 });
    const error = await rejection(env.client({ retry: fast }).widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, body: { detail: 'boom' } });
  });

  it('never sends a message twice: a reset after the server acted, or a 503, is not retried', async () => {
    const client = env.client({ retry: fast });
    env.emulator.faults.add({ kind: 'reset', path: MESSAGE, afterHandling: true });
    expect(await rejection(client.widget.sendMessage({ message: 'once', widgetSessionId: session(), distinctId: 'u' }))).toBeInstanceOf(
      ConnectionError,
    );
    env.emulator.faults.add({ kind: 'status', path: MESSAGE, status: 503 });
    expect(await rejection(client.widget.sendMessage({ message: 'twice?', widgetSessionId: session(), distinctId: 'u' }))).toBeInstanceOf(
      ServerError,
    );
    expect(countOf('POST', MESSAGE)).toBe(2);
    expect(env.emulator.state.messages.map((m) => m.content)).toEqual(['once']);
  });

  it('retries a POST whose connection was refused (it provably never reached the server)', async () => {
    const port = await freePort();
    const client = createClient({
      host: `http://127.0.0.1:${port}`,
      publicToken: D.publicToken,
      retry: { maxRetries: 10, initialDelayMs: 50, maxDelayMs: 100 },
      deadlineMs: 10_000,
    });
    const late = new Promise<Awaited<ReturnType<typeof startEmulator>>>((resolve) =>
      setTimeout(() => resolve(startEmulator({ port, throttles: false })), 150),
    );
    try {
      const sent = await client.widget.sendMessage({ message: 'after refusal', widgetSessionId: session(), distinctId: 'u' });
      expect(sent.ticket_status).toBe('new');
      expect((await late).state.messages).toHaveLength(1);
    } finally {
      await client.close();
      await (await late).close();
    }
  });

  it('turns a malformed 200 into an InvalidResponseError', async () => {
    env.emulator.faults.add({ kind: 'malformed', path: MESSAGE });
    const error = await rejection(env.client().widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: 'u' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200 });
  });

  it('turns a 200 of the wrong shape into an InvalidResponseError naming the field', async () => {
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 200, body: { count: 'many', results: [] } });
    const error = await rejection(env.client().widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/count/);
  });

  it('keeps unknown fields and unknown enum values from a newer server', async () => {
    const ticket = {
      id: session(),
      ticket_number: 1,
      status: 'escalated',
      unread_count: 0,
      last_message: null,
      last_message_at: null,
      message_count: 0,
      created_at: 'x',
      sla_tier: 'gold',
    };
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 200, body: { count: 1, results: [ticket], cursor: 'abc' } });
    const page = await env.client().widget.listTickets({ widgetSessionId: session() });
    expect(page).toEqual({ count: 1, results: [ticket], cursor: 'abc' });
  });
});

describe('connections', () => {
  // On undici the client owns its pool; on fetch the connections are the runtime's (the client holds none).
  it(
    sender.name === 'undici'
      ? 'keeps connections alive between calls and leaves none open after close()'
      : "on fetch, reuses the runtime's connections between calls, and close() leaves them to it",
    async () => {
      // Earlier tests' sockets have gone (on fetch they idle in the runtime's pool, which these calls reuse).
      const before = sender.name === 'undici' ? await connectionsSettleAt(0) : await env.emulator.openConnections();
      if (sender.name === 'undici') expect(before).toBe(0);
      const client = env.client();
      for (let i = 0; i < 20; i++) await client.widget.listTickets({ widgetSessionId: session() });
      // Sequential calls reuse sockets (undici may open a second while the first is being released).
      expect(await env.emulator.openConnections()).toBeLessThanOrEqual(before + 2);
      await client.close();
      if (sender.name === 'undici') expect(await connectionsSettleAt(0)).toBe(0);
      else expect(await env.emulator.openConnections()).toBeGreaterThan(0);
      await expect(client.close()).resolves.toBeUndefined(); // a second close is harmless
    },
  );

  it('uses an injected dispatcher and leaves it open for its owner', async () => {
    const agent = new Agent();
    const client = env.client({ dispatcher: agent });
    await client.widget.listTickets({ widgetSessionId: session() });
    await client.close();
    expect(agent.closed).toBe(false);
    await env.client({ dispatcher: agent }).widget.listTickets({ widgetSessionId: session() });
    await agent.close();
  });

  it('names this SDK and its version in the User-Agent', async () => {
    await env.client().widget.listTickets({ widgetSessionId: session() });
    expect(env.emulator.requests[0]!.userAgent).toBe(`posthog-conversations/${SDK_VERSION} (node ${process.version})`);
  });
});

/** The open connection count once it reaches `target`, or whatever it is after a second. */
async function connectionsSettleAt(target: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const count = await env.emulator.openConnections();
    if (count === target) return count;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return env.emulator.openConnections();
}
