// The fetch exchanger's guarantees under faults the emulator cannot make: a fetch that ignores its
// signal, a body that never ends, a gzip bomb, a fetch that fails without an answer. The contract
// suite runs over real HTTP on fetch too (the `fetch` project); these inject what no server can.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ConnectionError, ResponseTooLargeError, TimeoutError, createClient } from '../../src/index.js';
import { rejection } from '../contract/setup.js';
import { serve, serveDuringTest } from '../helpers/servers.js';

const SESSION = '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const MARGIN_MS = 1500;
const page = () => new Response('{"count":0,"results":[]}', { headers: { 'content-type': 'application/json' } });

function clientOn(
  fetch: (input: string, init: RequestInit) => Promise<Response>,
  bounds: { timeoutMs?: number; deadlineMs?: number } = {},
) {
  return createClient({ host: 'https://posthog.test', publicToken: 'public_token_value', retry: false, fetch, ...bounds });
}

describe('the fetch exchanger', () => {
  it('sends the call as undici would: method, path, headers, no redirects followed, and reads the answer', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const client = clientOn(async (url, init) => {
      seen.push({ url, init });
      return page();
    });
    expect(await client.widget.listTickets({ widgetSessionId: SESSION })).toEqual({ count: 0, results: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`https://posthog.test/api/conversations/v1/widget/tickets?widget_session_id=${SESSION}`);
    expect(seen[0]!.init).toMatchObject({ method: 'GET', redirect: 'manual', body: null });
    expect(seen[0]!.init.headers).toMatchObject({ 'x-conversations-token': 'public_token_value', accept: 'application/json' });
  });

  it('ends a call whose fetch ignores its signal and never answers, at timeoutMs', async () => {
    const started = performance.now();
    const error = await rejection(
      clientOn(() => new Promise<Response>(() => {}), { timeoutMs: 200 }).widget.listTickets({ widgetSessionId: SESSION }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('got no answer within 200 ms (timeoutMs)');
    expect(performance.now() - started).toBeLessThan(200 + MARGIN_MS);
  });

  it('ends a call whose body never ends (and ignores the abort), at the deadline, and cancels the body', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"count":0,'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const started = performance.now();
    const error = await rejection(
      clientOn(async () => new Response(endless), { timeoutMs: 100, deadlineMs: 400 }).widget.listTickets({ widgetSessionId: SESSION }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('did not complete within 400 ms (deadlineMs)');
    expect(performance.now() - started).toBeLessThan(400 + MARGIN_MS);
    expect(cancelled).toBe(true);
  });

  it('counts decoded bytes against maxResponseBytes: a gzip bomb over real HTTP stops at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces, about 64 KiB on the wire
    const { url } = await serveDuringTest(
      serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
        res.end(bomb);
      }),
    );
    const client = createClient({ host: url, publicToken: 'public_token_value', retry: false, maxResponseBytes: 1024 * 1024, fetch });
    const error = await rejection(client.widget.listTickets({ widgetSessionId: SESSION }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', limit: 1024 * 1024 });
  });

  it('retries a GET whose fetch failed without an answer, but never a POST (fetch cannot say whether it was sent)', async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls === 1) throw new TypeError('Network connection lost.');
      return page();
    };
    const retrying = { retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 } };
    const client = createClient({ host: 'https://posthog.test', publicToken: 'public_token_value', fetch: flaky, ...retrying });
    expect(await client.widget.listTickets({ widgetSessionId: SESSION })).toEqual({ count: 0, results: [] });
    expect(calls).toBe(2);

    calls = 0;
    const error = await rejection(client.widget.sendMessage({ message: 'hi', widgetSessionId: SESSION, distinctId: 'u' }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('Network connection lost.');
    expect(calls).toBe(1);
  });

  it('retries a POST whose connection was refused (Node says so: provably never sent)', async () => {
    let calls = 0;
    const refused = async (): Promise<Response> => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    };
    const client = createClient({
      host: 'https://posthog.test',
      publicToken: 'public_token_value',
      fetch: refused,
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
    });
    expect(await rejection(client.widget.sendMessage({ message: 'hi', widgetSessionId: SESSION, distinctId: 'u' }))).toBeInstanceOf(
      ConnectionError,
    );
    expect(calls).toBe(3);
  });

  it('masks a key a failing fetch echoes in its message', async () => {
    const echo = async (_url: string, init: RequestInit): Promise<Response> => {
      throw new TypeError(`refused with ${JSON.stringify(init.headers)}`);
    };
    const error = await rejection(
      createClient({
        host: 'https://posthog.test',
        personalApiKey: 'phx_secret_key_value',
        projectId: 1,
        retry: false,
        fetch: echo,
      }).tickets.list(),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('secret_key_value');
  });

  it.each([
    [{ fetch: 'not a function' }, 'fetch must be a function'],
    [{ fetch, dispatcher: { dispatch: () => true, close: async () => {}, destroy: async () => {} } }, 'pass dispatcher or fetch, not both'],
    [{ dispatcher: {} }, 'dispatcher must be an undici Dispatcher'],
  ])('refuses %o at construction', (options, message) => {
    expect(() => createClient(options as never)).toThrow(ConfigurationError);
    expect(() => createClient(options as never)).toThrow(message);
  });
});
