// The client's promises at its edges: strict options and inputs, safe header values and hosts,
// per-call options, one deadline over the whole call, a byte cap, masked echoes, complete paging.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serve as serveListener, serveDuringTest } from '../helpers/servers.js';
import {
  ApiError,
  BadRequestError,
  ConfigurationError,
  InvalidResponseError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
  createClient,
  identityFor,
} from '../../src/index.js';
import { D, rejection, session, useEmulator } from '../contract/setup.js';
import { thrown } from '../fixtures.js';

const env = useEmulator();
const TICKETS = '/api/conversations/v1/widget/tickets';
const SECRET = 'phs_ZZZ_hardening_secret_never_printed';
const PERSONAL = 'phx_YYY_hardening_personal_never_printed';

describe('strict options and inputs', () => {
  it.each([
    [{ publicTokne: 'x' }, 'publicTokne', 'publicToken'],
    [{ secretApiKey: SECRET }, 'secretApiKey', 'secretApiToken'],
    [{ timeout: 5 }, 'timeout', 'timeoutMs'],
    [{ retry: { maxRetry: 1 } }, 'maxRetry', 'maxRetries'],
  ])('createClient(%j) is a ConfigurationError naming the key and the nearest one', (options, key, nearest) => {
    const error = thrown(() => createClient(options as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(`unknown option \`${key}\``);
    expect(error.message).toContain(`did you mean \`${nearest}\`?`);
    expect(error.message).not.toContain('ZZZ');
  });

  it('says where retry.deadlineMs went', () => {
    expect(() => createClient({ retry: { deadlineMs: 1000 } as never })).toThrow(/deadlineMs is now an option of its own/);
  });

  const sid = session();
  const cases: Array<[string, (c: ReturnType<typeof env.client>) => Promise<unknown>, string, string]> = [
    ['tickets.list({ stauts })', (c) => c.tickets.list({ stauts: 'open' } as never), 'stauts', 'status'],
    ['tickets.iterate({ offset })', (c) => c.tickets.iterate({ offset: 10 } as never).next(), 'offset', ''],
    ['tickets.update({ snoozeUntil })', (c) => c.tickets.update(1, { snoozeUntil: null } as never), 'snoozeUntil', 'snoozedUntil'],
    [
      'widget.listTickets({ widgetSessionID })',
      (c) => c.widget.listTickets({ widgetSessionID: sid } as never),
      'widgetSessionID',
      'widgetSessionId',
    ],
    [
      'widget.sendMessage({ ticket_id })',
      (c) => c.widget.sendMessage({ widgetSessionId: sid, distinctId: 'u', message: 'x', ticket_id: sid } as never),
      'ticket_id',
      'ticketId',
    ],
    [
      'an identity with a misspelt claim field',
      (c) => c.widget.listTickets({ identity: { ...identityFor('u', { secret: D.secretApiToken }), identity_hash_emial: 'x' } as never }),
      'identity.identity_hash_emial',
      'identity_hash_email',
    ],
    [
      'external.updateTicket({ sla: { units } })',
      (c) => c.external.updateTicket(session(), { sla: { amount: 1, units: 'hour' } } as never),
      'sla.units',
      'unit',
    ],
    [
      'settings.update({ settings: { widget_colour } })',
      (c) => c.settings.update({ settings: { widget_colour: '#000' } } as never),
      'settings.widget_colour',
      'widget_color',
    ],
    ['request options { timeout }', (c) => c.widget.listTickets({ widgetSessionId: sid }, { timeout: 5 } as never), 'timeout', 'timeoutMs'],
    [
      'request options { retry: { retries } }',
      (c) => c.widget.listTickets({ widgetSessionId: sid }, { retry: { retries: 1 } } as never),
      'retries',
      'maxRetries',
    ],
  ];

  it.each(cases)('%s is a ValidationError naming the key, before any request', async (_, call, field, nearest) => {
    const error = await rejection(call(env.client()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`unknown option \`${field.split('.').at(-1)}\``);
    if (nearest !== '') expect(error.message).toContain(`did you mean \`${nearest}\`?`);
    expect(env.emulator.requests).toEqual([]);
  });

  it.each([
    ['a zero timeoutMs', { timeoutMs: 0 }, /timeoutMs must be a positive number/],
    ['a string deadlineMs', { deadlineMs: '5s' }, /deadlineMs must be a positive number/],
    ['a signal that is not an AbortSignal', { signal: {} }, /signal must be an AbortSignal/],
    ['11 retries', { retry: { maxRetries: 11 } }, /maxRetries must be a whole number from 0 to 10/],
  ])('per-call %s is a ValidationError before any request', async (_, options, message) => {
    const error = await rejection(env.client().widget.listTickets({ widgetSessionId: session() }, options as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(message);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('header values and hosts', () => {
  it.each([
    ['publicToken', { publicToken: 'token\r\nX-Injected: 1' }],
    ['publicToken', { publicToken: 'token\nnext' }],
    ['personalApiKey', { personalApiKey: 'phx_YYY\0rest' }],
    ['secretApiToken', { secretApiToken: 'phs_ZZZ\r\nX-Injected: 1' }],
    ['origin', { origin: 'https://app.example.com\r\n' }],
    ['userAgent', { userAgent: 'my-app\nX-Injected: 1' }],
  ])('refuses a %s with CR, LF or NUL, without echoing it', (name, options) => {
    const error = thrown(() => createClient(options));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(name);
    expect(error.message).not.toMatch(/ZZZ|YYY|Injected|token/);
  });

  it.each([
    ['credentials', 'https://user:hunter2@us.i.posthog.com', /must not contain a user name or password/],
    ['a query string', 'https://us.i.posthog.com/?token=hunter2', /must not contain a query string/],
    ['a fragment', 'https://us.i.posthog.com/#hunter2', /must not contain a query string or fragment/],
    ['a space', 'https://us.i.posthog.com /x', /http\(s\) URL/],
  ])('refuses a host with %s, without echoing it', (_, host, message) => {
    const error = thrown(() => createClient({ host }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('hunter2');
  });

  it('keeps a reverse-proxy path in the host', () => {
    expect(createClient({ host: 'https://example.com/ingest/' }).host).toBe('https://example.com/ingest');
  });
});

describe('what a server echoes back is masked', () => {
  it('in the message, body and headers of an API error', async () => {
    const echo = `token ${SECRET} and Bearer ${PERSONAL} and ${D.publicToken}`;
    env.emulator.faults.add({
      kind: 'status',
      path: TICKETS,
      status: 400,
      body: { type: 'validation_error', detail: echo, attr: { [SECRET]: PERSONAL } },
      headers: { 'x-echo': echo, 'x-request-id': 'req-1' },
    });
    const client = env.client({ secretApiToken: SECRET, personalApiKey: PERSONAL });
    const error = await rejection(client.widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(BadRequestError);
    const everything = [
      error.message,
      String(error),
      error.stack,
      inspect(error, { depth: Infinity }),
      JSON.stringify(error),
      JSON.stringify(error.body),
      JSON.stringify(error.headers),
    ].join('\n');
    expect(everything).not.toMatch(/ZZZ|YYY/);
    expect(everything).not.toContain(D.publicToken);
    expect(error.message).toContain('answered 400: token *** and Bearer *** and ***');
    expect((error as unknown as ApiError).requestId).toBe('req-1');
  });

  it('in the body of an invalid 2xx answer', async () => {
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 200, body: { count: 'many', leaked: SECRET } });
    const error = await rejection(env.client({ secretApiToken: SECRET }).widget.listTickets({ widgetSessionId: session() }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(JSON.stringify(error.body) + inspect(error, { depth: Infinity })).not.toContain('ZZZ');
  });
});

describe('per-call options override the client', () => {
  it('timeoutMs and retry: false for one call', async () => {
    env.emulator.faults.add({ kind: 'delay', path: TICKETS, ms: 3000 });
    const client = env.client({ timeoutMs: 10_000, retry: { maxRetries: 3, initialDelayMs: 10 } });
    const started = performance.now();
    const error = await rejection(client.widget.listTickets({ widgetSessionId: session() }, { timeoutMs: 150, retry: false }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(2500);
    expect(env.emulator.requests.filter((r) => r.path === TICKETS)).toHaveLength(1);
  });

  it('a retry policy for one call', async () => {
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 503 });
    const page = await env.client().widget.listTickets({ widgetSessionId: session() }, { retry: { maxRetries: 1, initialDelayMs: 10 } });
    expect(page.count).toBe(0);
    expect(env.emulator.requests.filter((r) => r.path === TICKETS)).toHaveLength(2);
  });
});

describe('every call is bounded', () => {
  /** A server for this test that sends headers, then whatever `write` does with the response. */
  async function serve(write: (res: import('node:http').ServerResponse) => void): Promise<string> {
    return (await serveDuringTest(serveListener((_req, res) => write(res)))).url;
  }

  /** One widget call with these bounds, and how long it took to fail. */
  async function timedListTickets(host: string, bounds: { timeoutMs: number; deadlineMs: number }) {
    const client = createClient({ host, publicToken: 'pub', ...bounds, retry: false });
    const started = performance.now();
    const error = await rejection(client.widget.listTickets({ widgetSessionId: session() }));
    const elapsed = performance.now() - started;
    await client.close();
    return { error, elapsed };
  }

  it.each([
    ['chunked', {}],
    ['with a declared length', { 'content-length': '1000' }],
  ])('deadlineMs ends a call whose body trickles in one byte at a time (%s)', async (_, lengthHeader) => {
    const host = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...lengthHeader });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    });
    const { error, elapsed } = await timedListTickets(host, { timeoutMs: 1000, deadlineMs: 600 });
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('did not complete within 600 ms (deadlineMs)');
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(3000);
  });

  it('deadlineMs ends a call whose server never answers, though timeoutMs is longer (undici alone fires late)', async () => {
    const host = await serve(() => {}); // accepts, never sends headers
    const { error, elapsed } = await timedListTickets(host, { timeoutMs: 5000, deadlineMs: 600 });
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('did not complete within 600 ms (deadlineMs)');
    expect(elapsed).toBeLessThan(3000); // not timeoutMs's 5 s
  });

  it('a declared body over maxResponseBytes fails at once, without reading it', async () => {
    const host = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
      res.write('{"count":');
    });
    const client = createClient({ host, publicToken: 'pub', maxResponseBytes: 1024 * 1024, retry: false });
    const error = await rejection(client.widget.listTickets({ widgetSessionId: session() }));
    await client.close();
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', limit: 1024 * 1024 });
  });

  it('a chunked body that grows past maxResponseBytes is cut off when it passes the cap', async () => {
    let written = 0;
    const host = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const timer = setInterval(() => {
        written += chunk.length;
        res.write(chunk);
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
    const client = createClient({ host, publicToken: 'pub', maxResponseBytes: 256 * 1024, retry: false });
    const error = await rejection(client.widget.listTickets({ widgetSessionId: session() }));
    await client.close();
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it.each([0, 1023, 1.5, '1mb'])('refuses maxResponseBytes %j', (maxResponseBytes) => {
    expect(() => createClient({ maxResponseBytes: maxResponseBytes as never })).toThrow(
      /maxResponseBytes must be a whole number of bytes, at least 1024/,
    );
  });
});

describe('paging loses nothing and never loops', () => {
  it('iterateMessages returns every message when timestamps are shared across page boundaries', async () => {
    const sid = session();
    const ticket = env.emulator.addTicket({ widget_session_id: sid });
    const base = Date.parse('2026-01-01T00:00:00Z');
    // 600 messages, three per timestamp: with 50 per page, most boundaries split a timestamp.
    for (let i = 0; i < 600; i++)
      env.emulator.addMessage(ticket, { content: `m${i}`, created_at: new Date(base + Math.floor(i / 3) * 1000) });
    const seen: (string | null)[] = [];
    for await (const message of env.client().widget.iterateMessages(ticket.id, { widgetSessionId: sid, limit: 50 }))
      seen.push(message.content);
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(seen.slice(0, 3)).toEqual(['m0', 'm1', 'm2']);
  });

  it('iterateMessages stops with an error when a full page shares one timestamp, instead of asking forever', async () => {
    const sid = session();
    const ticket = env.emulator.addTicket({ widget_session_id: sid });
    const at = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < 30; i++) env.emulator.addMessage(ticket, { content: `m${i}`, created_at: at });
    const seen: (string | null)[] = [];
    const iterate = async () => {
      for await (const message of env.client().widget.iterateMessages(ticket.id, { widgetSessionId: sid, limit: 10 }))
        seen.push(message.content);
    };
    await expect(iterate()).rejects.toThrow(/shares the timestamp .*raise limit/);
    expect(seen).toHaveLength(10);
  });

  it('a server that ignores the offset makes iterateTickets fail after two stalled pages, not loop', async () => {
    const ticket = {
      id: session(),
      ticket_number: 1,
      status: 'new',
      unread_count: 0,
      last_message: null,
      last_message_at: null,
      message_count: 0,
      created_at: 'x',
    };
    env.emulator.faults.add({ kind: 'status', path: TICKETS, status: 200, body: { count: 1_000_000, results: [ticket] }, times: Infinity });
    const seen: (string | null)[] = [];
    const iterate = async () => {
      for await (const t of env.client().widget.iterateTickets({ widgetSessionId: session() })) seen.push(t.id);
    };
    const error = await rejection(iterate());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/two pages in a row of items already seen/);
    expect(seen).toEqual([ticket.id]);
    expect(env.emulator.requests.filter((r) => r.path === TICKETS)).toHaveLength(3);
  });

  it.each([undefined, '-updated_at'] as const)(
    'tickets.iterate (orderBy %s) yields every ticket once while tickets are updated under it',
    async (orderBy) => {
      const base = Date.now() - 3_600_000;
      const tickets = Array.from({ length: 10 }, (_, i) =>
        env.emulator.addTicket({ distinct_id: `n${i}`, updated_at: new Date(base + i * 1000) }),
      );
      const client = env.client();
      const seen: string[] = [];
      for await (const t of client.tickets.iterate({ limit: 3, ...(orderBy ? { orderBy } : {}) })) {
        seen.push(t.id);
        // After each page, a ticket not yet read is updated: by updated_at it jumps to the top.
        if (seen.length % 3 === 0) {
          const unseen =
            tickets.find((ticket) => !seen.includes(ticket.id) && ticket.ticket_number % 2 === 1) ??
            tickets.find((ticket) => !seen.includes(ticket.id));
          if (unseen) await client.tickets.update(unseen.id, { priority: 'high' });
        }
      }
      expect([...seen].sort()).toEqual(tickets.map((t) => t.id).sort());
    },
  );

  it('tickets.iterate skips a ticket pushed onto the next page by a new one', async () => {
    for (let i = 0; i < 5; i++) env.emulator.addTicket({ distinct_id: `d${i}` });
    const client = env.client();
    const seen: (string | null)[] = [];
    for await (const t of client.tickets.iterate({ limit: 2 })) {
      seen.push(t.id);
      if (seen.length === 2) env.emulator.addTicket({ distinct_id: 'late' }); // shifts every later page by one
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(5);
  });
});

describe('error classes', () => {
  it('every API error keeps its response headers and a stable code', async () => {
    env.emulator.faults.add({
      kind: 'status',
      path: TICKETS,
      status: 404,
      body: { detail: 'Not found.' },
      headers: { 'x-request-id': 'abc' },
    });
    const error = (await rejection(env.client().widget.listTickets({ widgetSessionId: session() }))) as unknown as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'NotFoundError', code: 'ERR_NOT_FOUND', status: 404, requestId: 'abc' });
    expect(error.headers['x-request-id']).toBe('abc');
  });
});
