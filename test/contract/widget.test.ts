// Reference §7 "Widget: authentication and sending" and "Widget: reading", through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  ValidationError,
} from '../../src/index.js';
import { startEmulator } from '../../src/testing/index.js';
import { rejection, session, useEmulator, widgetHeaders } from './setup.js';

const env = useEmulator();
const MSG = '/api/conversations/v1/widget/message';

describe('widget: authentication and sending', () => {
  it('§7.1 answers 403 without a token, with an unknown token, and for a disabled team', async () => {
    const body = { message: 'hi', widget_session_id: session(), distinct_id: 'user-123' };
    expect(await env.raw('POST', MSG, { body })).toEqual({ status: 403, body: { error: 'Authentication required' } });
    const unknown = await env.raw('POST', MSG, { body, headers: { 'x-conversations-token': 'nope' } });
    expect(unknown).toEqual({
      status: 403,
      body: {
        type: 'authentication_error',
        code: 'authentication_failed',
        detail: 'Invalid token or conversations not enabled',
        attr: null,
      },
    });
    const error = await rejection(
      env.client({ publicToken: 'nope' }).widget.sendMessage({ message: 'hi', widgetSessionId: session(), distinctId: 'user-123' }),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 403, code: 'ERR_AUTHENTICATION', path: MSG });
    env.emulator.state.teams[0]!.conversationsEnabled = false;
    expect((await env.raw('POST', MSG, { body, headers: widgetHeaders })).status).toBe(403);
  });

  it('§7.2 creates a ticket with the session and distinct id, status new, unread_team_count 1', async () => {
    const sid = session();
    const sent = await env.client().widget.sendMessage({ message: 'Hello', widgetSessionId: sid, distinctId: 'user-123' });
    expect(sent).toMatchObject({ ticket_status: 'new', unread_count: 0 });
    expect(sent.ticket_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    const ticket = env.emulator.state.tickets[0]!;
    expect(ticket).toMatchObject({
      id: sent.ticket_id,
      widget_session_id: sid,
      distinct_id: 'user-123',
      status: 'new',
      unread_team_count: 1,
      identity_verified: false,
    });
  });

  it('§7.3 channel_detail is widget_embedded when widget_enabled, else widget_api', async () => {
    const client = env.client();
    env.emulator.state.teams[0]!.settings.widget_enabled = true;
    await client.widget.sendMessage({ message: 'a', widgetSessionId: session(), distinctId: 'u' });
    env.emulator.state.teams[0]!.settings.widget_enabled = false;
    await client.widget.sendMessage({ message: 'b', widgetSessionId: session(), distinctId: 'u' });
    expect(env.emulator.state.tickets.map((t) => t.channel_detail)).toEqual(['widget_embedded', 'widget_api']);
  });

  it('§7.4 a follow-up with the ticket id stays on the ticket; a different distinct_id does not rebind it', async () => {
    const { widget } = env.client();
    const sid = session();
    const first = await widget.sendMessage({ message: 'one', widgetSessionId: sid, distinctId: 'user-123' });
    const second = await widget.sendMessage({
      message: 'two',
      widgetSessionId: sid,
      distinctId: 'someone-else',
      ticketId: first.ticket_id,
    });
    expect(second.ticket_id).toBe(first.ticket_id);
    expect(env.emulator.state.tickets[0]).toMatchObject({ distinct_id: 'user-123', unread_team_count: 2, message_count: 2 });
  });

  it('§7.5 a follow-up replaces session_id and merges session_context', async () => {
    const { widget } = env.client();
    const sid = session();
    const first = await widget.sendMessage({
      message: 'one',
      widgetSessionId: sid,
      distinctId: 'u',
      sessionId: 's1',
      sessionContext: { current_url: 'https://a.example/x' },
    });
    await widget.sendMessage({
      message: 'two',
      widgetSessionId: sid,
      distinctId: 'u',
      ticketId: first.ticket_id,
      sessionId: 's2',
      sessionContext: { replay_url: 'https://r.example' },
    });
    expect(env.emulator.state.tickets[0]).toMatchObject({
      session_id: 's2',
      session_context: { current_url: 'https://a.example/x', replay_url: 'https://r.example' },
    });
  });

  it("§7.6 another session's ticket id answers 403", async () => {
    const { widget } = env.client();
    const mine = await widget.sendMessage({ message: 'one', widgetSessionId: session(), distinctId: 'u' });
    const error = await rejection(
      widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: 'u', ticketId: mine.ticket_id }),
    );
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.body).toEqual({ error: 'Forbidden' });
  });

  it('§7.7 each invalid request is refused: by the SDK before any I/O, and by the server with 400', async () => {
    const { widget } = env.client();
    const sid = session();
    const sdkCases = [
      { message: 'x', distinctId: 'u' },
      { message: 'x', widgetSessionId: sid },
      { message: '', widgetSessionId: sid, distinctId: 'u' },
      { message: 'x', widgetSessionId: 'not-a-uuid', distinctId: 'u' },
      { message: 'x'.repeat(10_001), widgetSessionId: sid, distinctId: 'u' },
    ];
    for (const input of sdkCases) expect(await rejection(widget.sendMessage(input as never))).toBeInstanceOf(ValidationError);
    expect(env.emulator.requests).toEqual([]);
    const serverCases = [
      { message: 'x', distinct_id: 'u' },
      { message: 'x', widget_session_id: sid },
      { message: '', widget_session_id: sid, distinct_id: 'u' },
      { message: 'x', widget_session_id: 'not-a-uuid', distinct_id: 'u' },
      { message: 'x'.repeat(10_001), widget_session_id: sid, distinct_id: 'u' },
    ];
    for (const body of serverCases) {
      const answer = await env.raw('POST', MSG, { body, headers: widgetHeaders });
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.body).toMatchObject({ error: 'Invalid request data', details: expect.any(Object) });
    }
    expect(
      await env.raw('POST', MSG, { body: { message: 'x', widget_session_id: sid, distinct_id: 'u', _hp: 'bot' }, headers: widgetHeaders }),
    ).toEqual({ status: 400, body: { error: 'Invalid request' } });
    expect(env.emulator.state.tickets).toEqual([]);
  });

  it('§7.7 a 400 from the server becomes a BadRequestError with its details', async () => {
    // A whitespace-only distinct id passes the SDK's length check but the server strips and refuses it.
    const error = await rejection(env.client().widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: '   ' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.body).toEqual({ error: 'Invalid request data', details: { distinct_id: ['This field may not be blank.'] } });
    expect(error.message).toContain('answered 400: Invalid request data');
  });

  it('§7.8 traits name and email are stored', async () => {
    await env
      .client()
      .widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: 'u', traits: { name: 'Ada', email: 'ada@example.com' } });
    expect(env.emulator.state.tickets[0]!.anonymous_traits).toEqual({ name: 'Ada', email: 'ada@example.com' });
  });

  it('§7.9 a 3000+ character current_url is stored cut to 2000', async () => {
    const url = `https://example.com/${'a'.repeat(3000)}`;
    await env
      .client()
      .widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: 'u', sessionContext: { current_url: url } });
    expect(env.emulator.state.tickets[0]!.session_context.current_url).toBe(url.slice(0, 2000));
  });

  it('§7.10 sanitises traits and session_context like the server, and refuses null or non-objects', async () => {
    const traits: Record<string, unknown> = { n: 3, t: true, z: null, long: 'v'.repeat(600), ['k'.repeat(201)]: 'dropped' };
    for (let i = 0; i < 60; i++) traits[`extra${i}`] = i;
    const context: Record<string, unknown> = { n: 3, t: true, s: 's'.repeat(2500), ['k'.repeat(101)]: 'dropped' };
    for (let i = 0; i < 30; i++) context[`extra${i}`] = i;
    await env.client().widget.sendMessage({
      message: 'x',
      widgetSessionId: session(),
      distinctId: 'u',
      traits: traits as never,
      sessionContext: context as never,
    });
    const ticket = env.emulator.state.tickets[0]!;
    expect(ticket.anonymous_traits).toMatchObject({ n: '3', t: 'True', z: null, long: 'v'.repeat(500) });
    expect(Object.keys(ticket.anonymous_traits)).toHaveLength(50);
    expect(ticket.anonymous_traits['k'.repeat(201)]).toBeUndefined();
    expect(ticket.session_context).toMatchObject({ n: 3, t: true, s: 's'.repeat(2000) });
    expect(Object.keys(ticket.session_context)).toHaveLength(20);
    for (const bad of [{ traits: null }, { traits: 'x' }, { session_context: null }, { session_context: [1] }]) {
      const answer = await env.raw('POST', MSG, {
        body: { message: 'x', widget_session_id: session(), distinct_id: 'u', ...bad },
        headers: widgetHeaders,
      });
      expect(answer.status).toBe(400);
    }
  });

  it('§7.11 an exhausted poll throttle (GET tickets → 429) does not block POST message', async () => {
    const emulator = await startEmulator({ throttles: { widget_user_poll: '1/minute' } });
    try {
      const client = env.client({ host: emulator.url });
      const sid = session();
      await client.widget.listTickets({ widgetSessionId: sid });
      const error = await rejection(client.widget.listTickets({ widgetSessionId: sid }));
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ status: 429, retryAfter: expect.any(Number), body: { type: 'throttled_error', code: 'throttled' } });
      await expect(client.widget.sendMessage({ message: 'still works', widgetSessionId: sid, distinctId: 'u' })).resolves.toMatchObject({
        ticket_status: 'new',
      });
    } finally {
      await emulator.close();
    }
  });
});

describe('widget: reading', () => {
  async function ticketWithMessages() {
    const client = env.client();
    const sid = session();
    const sent = await client.widget.sendMessage({ message: 'first', widgetSessionId: sid, distinctId: 'u' });
    // A millisecond apart at least: messages sharing a timestamp cannot be paged by time.
    const firstAt = Date.now();
    while (Date.now() === firstAt) await new Promise((resolve) => setTimeout(resolve, 1));
    await client.widget.sendMessage({ message: 'second', widgetSessionId: sid, distinctId: 'u', ticketId: sent.ticket_id });
    return { client, sid, ticketId: sent.ticket_id };
  }

  it('§7.12 your own session reads both messages in order', async () => {
    const { client, sid, ticketId } = await ticketWithMessages();
    const page = await client.widget.getMessages(ticketId, { widgetSessionId: sid });
    expect(page.messages.map((m) => [m.content, m.author_type, m.author_name])).toEqual([
      ['first', 'customer', 'You'],
      ['second', 'customer', 'You'],
    ]);
    expect(page).toMatchObject({ ticket_id: ticketId, ticket_status: 'new', has_more: false });
  });

  it('§7.13 private messages are excluded and no message has an is_private key', async () => {
    const { client, sid, ticketId } = await ticketWithMessages();
    const ticket = env.emulator.state.tickets[0]!;
    env.emulator.addMessage(ticket, {
      content: 'note',
      authorType: 'support',
      isPrivate: true,
      created_by: { id: 1, first_name: 'Agent', email: 'a@x.io' },
    });
    env.emulator.addMessage(ticket, {
      content: 'string true is public',
      authorType: 'support',
      isPrivate: 'true',
      created_by: { id: 1, first_name: '', email: 'a@x.io' },
    });
    const page = await client.widget.getMessages(ticketId, { widgetSessionId: sid });
    expect(page.messages.map((m) => m.content)).toEqual(['first', 'second', 'string true is public']);
    expect(page.messages.at(-1)!.author_name).toBe('a@x.io');
    for (const m of page.messages) expect(Object.keys(m)).not.toContain('is_private');
  });

  it("§7.14 another session's ticket is 403 and a random UUID is 404", async () => {
    const { client, ticketId } = await ticketWithMessages();
    expect(await rejection(client.widget.getMessages(ticketId, { widgetSessionId: session() }))).toBeInstanceOf(PermissionError);
    const missing = await rejection(client.widget.getMessages(session(), { widgetSessionId: session() }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.body).toEqual({ error: 'Ticket not found' });
  });

  it('§7.15 lists only your session tickets, and filters by status', async () => {
    const client = env.client();
    const sid = session();
    const a = await client.widget.sendMessage({ message: 'a', widgetSessionId: sid, distinctId: 'u' });
    await client.widget.sendMessage({ message: 'b', widgetSessionId: sid, distinctId: 'u' });
    await client.widget.sendMessage({ message: 'other', widgetSessionId: session(), distinctId: 'v' });
    env.emulator.state.tickets.find((t) => t.id === a.ticket_id)!.status = 'open';
    expect((await client.widget.listTickets({ widgetSessionId: sid })).count).toBe(2);
    expect((await client.widget.listTickets({ widgetSessionId: sid, status: 'new' })).count).toBe(1);
    expect(
      (
        await env.raw('GET', '/api/conversations/v1/widget/tickets', {
          headers: widgetHeaders,
          query: { widget_session_id: sid, status: 'bogus' },
        })
      ).status,
    ).toBe(400);
  });

  it('§7.16 with 3 tickets the default page has 3; limit 2 gives count 3 with 2 results; iteration walks all', async () => {
    const client = env.client();
    const sid = session();
    for (const m of ['a', 'b', 'c']) await client.widget.sendMessage({ message: m, widgetSessionId: sid, distinctId: 'u' });
    const all = await client.widget.listTickets({ widgetSessionId: sid });
    expect(all.results.map((t) => t.last_message)).toEqual(['c', 'b', 'a']);
    const limited = await client.widget.listTickets({ widgetSessionId: sid, limit: 2 });
    expect([limited.count, limited.results.length]).toEqual([3, 2]);
    const walked: string[] = [];
    for await (const t of client.widget.iterateTickets({ widgetSessionId: sid, limit: 2 })) walked.push(t.last_message!);
    expect(walked).toEqual(['c', 'b', 'a']);
  });

  it('§7.17 mark read sets your unread count to 0; on another session it is 403 and nothing changes', async () => {
    const { client, sid, ticketId } = await ticketWithMessages();
    const ticket = env.emulator.state.tickets[0]!;
    env.emulator.addMessage(ticket, {
      content: 'reply',
      authorType: 'support',
      created_by: { id: 1, first_name: 'Agent', email: 'a@x.io' },
    });
    expect(ticket.unread_customer_count).toBe(1);
    expect(await rejection(client.widget.markRead(ticketId, { widgetSessionId: session() }))).toBeInstanceOf(PermissionError);
    expect(ticket.unread_customer_count).toBe(1);
    expect(await client.widget.markRead(ticketId, { widgetSessionId: sid })).toEqual({ success: true, unread_count: 0 });
    expect(ticket.unread_customer_count).toBe(0);
  });

  it('follows has_more with the last message time, and `after` is exclusive', async () => {
    const { client, sid, ticketId } = await ticketWithMessages();
    const ticket = env.emulator.state.tickets[0]!;
    const base = ticket.created_at.getTime();
    for (let i = 0; i < 4; i++) env.emulator.addMessage(ticket, { content: `m${i}`, created_at: new Date(base + 1000 * (i + 1)) });
    const seen: (string | null)[] = [];
    for await (const m of client.widget.iterateMessages(ticketId, { widgetSessionId: sid, limit: 2 })) seen.push(m.content);
    expect(seen).toEqual(['first', 'second', 'm0', 'm1', 'm2', 'm3']);
    const after = await client.widget.getMessages(ticketId, { widgetSessionId: sid, after: new Date(base + 2000) });
    expect(after.messages.map((m) => m.content)).toEqual(['m2', 'm3']);
  });

  it('uses a configured Origin for domain-restricted projects', async () => {
    env.emulator.state.teams[0]!.settings.widget_domains = ['https://app.example.com'];
    const input = { message: 'x', widgetSessionId: session(), distinctId: 'u' };
    const refused = await rejection(env.client().widget.sendMessage(input));
    expect(refused).toMatchObject({ status: 403, body: { error: 'Origin not allowed' } });
    await expect(env.client({ origin: 'https://app.example.com' }).widget.sendMessage(input)).resolves.toMatchObject({
      ticket_status: 'new',
    });
  });

  it('matches a hostile wildcard domain against a long origin in linear time (no frozen event loop)', async () => {
    env.emulator.state.teams[0]!.settings.widget_domains = [`https://${'*a'.repeat(40)}*b`];
    const started = performance.now();
    const refused = await rejection(
      env
        .client({ origin: `https://${'a'.repeat(60)}.example` })
        .widget.sendMessage({ message: 'x', widgetSessionId: session(), distinctId: 'u' }),
    );
    expect(refused).toMatchObject({ status: 403 });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
