// Reference §7 "Admin tickets" (54-59) and "Team settings" (60-61), through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import { ConfigurationError, NotFoundError, PermissionError, ValidationError } from '../../src/index.js';
import { D, rejection, session, useEmulator } from './setup.js';

const env = useEmulator();
const agent = { id: 1, first_name: 'Agent', email: 'agent1@example.com' };

function seedTicket(overrides = {}) {
  return env.emulator.addTicket({ distinct_id: 'u', anonymous_traits: { name: 'Ada', email: 'ada@example.com' }, ...overrides });
}

describe('admin tickets', () => {
  it('§7.54 lists, retrieves by UUID or number, 404s on nonsense, and updates by number', async () => {
    const { tickets } = env.client();
    const t = seedTicket();
    expect((await tickets.list()).count).toBe(1);
    expect((await tickets.get(t.id)).id).toBe(t.id);
    expect((await tickets.get(1)).id).toBe(t.id);
    expect((await tickets.get('1')).id).toBe(t.id);
    expect(await rejection(tickets.get('invalid'))).toBeInstanceOf(ValidationError);
    expect(
      (
        await env.raw('GET', `/api/projects/${D.projectId}/conversations/tickets/invalid/`, {
          headers: { authorization: `Bearer ${D.personalApiKey}` },
        })
      ).status,
    ).toBe(404);
    expect(await rejection(tickets.get(99))).toBeInstanceOf(NotFoundError);
    expect((await tickets.update(1, { status: 'pending' })).status).toBe('pending');
  });

  it('§7.55 retrieve resets unread_team_count; status, priority and sla_due_at updates persist and are logged', async () => {
    const { tickets } = env.client();
    const t = seedTicket({ unread_team_count: 3 });
    await tickets.get(t.id);
    expect(t.unread_team_count).toBe(0);
    const updated = await tickets.update(t.id, { status: 'open', priority: 'high', slaDueAt: new Date('2026-02-01T00:00:00Z') });
    expect(updated).toMatchObject({ status: 'open', priority: 'high', sla_due_at: '2026-02-01T00:00:00+00:00' });
    expect(env.emulator.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['$conversation_ticket_status_changed', '$conversation_ticket_priority_changed']),
    );
    const snoozed = await tickets.update(t.id, { snoozedUntil: '2030-01-01T00:00:00Z' });
    expect(snoozed.status).toBe('on_hold');
    expect((await tickets.update(t.id, { snoozedUntil: null })).status).toBe('open');
  });

  it('§7.56 filters: status/priority lists ignore invalid values, search, SLA, tags, ordering, pagination', async () => {
    const { tickets } = env.client();
    const now = Date.now();
    const a = seedTicket({ status: 'open', priority: 'high', tags: ['vip', 'billing'], sla_due_at: new Date(now - 1000) });
    const b = seedTicket({
      status: 'pending',
      priority: 'low',
      tags: ['vip'],
      sla_due_at: new Date(now + 30 * 60_000),
      anonymous_traits: { name: 'Bob' },
    });
    const c = seedTicket({
      status: 'resolved',
      email_subject: 'Invoice question',
      sla_due_at: new Date(now + 5 * 3_600_000),
      anonymous_traits: {},
    });
    env.emulator.addMessage(c, { content: 'where is my refund' });
    const ids = async (input: Parameters<typeof tickets.list>[0]) => (await tickets.list(input)).results.map((t) => t.id).sort();
    const raw = async (query: Record<string, string>) =>
      (
        (
          await env.raw('GET', `/api/projects/1/conversations/tickets/`, {
            headers: { authorization: `Bearer ${D.personalApiKey}` },
            query,
          })
        ).body!.results as Array<{ id: string }>
      )
        .map((t) => t.id)
        .sort();
    expect(await ids({ status: ['open', 'pending'] })).toEqual([a.id, b.id].sort());
    expect(await raw({ status: 'open,bogus' })).toEqual([a.id]);
    expect(await raw({ status: '' })).toHaveLength(3);
    expect(await ids({ priority: 'low' })).toEqual([b.id]);
    expect(await ids({ sla: 'breached' })).toEqual([a.id]);
    expect(await ids({ sla: 'at-risk' })).toEqual([b.id]);
    expect(await ids({ sla: 'on-track' })).toEqual([c.id]);
    expect(await ids({ search: String(b.ticket_number) })).toEqual([b.id]);
    expect(await ids({ search: 'bob' })).toEqual([b.id]);
    expect(await ids({ search: 'invoice' })).toEqual([c.id]);
    expect(await ids({ search: 'REFUND' })).toEqual([c.id]);
    expect(await raw({ search: 'x'.repeat(201) })).toHaveLength(3);
    expect(await ids({ tags: ['billing'] })).toEqual([a.id]);
    expect(await ids({ tagsAll: ['vip', 'billing'] })).toEqual([a.id]);
    expect(await ids({ tagsExclude: ['vip'] })).toEqual([c.id]);
    const ordered = (await tickets.list({ orderBy: 'sla_due_at' })).results.map((t) => t.id);
    expect(ordered).toEqual([a.id, b.id, c.id]);
    const page = await tickets.list({ limit: 2 });
    expect([page.count, page.results.length, page.next !== null]).toEqual([3, 2, true]);
    const all: string[] = [];
    for await (const t of tickets.iterate({ limit: 1 })) all.push(t.id);
    expect(all.sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('§7.57 messages: ordered, private notes included, deleted excluded, exact keys, author names, paginated', async () => {
    const { tickets } = env.client();
    const t = seedTicket();
    const base = Date.now();
    env.emulator.addMessage(t, { content: 'c1', created_at: new Date(base + 1) });
    env.emulator.addMessage(t, { content: 'ai', authorType: 'AI', created_at: new Date(base + 2) });
    env.emulator.addMessage(t, {
      content: 'note',
      authorType: 'support',
      isPrivate: true,
      created_by: agent,
      created_at: new Date(base + 3),
    });
    env.emulator.addMessage(t, { content: 'other', authorType: 'support', isPrivate: 'true', created_at: new Date(base + 4) });
    const gone = env.emulator.addMessage(t, { content: 'deleted', created_at: new Date(base + 5) });
    env.emulator.state.deleteMessage(gone);
    env.emulator.addMessage(t, { content: 'c2', created_at: new Date(base + 6) });
    const page = await tickets.messages(t.id);
    expect(page.results.map((m) => [m.content, m.author_name, m.is_private])).toEqual([
      ['c1', 'Ada', false],
      ['ai', 'PostHog Assistant', false],
      ['note', 'Agent', true],
      ['other', 'Support', false],
      ['c2', 'Ada', false],
    ]);
    expect(Object.keys(page.results[0]!).sort()).toEqual([
      'author_name',
      'author_type',
      'content',
      'created_at',
      'id',
      'is_private',
      'rich_content',
    ]);
    const first = await tickets.messages(t.id, { limit: 2 });
    expect([first.count, first.results.length, first.next !== null]).toEqual([5, 2, true]);
    expect((await tickets.messages(t.id, { offset: 4 })).results.map((m) => m.content)).toEqual(['c2']);
    const anonymous = seedTicket({ anonymous_traits: {} });
    env.emulator.addMessage(anonymous, { content: 'x' });
    expect((await tickets.messages(anonymous.id)).results[0]!.author_name).toBe('Customer');
  });

  it('§7.58 reply is 201 support, public by default; private notes; blank and oversized refused; other team 404; disabled 400', async () => {
    const { tickets, widget } = env.client();
    const sid = session();
    const sent = await widget.sendMessage({ message: 'help', widgetSessionId: sid, distinctId: 'u' });
    const reply = await tickets.reply(sent.ticket_id, { message: '  On it  ' });
    expect(reply).toMatchObject({ content: 'On it', author_type: 'support', is_private: false, author_name: 'Agent 1' });
    await tickets.reply(sent.ticket_id, { message: 'internal', isPrivate: true });
    expect((await widget.getMessages(sent.ticket_id, { widgetSessionId: sid })).messages.map((m) => m.content)).toEqual(['help', 'On it']);
    expect(await rejection(tickets.reply(sent.ticket_id, { message: '   ' }))).toBeInstanceOf(ValidationError);
    const auth = { authorization: `Bearer ${D.personalApiKey}` };
    const replyPath = `/api/projects/1/conversations/tickets/${sent.ticket_id}/reply/`;
    expect((await env.raw('POST', replyPath, { headers: auth, body: {} })).status).toBe(400);
    expect(
      (await env.raw('POST', replyPath, { headers: auth, body: { message: 'x', rich_content: { blob: 'x'.repeat(100_001) } } })).status,
    ).toBe(400);
    const other = env.emulator.addTicket({ teamId: 2 });
    expect(await rejection(tickets.reply(other.id, { message: 'x' }))).toBeInstanceOf(NotFoundError);
    env.emulator.state.teams[0]!.conversationsEnabled = false;
    expect(await rejection(tickets.reply(sent.ticket_id, { message: 'x' }))).toMatchObject({ status: 400 });
  });

  it('§7.59 personal API key scopes: read allows reads, write is needed to reply, other scopes are 403', async () => {
    env.emulator.state.personalApiKeys.push(
      { key: 'phx_read', scopes: ['ticket:read'], teamIds: 'all', role: 'member', user: { id: 2, email: 'r@x.io', first_name: 'R' } },
      { key: 'phx_insight', scopes: ['insight:*'], teamIds: 'all', role: 'member', user: { id: 3, email: 'i@x.io', first_name: 'I' } },
    );
    const t = seedTicket();
    const reader = env.client({ personalApiKey: 'phx_read' }).tickets;
    await expect(reader.list()).resolves.toMatchObject({ count: 1 });
    await expect(reader.get(t.id)).resolves.toMatchObject({ id: t.id });
    await expect(reader.unreadCount()).resolves.toBe(0);
    await expect(reader.messages(t.id)).resolves.toMatchObject({ count: 0 });
    expect(await rejection(reader.reply(t.id, { message: 'x' }))).toBeInstanceOf(PermissionError);
    expect(await rejection(env.client({ personalApiKey: 'phx_insight' }).tickets.list())).toMatchObject({
      status: 403,
      code: 'ERR_PERMISSION',
    });
  });

  it('unread count sums unread_team_count over open tickets; bulk update sets one status (with calls a personal key may make)', async () => {
    const { tickets } = env.client();
    const a = seedTicket({ unread_team_count: 2 });
    const b = seedTicket({ unread_team_count: 3 });
    seedTicket({ unread_team_count: 7, status: 'resolved' });
    expect(await tickets.unreadCount()).toBe(5);
    const result = await tickets.bulkUpdateStatus({ ids: [a.id, b.id], status: 'resolved' });
    expect({ ...result, ids: [...result.ids].sort() }).toEqual({ updated: 2, ids: [a.id, b.id].sort(), failed: [] });
    expect(await tickets.unreadCount()).toBe(0);
  });

  it('needs a personal API key and project id before any request', async () => {
    const error = await rejection(env.client({ personalApiKey: undefined }).tickets.list());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(await rejection(env.client({ projectId: undefined }).tickets.list())).toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('team settings', () => {
  it('§7.60 settings PATCHes merge, round-trip, filter null domains and cannot set the token', async () => {
    const { settings } = env.client();
    await settings.update({ settings: { widget_greeting_text: 'Hi!', widget_position: 'top_left' } });
    expect(await rejection(settings.update({ settings: { widget_domains: ['https://a.example', null as never] } }))).toBeInstanceOf(
      ValidationError,
    );
    const auth = { authorization: `Bearer ${D.personalApiKey}` };
    await env.raw('PATCH', '/api/projects/1/', {
      headers: auth,
      body: { conversations_settings: { widget_domains: ['https://a.example', null] } },
    });
    const after = await settings.update({ settings: { widget_require_email: true } });
    expect(after.settings).toMatchObject({
      widget_greeting_text: 'Hi!',
      widget_position: 'top_left',
      widget_domains: ['https://a.example'],
      widget_require_email: true,
    });
    await env.raw('PATCH', '/api/projects/1/', { headers: auth, body: { conversations_settings: { widget_public_token: 'mine' } } });
    expect((await settings.get()).publicToken).toBe(D.publicToken);
  });

  it('§7.61 enabling mints a token (keeping an existing one), disabling nulls it, regeneration is done by an admin in the app', async () => {
    const { settings } = env.client();
    await settings.update({ enabled: true });
    expect((await settings.get()).publicToken).toBe(D.publicToken);
    const off = await settings.update({ enabled: false });
    expect(off).toMatchObject({ enabled: false, publicToken: null });
    expect(off.settings.widget_greeting_text).toBeUndefined();
    const on = await settings.update({ enabled: true });
    expect(on.publicToken!.length).toBeGreaterThan(20);
    const regenerated = env.emulator.regeneratePublicToken(); // an admin in PostHog's app; no personal key may
    expect(regenerated).not.toBe(on.publicToken);
    expect(await rejection(env.client({ publicToken: on.publicToken! }).widget.listTickets({ widgetSessionId: session() }))).toMatchObject({
      code: 'ERR_AUTHENTICATION',
    });
    await expect(env.client({ publicToken: regenerated }).widget.listTickets({ widgetSessionId: session() })).resolves.toMatchObject({
      count: 0,
    });
  });

  it('remote config shows what the widget sees: false when off, the settings with defaults when on', async () => {
    const { remoteConfig, settings } = env.client();
    expect(await remoteConfig.get(D.projectApiKey)).toMatchObject({
      enabled: true,
      token: D.publicToken,
      color: '#1d4aff',
      widgetPosition: 'bottom_right',
      domains: [],
    });
    await settings.update({ enabled: false });
    expect(await remoteConfig.get(D.projectApiKey)).toBe(false);
    expect(await rejection(remoteConfig.get('phc_unknown'))).toBeInstanceOf(NotFoundError);
  });
});

describe('TicketViewSet as PostHog writes it (api/tickets.py)', () => {
  const auth = { authorization: `Bearer ${D.personalApiKey}` };
  const listIds = async (query: Record<string, string>) =>
    (
      (await env.raw('GET', `/api/projects/${D.projectId}/conversations/tickets/`, { headers: auth, query })).body!.results as Array<{
        id: string;
      }>
    )
      .map((t) => t.id)
      .sort();

  it('safely_get_queryset: filter values it does not know filter nothing', async () => {
    const a = seedTicket({ channel_detail: 'widget_api', tags: ['vip'] });
    const b = seedTicket({ assignee: { type: 'user', id: 1 } });
    const everyone = [a.id, b.id].sort();
    for (const query of [
      { channel_source: 'carrier-pigeon' },
      { channel_detail: 'fax' },
      { assignee: 'user:abc' },
      { assignee: 'role:not-a-uuid' },
      { assignee: 'nobody' },
      { tags: 'vip' },
      { tags: '"vip"' },
      { order_by: 'bogus' },
    ]) {
      expect(await listIds(query), JSON.stringify(query)).toEqual(everyone);
    }
    expect(await listIds({ channel_detail: 'widget_api' })).toEqual([a.id]);
    expect(await listIds({ assignee: 'UNASSIGNED' })).toEqual([a.id]);
    expect(await listIds({ assignee: 'user: 1' })).toEqual([b.id]);
  });

  it('matches a role assignee by UUID in any form uuid.UUID reads', async () => {
    const role = '6f1c1a0d-2b7e-4b8e-9d3e-0f0e3c6a8a54';
    const t = seedTicket({ assignee: { type: 'role', id: role } });
    seedTicket();
    expect(await listIds({ assignee: `role:${role.toUpperCase().replaceAll('-', '')}` })).toEqual([t.id]);
  });

  it('snoozed=true is "a snooze time is set" (snoozed_until__isnull), in any case; a past one was woken by wake_snoozed_tickets', async () => {
    const future = seedTicket({ snoozed_until: new Date(Date.now() + 3_600_000) });
    const past = seedTicket({ snoozed_until: new Date(Date.now() - 3_600_000) });
    const none = seedTicket();
    expect(await listIds({ snoozed: 'TRUE' })).toEqual([future.id]);
    expect((await listIds({ snoozed: 'false' })).sort()).toEqual([past.id, none.id].sort());
  });

  it('update: the status follows a snooze only when the snooze changed and no status was sent', async () => {
    const { tickets } = env.client();
    const t = seedTicket({ status: 'pending' });
    await tickets.update(t.id, { snoozedUntil: null }); // never snoozed: nothing to wake
    expect(t.status).toBe('pending');
    await tickets.update(t.id, { snoozedUntil: new Date(Date.now() + 3_600_000) });
    expect(t.status).toBe('on_hold');
    await tickets.update(t.id, { snoozedUntil: null, status: 'pending' });
    expect(t.status).toBe('pending');
  });

  it("renders a bare 'invalid' code as 'invalid_input', as PostHog's exception handler does", async () => {
    const t = seedTicket();
    const answer = await env.raw('PATCH', `/api/projects/${D.projectId}/conversations/tickets/${t.id}/`, {
      headers: auth,
      body: { anonymous_traits: 'x' },
    });
    expect(answer).toMatchObject({ status: 400, body: { type: 'validation_error', code: 'invalid_input', attr: 'anonymous_traits' } });
  });
});
