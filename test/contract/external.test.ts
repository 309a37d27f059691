// Reference §7 "External API" (47-53), through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, NotFoundError, ValidationError } from '../../src/index.js';
import { D, rejection, session, useEmulator } from './setup.js';

let clock = new Date('2026-01-05T10:00:00Z'); // a Monday
const env = useEmulator({ now: () => clock });
const team = () => env.emulator.state.teams[0]!;
const path = (id: string) => `/api/conversations/external/ticket/${id}`;

describe('external ticket API', () => {
  it('§7.47 401 for no auth, Basic, an empty Bearer (as it arrives over HTTP), a wrong token, the public key, or conversations off; the backup works', async () => {
    const ticket = env.emulator.addTicket();
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'Missing or invalid Authorization header'],
      [{ authorization: 'Basic abc' }, 'Missing or invalid Authorization header'],
      // HTTP drops the trailing space, so the server sees "Bearer", which fails startswith("Bearer ").
      [{ authorization: 'Bearer ' }, 'Missing or invalid Authorization header'],
      [{ authorization: 'Bearer \u00a0' }, 'Empty API key'],
      [{ authorization: 'Bearer phs_wrong' }, 'Invalid API key'],
      [{ authorization: `Bearer ${D.projectApiKey}` }, 'Invalid API key'],
    ];
    for (const [headers, error] of cases)
      expect(await env.raw('GET', path(ticket.id), { headers })).toEqual({ status: 401, body: { error } });
    const wrong = await rejection(env.client({ secretApiToken: 'phs_wrong' }).external.getTicket(ticket.id));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'Invalid API key' } });
    team().secretApiTokenBackup = 'phs_backup';
    await expect(env.client({ secretApiToken: 'phs_backup' }).external.getTicket(ticket.id)).resolves.toMatchObject({ id: ticket.id });
    team().conversationsEnabled = false;
    expect(await rejection(env.client().external.getTicket(ticket.id))).toBeInstanceOf(AuthenticationError);
  });

  it('§7.48 GET returns every field with its default (test_get_ticket_returns_all_fields: channel_detail None); a random UUID or another team is 404', async () => {
    const ticket = env.emulator.addTicket({ distinct_id: 'u' });
    const got = await env.client().external.getTicket(ticket.id);
    expect(got).toMatchObject({
      id: ticket.id,
      number: 1,
      status: 'new',
      priority: null,
      channel_detail: null,
      message_count: 0,
      last_message_at: null,
      last_message_text: null,
      unread_team_count: 0,
      unread_customer_count: 0,
      sla: null,
      assignee: null,
      url: null,
      cc_participants: [],
      tags: [],
    });
    expect(await rejection(env.client().external.getTicket(session()))).toMatchObject({ status: 404, body: { error: 'Ticket not found' } });
    const other = env.emulator.addTicket({ teamId: 2 });
    env.emulator.state.teams.push({ ...team(), id: 2, secretApiToken: 'phs_other_team', publicToken: 'other' });
    expect(await rejection(env.client().external.getTicket(other.id))).toBeInstanceOf(NotFoundError);
  });

  it('§7.49 PATCH sets status and priority (critical too, as Priority has it now), refuses invalid and null ones, treats {} as a no-op, 404s another team', async () => {
    const ticket = env.emulator.addTicket();
    const { external } = env.client();
    for (const status of ['open', 'pending', 'on_hold', 'resolved', 'new'] as const) {
      expect(await external.updateTicket(ticket.id, { status })).toEqual({ ok: true });
      expect(ticket.status).toBe(status);
    }
    await external.updateTicket(ticket.id, { status: 'open', priority: 'high' });
    expect([ticket.status, ticket.priority]).toEqual(['open', 'high']);
    await external.updateTicket(ticket.id, { priority: 'critical' });
    expect(ticket.priority).toBe('critical');
    expect(await rejection(external.updateTicket(ticket.id, { priority: null as never }))).toBeInstanceOf(ValidationError);
    for (const [body, error] of [
      [{ status: 'bogus' }, { status: ['"bogus" is not a valid choice.'] }],
      [{ priority: 'urgent' }, { priority: ['"urgent" is not a valid choice.'] }],
      [
        { priority: null, status: null },
        { status: ['This field may not be null.'], priority: ['This field may not be null.'] },
      ],
    ] as const) {
      const answer = await env.raw('PATCH', path(ticket.id), { headers: { authorization: `Bearer ${D.secretApiToken}` }, body });
      expect(answer).toEqual({ status: 400, body: { error: error } });
    }
    const before = ticket.updated_at;
    expect(await external.updateTicket(ticket.id, {})).toEqual({ ok: true });
    expect(ticket.updated_at).toBe(before);
    expect(
      (await env.raw('PATCH', path(ticket.id), { headers: { authorization: `Bearer ${D.secretApiToken}` }, body: { unknown_field: 1 } }))
        .status,
    ).toBe(200);
    const other = env.emulator.addTicket({ teamId: 2 });
    expect(await rejection(external.updateTicket(other.id, { status: 'open' }))).toBeInstanceOf(NotFoundError);
  });

  it('§7.50 SLA: absolute UTC, cleared by null, relative hours, business hours over a weekend, bad input refused', async () => {
    const ticket = env.emulator.addTicket();
    const { external } = env.client();
    await external.updateTicket(ticket.id, { slaDueAt: '2026-01-06T12:00:00+02:00' });
    expect(ticket.sla_due_at!.toISOString()).toBe('2026-01-06T10:00:00.000Z');
    await external.updateTicket(ticket.id, { slaDueAt: null });
    expect(ticket.sla_due_at).toBeNull();
    await external.updateTicket(ticket.id, { sla: { amount: 4 } });
    expect(ticket.sla_due_at!.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    clock = new Date('2026-01-08T16:00:00Z'); // Thursday 16:00
    const businessHours = {
      days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const,
      time: ['09:00', '17:00'] as [string, string],
      timezone: 'UTC',
    };
    await external.updateTicket(ticket.id, {
      sla: { amount: 10, unit: 'hour', businessHours: { ...businessHours, days: [...businessHours.days] } },
    });
    expect(ticket.sla_due_at!.toISOString()).toBe('2026-01-12T10:00:00.000Z'); // next Monday 10:00
    const auth = { authorization: `Bearer ${D.secretApiToken}` };
    for (const body of [
      { sla_due_at: 'not a date' },
      { sla_amount: 0 },
      { sla_due_at: '2026-01-01T00:00:00Z', sla_amount: 1 },
      { sla_amount: 2, sla_business_hours: { days: ['funday'], time: 'any', timezone: 'UTC' } },
    ]) {
      expect((await env.raw('PATCH', path(ticket.id), { headers: auth, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect(await rejection(external.updateTicket(ticket.id, { slaDueAt: null, sla: { amount: 1 } }))).toBeInstanceOf(ValidationError);
    expect(await rejection(external.updateTicket(ticket.id, { sla: { amount: 0 } }))).toBeInstanceOf(ValidationError);
  });

  it('§7.51 GET includes the assignee, url, Slack and email fields and tag names', async () => {
    const ticket = env.emulator.addTicket({
      assignee: { type: 'user', id: 1 },
      session_context: { current_url: 'https://app.example/pricing' },
      slack_channel_id: 'C1',
      slack_thread_ts: '1.2',
      slack_team_id: 'T1',
      email_subject: 'Help',
      email_from: 'ada@example.com',
      email_to: 'support@example.com',
      tags: ['vip'],
    });
    expect(await env.client().external.getTicket(ticket.id)).toMatchObject({
      assignee: { id: 1, type: 'user', user: { email: 'agent1@example.com' } },
      url: 'https://app.example/pricing',
      slack_channel_id: 'C1',
      slack_thread_ts: '1.2',
      slack_team_id: 'T1',
      email_subject: 'Help',
      email_from: 'ada@example.com',
      email_to: 'support@example.com',
      tags: ['vip'],
    });
  });

  it('§7.52 tags: add is the idempotent default, set replaces, remove strips', async () => {
    const ticket = env.emulator.addTicket({ tags: ['a'] });
    const { external } = env.client();
    await external.updateTicket(ticket.id, { tags: ['b'] });
    await external.updateTicket(ticket.id, { tags: ['b'], tagsMode: 'add' });
    expect(ticket.tags).toEqual(['a', 'b']);
    await external.updateTicket(ticket.id, { tags: ['c', 'd'], tagsMode: 'set' });
    expect(ticket.tags).toEqual(['c', 'd']);
    await external.updateTicket(ticket.id, { tags: ['c'], tagsMode: 'remove' });
    expect(ticket.tags).toEqual(['d']);
  });

  it('§7.53 a non-UUID path is 404, POST/PUT/DELETE are 405, and a malformed hog flow id is refused by the SDK', async () => {
    const ticket = env.emulator.addTicket();
    const auth = { authorization: `Bearer ${D.secretApiToken}` };
    expect((await env.raw('GET', path('not-a-uuid'), { headers: auth })).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE'] as const)
      expect((await env.raw(method, path(ticket.id), { headers: auth })).status).toBe(405);
    await env.client().external.updateTicket(ticket.id, { status: 'open', hogFlowId: session() });
    expect(ticket.status).toBe('open');
    expect(await rejection(env.client().external.updateTicket(ticket.id, { hogFlowId: 'nope' }))).toBeInstanceOf(ValidationError);
  });

  it('handle_ticket_patch emits no status or priority event (workflow updates do not re-emit ticket events); an assignment is recorded as a user with no user', async () => {
    const ticket = env.emulator.addTicket({ distinct_id: 'visitor-1' });
    const before = env.emulator.events.length;
    await env
      .client()
      .external.updateTicket(ticket.id, { status: 'pending', priority: 'high', snoozedUntil: new Date(Date.now() + 3_600_000) });
    expect(env.emulator.events.length).toBe(before);
    await env.client().external.updateTicket(ticket.id, { assignee: { type: 'user', id: 1 } });
    expect(env.emulator.events.slice(before)).toEqual([
      expect.objectContaining({
        event: '$conversation_ticket_assigned',
        distinct_id: 'visitor-1',
        properties: expect.objectContaining({
          actor_type: 'user',
          actor_id: null,
          actor_email: null,
          assignee_type: 'user',
          assignee_id: '1',
        }),
      }),
    ]);
  });

  it('a server 400 becomes a BadRequestError', async () => {
    const ticket = env.emulator.addTicket();
    // Past the SDK's checks: more than a year of hours is refused by the server only.
    const error = await rejection(env.client().external.updateTicket(ticket.id, { sla: { amount: 9000, unit: 'hour' } }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.body).toMatchObject({ error: { sla_amount: [expect.any(String)] } });
  });
});

describe('handle_ticket_patch (api/ticket_actions.py), field by field', () => {
  const patch = (id: string, body: unknown) =>
    env.raw('PATCH', path(id), { headers: { authorization: `Bearer ${D.secretApiToken}` }, body });
  const DATETIME_FORMAT = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

  it.each([
    ['a garbage datetime', { sla_due_at: 'not-a-date' }, { sla_due_at: [DATETIME_FORMAT] }],
    ['an impossible date', { snoozed_until: '2026-02-30T10:00:00Z' }, { snoozed_until: [DATETIME_FORMAT] }],
    ['a zero SLA amount', { sla_amount: 0 }, { sla_amount: ['Ensure this value is greater than or equal to 1e-06.'] }],
    ['a non-numeric SLA amount', { sla_amount: 'soon' }, { sla_amount: ['A valid number is required.'] }],
    ['an infinite SLA amount', { sla_amount: 'Infinity' }, { sla_amount: ['sla_amount must be a finite number'] }],
    ['an unknown unit', { sla_amount: 1, sla_unit: 'week' }, { sla_unit: ['"week" is not a valid choice.'] }],
    [
      'both an absolute and a relative SLA',
      { sla_due_at: '2026-03-15T14:30:00Z', sla_amount: 5 },
      { sla_amount: ['Cannot set both sla_due_at and sla_amount in the same request'] },
    ],
    ['an amount over the unit maximum', { sla_amount: 8761 }, { sla_amount: ["sla_amount must be at most 8760 when sla_unit is 'hour'"] }],
    [
      'capitalised weekdays',
      { sla_amount: 1, sla_business_hours: { days: ['Monday'] } },
      { sla_business_hours: ["Unknown weekday names: ['Monday']"] },
    ],
    ['a blank tag', { tags: ['ok', '   '] }, { tags: { '1': ['This field may not be blank.'] } }],
    ['tags as a string', { tags: 'urgent' }, { tags: ['Expected a list of items but got type "str".'] }],
    ['an unknown tags mode', { tags: ['a'], tags_mode: 'replace' }, { tags_mode: ['"replace" is not a valid choice.'] }],
  ])("refuses %s with the serializer's error", async (_, body, error) => {
    const ticket = env.emulator.addTicket();
    expect(await patch(ticket.id, body)).toEqual({ status: 400, body: { error } });
  });

  it('validates before looking the ticket up: a bad body for a missing ticket is 400, not 404', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', { status: 'bogus' })).status).toBe(400);
    expect(await patch('00000000-0000-4000-8000-000000000000', { status: 'open' })).toEqual({
      status: 404,
      body: { error: 'Ticket not found' },
    });
  });

  it('takes a numeric string as the SLA amount, and a naive datetime as UTC', async () => {
    const ticket = env.emulator.addTicket();
    expect((await patch(ticket.id, { sla_amount: '2', sla_unit: 'hour' })).status).toBe(200);
    expect(ticket.sla_due_at?.toISOString()).toBe(new Date(clock.getTime() + 2 * 3_600_000).toISOString());
    expect((await patch(ticket.id, { sla_due_at: '2026-03-15 14:30' })).status).toBe(200);
    expect(ticket.sla_due_at?.toISOString()).toBe('2026-03-15T14:30:00.000Z');
  });

  it('snoozing puts the ticket on hold and waking it opens it, unless the request sets the status', async () => {
    const ticket = env.emulator.addTicket({ status: 'open' });
    await patch(ticket.id, { snoozed_until: '2026-01-06T09:00:00Z' });
    expect(ticket.status).toBe('on_hold');
    await patch(ticket.id, { snoozed_until: null });
    expect([ticket.status, ticket.snoozed_until]).toEqual(['open', null]);
    await patch(ticket.id, { snoozed_until: '2026-01-06T09:00:00Z', status: 'pending' });
    expect(ticket.status).toBe('pending');
  });

  it('an SLA the walk cannot place leaves the ticket as it was (400 on sla_amount)', async () => {
    const ticket = env.emulator.addTicket({ status: 'new' });
    const answer = await patch(ticket.id, {
      status: 'pending',
      sla_amount: 8760,
      sla_business_hours: { days: ['monday'], time: ['09:00', '10:00'] },
    });
    expect(answer).toEqual({
      status: 400,
      body: { error: { sla_amount: ['SLA amount is too large for the configured business hours (exceeded 1825-day walk cap)'] } },
    });
    expect([ticket.status, ticket.sla_due_at]).toEqual(['new', null]);
  });

  it('tags go through tagify (trimmed, lowercased) and each mode', async () => {
    const ticket = env.emulator.addTicket();
    await patch(ticket.id, { tags: [' Billing ', 'URGENT', 'billing'] });
    expect(ticket.tags).toEqual(['billing', 'urgent']);
    await patch(ticket.id, { tags: ['Urgent'], tags_mode: 'remove' });
    expect(ticket.tags).toEqual(['billing']);
    await patch(ticket.id, { tags: ['vip', 'billing'], tags_mode: 'set' });
    expect(ticket.tags).toEqual(['billing', 'vip']);
  });

  it('an unknown assignee is a 400 after the other changes were saved, as the server saves first', async () => {
    const ticket = env.emulator.addTicket({ status: 'new' });
    expect(await patch(ticket.id, { status: 'open', assignee: { type: 'user', id: 987654 } })).toEqual({
      status: 400,
      body: { error: 'Failed to assign ticket' },
    });
    expect(ticket.status).toBe('open');
  });
});

describe('client.external.updateTicket refuses what the server would, before sending', () => {
  it.each([
    [
      'an overnight window',
      { sla: { amount: 1, businessHours: { days: ['monday'], time: ['17:00', '09:00'] } } },
      /sla\.businessHours\.time.*strictly before/,
    ],
    ['an unknown timezone', { sla: { amount: 1, businessHours: { days: ['monday'], timezone: 'Mars/Olympus' } } }, /IANA timezone/],
    ['a blank tag', { tags: ['ok', ' '] }, /tags\.1.*blank/],
    ['a null priority (the server refuses it here)', { priority: null }, /priority/],
  ])('%s', async (_, input, message) => {
    const ticket = env.emulator.addTicket();
    const before = env.emulator.requests.length;
    const error = await rejection(env.client().external.updateTicket(ticket.id, input as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(message);
    expect(env.emulator.requests.length).toBe(before);
  });

  it('leaves time and timezone to the server defaults (any, UTC), and takes critical', async () => {
    clock = new Date('2026-01-05T10:00:00Z'); // a Monday
    const ticket = env.emulator.addTicket();
    await env
      .client()
      .external.updateTicket(ticket.id, { priority: 'critical', sla: { amount: 1, unit: 'hour', businessHours: { days: ['monday'] } } });
    expect(ticket.priority).toBe('critical');
    expect(ticket.sla_due_at?.toISOString()).toBe('2026-01-05T11:00:00.000Z');
  });
});

describe('ExternalTicketView throttles (api/external.py)', () => {
  it('run before the token check, keyed by the hashed Bearer token: a wrong token is throttled too', async () => {
    const { startEmulator } = await import('../../src/testing/index.js');
    const emulator = await startEmulator({ throttles: { external_ticket_burst: '2/minute' } });
    try {
      const get = (token: string) =>
        fetch(`${emulator.url}${path('00000000-0000-4000-8000-000000000000')}`, { headers: { authorization: `Bearer ${token}` } });
      expect([(await get('phs_wrong')).status, (await get('phs_wrong')).status, (await get('phs_wrong')).status]).toEqual([401, 401, 429]);
      expect((await get(D.secretApiToken)).status).toBe(404); // another token, another bucket
    } finally {
      await emulator.close();
    }
  });

  it("names PostHog's scopes, and says where the old names went", async () => {
    const { startEmulator } = await import('../../src/testing/index.js');
    await expect(startEmulator({ throttles: { external_burst: '1/minute' } as never })).rejects.toThrow(
      /unknown option `external_burst`.*did you mean `external_ticket_burst`/,
    );
  });
});
