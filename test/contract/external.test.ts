// Reference §7 "External API" (47-53), through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, NotFoundError, ValidationError } from '../../src/index.js';
import { D, rejection, session, useEmulator } from './setup.js';

let clock = new Date('2026-01-05T10:00:00Z'); // a Monday
const env = useEmulator({ now: () => clock });
const team = () => env.emulator.state.teams[0]!;
const path = (id: string) => `/api/conversations/external/ticket/${id}`;

describe('external ticket API', () => {
  it('§7.47 401 for no auth, Basic, an empty Bearer, a wrong token, the public key, or conversations off; the backup works', async () => {
    const ticket = env.emulator.addTicket();
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'Missing or invalid Authorization header'],
      [{ authorization: 'Basic abc' }, 'Missing or invalid Authorization header'],
      [{ authorization: 'Bearer ' }, 'Empty API key'],
      [{ authorization: 'Bearer phs_wrong' }, 'Invalid API key'],
      [{ authorization: `Bearer ${D.projectApiKey}` }, 'Invalid API key'],
    ];
    for (const [headers, error] of cases) expect(await env.raw('GET', path(ticket.id), { headers })).toEqual({ status: 401, body: { error } });
    const wrong = await rejection(env.client({ secretApiToken: 'phs_wrong' }).external.getTicket(ticket.id));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'Invalid API key' } });
    team().secretApiTokenBackup = 'phs_backup';
    await expect(env.client({ secretApiToken: 'phs_backup' }).external.getTicket(ticket.id)).resolves.toMatchObject({ id: ticket.id });
    team().conversationsEnabled = false;
    expect(await rejection(env.client().external.getTicket(ticket.id))).toBeInstanceOf(AuthenticationError);
  });

  it('§7.48 GET returns every field with its default; a random UUID or another team is 404', async () => {
    const ticket = env.emulator.addTicket({ distinct_id: 'u' });
    const got = await env.client().external.getTicket(ticket.id);
    expect(got).toMatchObject({
      id: ticket.id, number: 1, status: 'new', priority: null, channel_detail: 'widget_embedded', message_count: 0,
      last_message_at: null, last_message_text: null, unread_team_count: 0, unread_customer_count: 0, sla: null,
      assignee: null, url: null, cc_participants: [], tags: [],
    });
    expect(await rejection(env.client().external.getTicket(session()))).toMatchObject({ status: 404, body: { error: 'Ticket not found' } });
    const other = env.emulator.addTicket({ teamId: 2 });
    env.emulator.state.teams.push({ ...team(), id: 2, secretApiToken: 'phs_other_team', publicToken: 'other' });
    expect(await rejection(env.client().external.getTicket(other.id))).toBeInstanceOf(NotFoundError);
  });

  it('§7.49 PATCH sets status and priority, refuses invalid ones and "critical", treats {} as a no-op, 404s another team', async () => {
    const ticket = env.emulator.addTicket();
    const { external } = env.client();
    for (const status of ['open', 'pending', 'on_hold', 'resolved', 'new'] as const) {
      expect(await external.updateTicket(ticket.id, { status })).toEqual({ ok: true });
      expect(ticket.status).toBe(status);
    }
    await external.updateTicket(ticket.id, { status: 'open', priority: 'high' });
    expect([ticket.status, ticket.priority]).toEqual(['open', 'high']);
    expect(await rejection(external.updateTicket(ticket.id, { priority: 'critical' as never }))).toBeInstanceOf(ValidationError);
    for (const body of [{ status: 'bogus' }, { priority: 'critical' }]) {
      const answer = await env.raw('PATCH', path(ticket.id), { headers: { authorization: `Bearer ${D.secretApiToken}` }, body });
      expect(answer.status).toBe(400);
    }
    const before = ticket.updated_at;
    expect(await external.updateTicket(ticket.id, {})).toEqual({ ok: true });
    expect(ticket.updated_at).toBe(before);
    expect((await env.raw('PATCH', path(ticket.id), { headers: { authorization: `Bearer ${D.secretApiToken}` }, body: { unknown_field: 1 } })).status).toBe(200);
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
    const businessHours = { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const, time: ['09:00', '17:00'] as [string, string], timezone: 'UTC' };
    await external.updateTicket(ticket.id, { sla: { amount: 10, unit: 'hour', businessHours: { ...businessHours, days: [...businessHours.days] } } });
    expect(ticket.sla_due_at!.toISOString()).toBe('2026-01-12T10:00:00.000Z'); // next Monday 10:00
    const auth = { authorization: `Bearer ${D.secretApiToken}` };
    for (const body of [{ sla_due_at: 'not a date' }, { sla_amount: 0 }, { sla_due_at: '2026-01-01T00:00:00Z', sla_amount: 1 }, { sla_amount: 2, sla_business_hours: { days: ['funday'], time: 'any', timezone: 'UTC' } }]) {
      expect((await env.raw('PATCH', path(ticket.id), { headers: auth, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect(await rejection(external.updateTicket(ticket.id, { slaDueAt: null, sla: { amount: 1 } }))).toBeInstanceOf(ValidationError);
    expect(await rejection(external.updateTicket(ticket.id, { sla: { amount: 0 } }))).toBeInstanceOf(ValidationError);
  });

  it('§7.51 GET includes the assignee, url, Slack and email fields and tag names', async () => {
    const ticket = env.emulator.addTicket({
      assignee: { type: 'user', id: 1 }, session_context: { current_url: 'https://app.example/pricing' }, slack_channel_id: 'C1',
      slack_thread_ts: '1.2', slack_team_id: 'T1', email_subject: 'Help', email_from: 'ada@example.com', email_to: 'support@example.com', tags: ['vip'],
    });
    expect(await env.client().external.getTicket(ticket.id)).toMatchObject({
      assignee: { id: 1, type: 'user', user: { email: 'agent1@example.com' } }, url: 'https://app.example/pricing', slack_channel_id: 'C1',
      slack_thread_ts: '1.2', slack_team_id: 'T1', email_subject: 'Help', email_from: 'ada@example.com', email_to: 'support@example.com', tags: ['vip'],
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

  it('§7.53 a non-UUID path is 404, POST/PUT/DELETE are 405, and a hog flow id is recorded (a malformed one ignored)', async () => {
    const ticket = env.emulator.addTicket();
    const auth = { authorization: `Bearer ${D.secretApiToken}` };
    expect((await env.raw('GET', path('not-a-uuid'), { headers: auth })).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE'] as const) expect((await env.raw(method, path(ticket.id), { headers: auth })).status).toBe(405);
    const flow = session();
    await env.client().external.updateTicket(ticket.id, { status: 'open', hogFlowId: flow });
    expect(env.emulator.events.at(-1)).toMatchObject({ event: '$conversation_ticket_status_changed', distinct_id: flow, properties: { old_status: 'new', new_status: 'open' } });
    await env.raw('PATCH', path(ticket.id), { headers: { ...auth, 'x-posthog-hog-flow-id': 'nope' }, body: { status: 'pending' } });
    expect(env.emulator.events.at(-1)).toMatchObject({ distinct_id: 'external', properties: { new_status: 'pending' } });
    expect(await rejection(env.client().external.updateTicket(ticket.id, { hogFlowId: 'nope' }))).toBeInstanceOf(ValidationError);
  });

  it('a server 400 becomes a BadRequestError', async () => {
    const ticket = env.emulator.addTicket();
    // Past the SDK's checks: more than a year of hours is refused by the server only.
    const error = await rejection(env.client().external.updateTicket(ticket.id, { sla: { amount: 9000, unit: 'hour' } }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.body).toMatchObject({ error: { sla_amount: [expect.any(String)] } });
  });
});
