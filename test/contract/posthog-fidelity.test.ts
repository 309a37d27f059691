// What PostHog's current code does (docs/posthog-fidelity.md lists the files and commits read), each
// behaviour named after the PostHog function it follows, through the SDK over real HTTP.
import { describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionError, ValidationError, computeIdentityHash, parseConversationEvent } from '../../src/index.js';
import { D, identity, rejection, session, useEmulator } from './setup.js';

const env = useEmulator();
const ticketsPath = `/api/projects/${D.projectId}/conversations/tickets`;
const bearer = (key: string = D.personalApiKey) => ({ authorization: `Bearer ${key}` });

function addKey(key: string, scopes: string[], teamIds: number[] | 'all' = 'all') {
  env.emulator.state.personalApiKeys.push({
    key,
    scopes,
    teamIds,
    role: 'member',
    user: { id: 9, email: 'nine@example.com', first_name: 'Nine' },
  });
}

describe('APIScopePermission (posthog/permissions.py) with TicketViewSet and ProjectViewSet scope lists', () => {
  it('refuses actions in neither scope list to every personal key, even one with every scope', async () => {
    const ticket = env.emulator.addTicket();
    const refused = [
      ['POST', `${ticketsPath}/bulk_update_status/`, { ids: [ticket.id], status: 'resolved' }],
      ['POST', `${ticketsPath}/bulk_update_tags/`, { ids: [ticket.id], tags: ['x'] }],
      ['DELETE', `${ticketsPath}/${ticket.id}/`, undefined],
      ['POST', `/api/projects/${D.projectId}/generate_conversations_public_token/`, undefined],
      ['PATCH', `/api/projects/${D.projectId}/rotate_secret_token/`, undefined],
      ['PATCH', `/api/projects/${D.projectId}/delete_secret_token_backup/`, undefined],
    ] as const;
    for (const [method, path, body] of refused) {
      const answer = await env.raw(method, path, { headers: bearer(), body });
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { detail: 'This action does not support personal API key access' },
      });
    }
    expect(ticket.status).toBe('new');
    expect(env.emulator.state.tickets).toHaveLength(1);
  });

  it('_get_required_scopes: read actions need ticket:read, write actions ticket:write (write implies read); a key without scopes has none', async () => {
    addKey('phx_reader', ['ticket:read']);
    addKey('phx_writer', ['ticket:write']);
    addKey('phx_legacy', []);
    const ticket = env.emulator.addTicket();
    await expect(env.client({ personalApiKey: 'phx_reader' }).tickets.list()).resolves.toMatchObject({ count: 1 });
    expect(await rejection(env.client({ personalApiKey: 'phx_reader' }).tickets.update(ticket.id, { status: 'open' }))).toMatchObject({
      status: 403,
      body: { detail: "API key missing required scope 'ticket:write'" },
    });
    await expect(env.client({ personalApiKey: 'phx_writer' }).tickets.get(ticket.id)).resolves.toMatchObject({ id: ticket.id });
    expect(await rejection(env.client({ personalApiKey: 'phx_legacy' }).tickets.list())).toMatchObject({
      body: { detail: "API key missing required scope 'ticket:read'" },
    });
  });

  it('check_team_and_org_permissions: a key scoped to other projects is refused by project id; an empty scoped_teams is every project', async () => {
    addKey('phx_other', ['*'], [999]);
    addKey('phx_empty', ['*'], []);
    expect(await rejection(env.client({ personalApiKey: 'phx_other' }).tickets.list())).toMatchObject({
      status: 403,
      body: { detail: `API key does not have access to the requested project: ID ${D.projectId}.` },
    });
    await expect(env.client({ personalApiKey: 'phx_empty' }).tickets.list()).resolves.toMatchObject({ count: 0 });
  });

  it('PersonalAPIKeySerializer on @current: empty scopes shown as ["*"], an all-projects key with scoped_teams [], no value', async () => {
    addKey('phx_legacy', []);
    const key = await env.client({ personalApiKey: 'phx_legacy' }).settings.personalApiKey();
    expect(key).toMatchObject({ scopes: ['*'], scoped_teams: [], scoped_organizations: [], value: null, user_id: 9 });
    expect(JSON.stringify(key)).not.toContain('phx_legacy');
    expect((await env.raw('GET', '/api/personal_api_keys/@current/')).body).toMatchObject({ code: 'not_authenticated' });
  });
});

describe('tickets.bulkUpdateStatus: bulk_update_status semantics with calls a ticket:write key may make', () => {
  it('skips tickets already in the status and ids not in the project, emits one status event per changed ticket', async () => {
    const a = env.emulator.addTicket({ status: 'open' });
    const b = env.emulator.addTicket({ status: 'resolved' });
    const before = env.emulator.events.length;
    const result = await env.client().tickets.bulkUpdateStatus({ ids: [a.id, b.id, session()], status: 'resolved' });
    expect(result).toEqual({ updated: 1, ids: [a.id], failed: [] });
    expect(env.emulator.events.slice(before).map((e) => e.event)).toEqual(['$conversation_ticket_status_changed']);
    expect(env.emulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('a ticket whose update fails is reported with its error; the others are updated', async () => {
    const tickets = [0, 1, 2].map(() => env.emulator.addTicket({ status: 'open' }));
    env.emulator.faults.add({
      kind: 'status',
      method: 'PATCH',
      path: `${ticketsPath}/${tickets[1]!.id}/`,
      status: 500,
      body: { detail: 'boom' },
    });
    const result = await env.client().tickets.bulkUpdateStatus({ ids: tickets.map((t) => t.id), status: 'pending', concurrency: 2 });
    expect(result.updated).toBe(2);
    expect(result.failed).toEqual([{ id: tickets[1]!.id, error: expect.objectContaining({ status: 500 }) }]);
    expect(tickets.map((t) => t.status)).toEqual(['pending', 'open', 'pending']);
  });

  it('refuses more than 500 ids (BULK_UPDATE_STATUS_MAX_IDS) and an empty list before any request', async () => {
    const ids = Array.from({ length: 501 }, () => session());
    expect(await rejection(env.client().tickets.bulkUpdateStatus({ ids, status: 'open' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(env.client().tickets.bulkUpdateStatus({ ids: [], status: 'open' }))).toBeInstanceOf(ValidationError);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('settings.regeneratePublicToken: generate_conversations_public_token is refused to personal keys', () => {
  it('throws a ConfigurationError that says why, before any request', async () => {
    const error = await rejection(env.client().settings.regeneratePublicToken());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/refuses generate_conversations_public_token to every personal API key/);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('events.py: actor, customer and assignment properties', () => {
  it('_get_customer_properties keeps customer_name null (posthog-js sends traits { name: null }), and the event is typed', async () => {
    await env
      .client()
      .widget.sendMessage({ message: 'Hi', widgetSessionId: session(), distinctId: 'anon-1', traits: { name: null, email: null } });
    const created = env.emulator.events.find((e) => e.event === '$conversation_ticket_created')!;
    expect(created.properties).toMatchObject({ customer_name: null, customer_email: '' });
    for (const event of env.emulator.events) {
      const body = {
        event: {
          uuid: 'u',
          event: event.event,
          distinct_id: event.distinct_id,
          properties: event.properties,
          timestamp: '2026-12-01T00:00:00Z',
        },
        person: null,
      };
      const parsed = parseConversationEvent(body);
      expect(parsed.event?.event, event.event).toBe(event.event);
      expect(parsed.problems, event.event).toEqual([]);
    }
  });

  it('_get_actor_properties for an inbox change: the staff user (id, email, distinct id); one status event after the save, priority already new', async () => {
    const ticket = env.emulator.addTicket({ distinct_id: 'visitor-2', status: 'open' });
    const before = env.emulator.events.length;
    await env
      .client()
      .tickets.update(ticket.id, { priority: 'high', snoozedUntil: new Date(Date.now() + 3_600_000), assignee: { type: 'user', id: 1 } });
    const events = env.emulator.events.slice(before);
    expect(events.map((e) => e.event)).toEqual([
      '$conversation_ticket_assigned',
      '$conversation_ticket_status_changed',
      '$conversation_ticket_priority_changed',
    ]);
    for (const event of events) {
      expect(event.distinct_id).toBe('staff-user-1');
      expect(event.properties).toMatchObject({
        actor_type: 'user',
        actor_id: 1,
        actor_email: 'agent1@example.com',
        customer_distinct_id: 'visitor-2',
      });
    }
    expect(events[1]!.properties).toMatchObject({ old_status: 'open', new_status: 'on_hold', priority: 'high' });
  });

  it('capture_ticket_assigned is recorded for every request that sets an assignee, changed or not', async () => {
    const ticket = env.emulator.addTicket();
    await env.client().tickets.update(ticket.id, { assignee: { type: 'user', id: 1 } });
    await env.client().tickets.update(ticket.id, { assignee: { type: 'user', id: 1 } });
    expect(env.emulator.events.filter((e) => e.event === '$conversation_ticket_assigned')).toHaveLength(2);
  });

  it('wake_snoozed_tickets: a passed snooze opens the ticket, recorded as the system', async () => {
    const ticket = env.emulator.addTicket({ distinct_id: 'visitor-3', status: 'on_hold', snoozed_until: new Date(Date.now() - 1000) });
    await env.client().tickets.list();
    expect(ticket).toMatchObject({ status: 'open', snoozed_until: null });
    expect(env.emulator.events.at(-1)).toMatchObject({
      event: '$conversation_ticket_status_changed',
      distinct_id: 'visitor-3',
      properties: { old_status: 'on_hold', new_status: 'open', actor_type: 'system', actor_id: null, actor_email: null },
    });
  });
});

describe('TicketSerializer fields and TicketViewSet list filters', () => {
  it('serialises identity_verified, ai_triage, organization_id and the person by UUID', async () => {
    const person = env.emulator.addPerson({ distinctIds: ['u-1'], properties: { email: 'ada@example.com' } });
    const ticket = env.emulator.addTicket({
      distinct_id: 'u-1',
      identity_verified: null,
      ai_triage: { result: 'persisted' },
      organization_id: 'org-1',
      organization_id_source: 'person',
    });
    const got = await env.client().tickets.get(ticket.id);
    expect(got).toMatchObject({
      identity_verified: null,
      ai_triage: { result: 'persisted' },
      organization_id: 'org-1',
      organization_id_source: 'person',
      person: { id: person.uuid },
    });
    expect(person.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('filters by ids (which marks nothing read), emails (or-ed with distinct ids) and ai_triage_result', async () => {
    const a = env.emulator.addTicket({ unread_team_count: 2, ai_triage: { result: 'escalated_no_reply' } });
    const b = env.emulator.addTicket({ email_from: 'Grace@Example.com', distinct_id: 'g' });
    const c = env.emulator.addTicket({ distinct_id: 'h' });
    const { tickets } = env.client();
    const ids = async (input: Parameters<typeof tickets.list>[0]) => (await tickets.list(input)).results.map((t) => t.id).sort();
    expect(await ids({ ids: [a.id, c.id] })).toEqual([a.id, c.id].sort());
    expect(a.unread_team_count).toBe(2);
    expect(await ids({ emails: ['grace@example.com'], distinctIds: ['h'] })).toEqual([b.id, c.id].sort());
    expect(await ids({ aiTriageResult: 'escalated_no_reply' })).toEqual([a.id]);
    expect(await rejection(tickets.list({ aiTriageResult: 'escalated' as never }))).toBeInstanceOf(ValidationError);
  });
});

describe('conversations_settings (posthog/api/team/conversations_settings.py) and RemoteConfig.build_config', () => {
  it('strips only MANAGED_CONVERSATIONS_SETTINGS, stores other values as sent (nulls included), and the SDK parses them', async () => {
    const { settings } = env.client();
    await env.raw('PATCH', `/api/projects/${D.projectId}/`, {
      headers: bearer(),
      body: {
        conversations_settings: {
          slack_enabled: true,
          slack_channel_ids: ['C1'],
          widget_greeting_text: null,
          widget_enabled: null,
          widget_domains: null,
          notification_recipients: null,
        },
      },
    });
    const config = await settings.get();
    expect(config.settings).toMatchObject({
      slack_channel_ids: ['C1'],
      widget_greeting_text: null,
      widget_enabled: null,
      widget_domains: null,
    });
    expect(config.settings.slack_enabled).toBeUndefined();
    const remote = await env.client().remoteConfig.get(D.projectApiKey);
    expect(remote).toMatchObject({ widgetEnabled: null, greetingText: 'Hey, how can I help you today?', domains: [] });
  });

  it('refuses a managed key in settings.update before any request, naming it', async () => {
    const error = await rejection(env.client().settings.update({ settings: { slack_enabled: true } as never }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/settings\.slack_enabled is managed by PostHog/);
    expect(env.emulator.requests).toEqual([]);
  });

  it("answers a non-object with PostHog's message", async () => {
    const answer = await env.raw('PATCH', `/api/projects/${D.projectId}/`, { headers: bearer(), body: { conversations_settings: [1] } });
    expect(answer).toMatchObject({ status: 400, body: { detail: 'Conversation settings must be an object or null.' } });
  });
});

describe('_identity_secrets (widget.py): the signing secret, then secret_api_token, then its backup', () => {
  it('a rotated secret keeps the previous one verifying until the backup is deleted', async () => {
    const sid = session();
    const old = identity('user-1');
    await env.client().widget.sendMessage({ message: 'before', widgetSessionId: sid, identity: old });
    const rotated = env.emulator.rotateSecretToken();
    expect(rotated).toMatch(/^phs_/);
    await expect(env.client().widget.listTickets({ identity: old })).resolves.toMatchObject({ count: 1 });
    await expect(env.client().widget.listTickets({ identity: identity('user-1', rotated) })).resolves.toMatchObject({ count: 1 });
    env.emulator.state.team(D.projectId)!.secretApiTokenBackup = null;
    expect(await rejection(env.client().widget.listTickets({ identity: old }))).toBeInstanceOf(PermissionError);
  });

  it('skips a stale signing secret (one that differs from the token while legacy secrets exist)', async () => {
    const team = env.emulator.state.team(D.projectId)!;
    team.signingSecret = 'phs_stale_signing_secret';
    const staleHash = computeIdentityHash('user-2', 'phs_stale_signing_secret');
    const error = await rejection(
      env.client().widget.listTickets({ identity: { identity_distinct_id: 'user-2', identity_hash: staleHash } }),
    );
    expect(error).toBeInstanceOf(PermissionError);
    team.secretApiTokenBackup = team.secretApiToken;
    team.secretApiToken = null; // the backup alone is still a legacy secret: the signing secret stays stale
    expect(
      await rejection(env.client().widget.listTickets({ identity: { identity_distinct_id: 'user-2', identity_hash: staleHash } })),
    ).toBeInstanceOf(PermissionError);
    team.secretApiTokenBackup = null;
    await expect(
      env.client().widget.listTickets({ identity: { identity_distinct_id: 'user-2', identity_hash: staleHash } }),
    ).resolves.toMatchObject({ count: 0 });
  });
});

describe('Comment.content is null=True', () => {
  it('a message without content parses in every message list and iterator', async () => {
    const sid = session();
    const ticket = env.emulator.addTicket({ widget_session_id: sid });
    env.emulator.addMessage(ticket, { content: 'text' });
    env.emulator.addMessage(ticket, { content: null, rich_content: { type: 'image' } });
    const client = env.client();
    expect((await client.widget.getMessages(ticket.id, { widgetSessionId: sid })).messages.map((m) => m.content)).toEqual(['text', null]);
    expect((await client.tickets.messages(ticket.id)).results.map((m) => m.content)).toEqual(['text', null]);
    const seen: (string | null)[] = [];
    for await (const m of client.widget.iterateMessages(ticket.id, { widgetSessionId: sid })) seen.push(m.content);
    expect(seen).toEqual(['text', null]);
  });
});

describe('ExternalTicketView (api/external.py): project secret API keys and the first customer message', () => {
  const external = (id: string) => `/api/conversations/external/ticket/${id}`;

  it('ExternalTicketProjectSecretAPIKeyAuthentication: GET with support_ticket:read, 403 without it, PATCH refused', async () => {
    const team = env.emulator.state.team(D.projectId)!;
    team.projectSecretApiKeys.push(
      { key: 'phs_project_reader', scopes: ['support_ticket:read'] },
      { key: 'phs_project_other', scopes: ['insight:read'] },
    );
    const ticket = env.emulator.addTicket();
    await expect(env.client({ secretApiToken: 'phs_project_reader' }).external.getTicket(ticket.id)).resolves.toMatchObject({
      id: ticket.id,
    });
    expect(await rejection(env.client({ secretApiToken: 'phs_project_other' }).external.getTicket(ticket.id))).toMatchObject({
      status: 403,
      body: { error: "API key missing required scope 'support_ticket:read'" },
    });
    expect(
      await rejection(env.client({ secretApiToken: 'phs_project_reader' }).external.updateTicket(ticket.id, { status: 'open' })),
    ).toMatchObject({
      status: 403,
      body: { error: 'Project secret API keys can only read tickets on this route' },
    });
    expect(ticket.status).toBe('new');
    team.conversationsEnabled = false; // an unknown key then: the legacy path's 401
    expect(await rejection(env.client({ secretApiToken: 'phs_project_reader' }).external.getTicket(ticket.id))).toMatchObject({
      status: 401,
      body: { error: 'Invalid API key' },
    });
  });

  it('legacy authentication needs "Bearer " with its space', async () => {
    const ticket = env.emulator.addTicket();
    expect(await env.raw('GET', external(ticket.id), { headers: { authorization: 'Bearer' } })).toMatchObject({
      status: 401,
      body: { error: 'Missing or invalid Authorization header' },
    });
    expect(await env.raw('GET', external(ticket.id), { headers: { authorization: `Bearer\t${D.secretApiToken}` } })).toMatchObject({
      status: 401,
    });
  });

  it('wants_first_customer_message_text: first_customer_message_text only when asked, the first public customer message', async () => {
    const ticket = env.emulator.addTicket();
    env.emulator.addMessage(ticket, {
      content: 'internal',
      authorType: 'support',
      isPrivate: true,
      created_by: { id: 1, first_name: 'A', email: 'a@example.com' },
    });
    env.emulator.addMessage(ticket, { content: 'my printer is on fire' });
    env.emulator.addMessage(ticket, { content: 'still on fire' });
    const { external: client } = env.client();
    expect(await client.getTicket(ticket.id)).not.toHaveProperty('first_customer_message_text');
    expect(await client.getTicket(ticket.id, { includeFirstCustomerMessageText: true })).toMatchObject({
      first_customer_message_text: 'my printer is on fire',
    });
    const empty = env.emulator.addTicket();
    expect(await client.getTicket(empty.id, { includeFirstCustomerMessageText: true })).toMatchObject({
      first_customer_message_text: null,
    });
    expect(await rejection(client.getTicket(ticket.id, { timeoutMs: 5 } as never))).toBeInstanceOf(ValidationError);
  });
});

describe('TicketViewSet.compose: an outbound email ticket', () => {
  const CONFIG = '0191a1b2-c3d4-7e5f-8a9b-000000000001';
  function emailTeam(verified = true) {
    const team = env.emulator.state.team(D.projectId)!;
    team.settings.email_enabled = true; // managed by PostHog's email integration, so set here
    team.emailConfigs.push({ id: CONFIG, fromEmail: 'support@acme.example', domainVerified: verified });
    return team;
  }

  it("creates an open email ticket with the agent's first message: ticket_created, then message_sent", async () => {
    emailTeam();
    const before = env.emulator.events.length;
    const created = await env.client().tickets.compose({
      recipientEmail: 'ada@example.com',
      emailConfigId: CONFIG,
      message: 'Your export is ready.',
      emailSubject: 'Export',
      tags: [' VIP '],
    });
    expect(created).toEqual({ id: expect.any(String), ticket_number: 1 });
    const ticket = await env.client().tickets.get(created.id);
    expect(ticket).toMatchObject({
      channel_source: 'email',
      status: 'open',
      identity_verified: null,
      email_from: 'ada@example.com',
      email_subject: 'Export',
      tags: ['vip'],
      message_count: 1,
    });
    expect(env.emulator.events.slice(before).map((e) => e.event)).toEqual(['$conversation_ticket_created', '$conversation_message_sent']);
  });

  it("answers PostHog's 400s: email channel off, config unknown or unverified, a recipient who is not the person on file", async () => {
    const { tickets } = env.client();
    const compose = (extra = {}) =>
      rejection(tickets.compose({ recipientEmail: 'ada@example.com', emailConfigId: CONFIG, message: 'Hi', ...extra }));
    expect(await compose()).toMatchObject({ status: 400, body: { detail: 'Email channel is not enabled.' } });
    emailTeam(false);
    expect(await compose()).toMatchObject({ status: 400, body: { detail: 'Email configuration not found or domain not verified.' } });
    env.emulator.state.team(D.projectId)!.emailConfigs[0]!.domainVerified = true;
    env.emulator.addPerson({ distinctIds: ['grace'], properties: { email: 'grace@example.com' } });
    expect(await compose({ recipientDistinctId: 'grace' })).toMatchObject({
      status: 400,
      body: { detail: "Recipient email does not match the person's email on file." },
    });
    expect(env.emulator.state.tickets).toEqual([]);
  });

  it('refuses bad input before any request', async () => {
    const { tickets } = env.client();
    for (const input of [
      { recipientEmail: 'not-an-email', emailConfigId: CONFIG, message: 'Hi' },
      { recipientEmail: 'a@example.com', emailConfigId: 'nope', message: 'Hi' },
      { recipientEmail: 'a@example.com', emailConfigId: CONFIG, message: '   ' },
      { recipientEmail: 'a@example.com', emailConfigId: CONFIG, message: 'Hi', tags: [' '] },
      { recipientEmail: 'a@example.com', emailConfigId: CONFIG, message: 'Hi', recipient: 'x' },
    ])
      expect(await rejection(tickets.compose(input as never)), JSON.stringify(input)).toBeInstanceOf(ValidationError);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe('TicketViewSet.reply as PostHog answers it', () => {
  it('is_private is a BooleanField ("true", 1), rich content over 100 KB and conversations off have PostHog\'s words', async () => {
    const ticket = env.emulator.addTicket();
    const path = `${ticketsPath}/${ticket.id}/reply/`;
    expect(await env.raw('POST', path, { headers: bearer(), body: { message: 'note', is_private: 'true' } })).toMatchObject({
      status: 201,
      body: { is_private: true },
    });
    expect(await env.raw('POST', path, { headers: bearer(), body: { message: 'note', is_private: 1 } })).toMatchObject({
      status: 201,
      body: { is_private: true },
    });
    expect(await env.raw('POST', path, { headers: bearer(), body: { message: 'x', is_private: 'maybe' } })).toMatchObject({
      status: 400,
      body: { attr: 'is_private', detail: 'Must be a valid boolean.' },
    });
    expect(
      await env.raw('POST', path, { headers: bearer(), body: { message: 'x', rich_content: { t: 'x'.repeat(100_001) } } }),
    ).toMatchObject({ status: 400, body: { detail: 'Rich content too large (max 100KB).' } });
    env.emulator.state.team(D.projectId)!.conversationsEnabled = false;
    expect(await env.raw('POST', path, { headers: bearer(), body: { message: 'x' } })).toMatchObject({
      status: 400,
      body: { detail: 'Conversations is not enabled.' },
    });
  });
});

describe('TicketAssignmentSerializer: why an assignee is refused', () => {
  it.each([
    ['not an object', 'user:1', 'must be an object'],
    ['a user outside the organisation', { type: 'user', id: 424242 }, 'user is not a member of this organization'],
    ['a role that is not a UUID of the organisation', { type: 'role', id: 'admins' }, 'role does not belong to this organization'],
  ])('%s', async (_, assignee, detail) => {
    const ticket = env.emulator.addTicket();
    const answer = await env.raw('PATCH', `${ticketsPath}/${ticket.id}/`, { headers: bearer(), body: { assignee } });
    expect(answer).toMatchObject({ status: 400, body: { attr: 'assignee', detail } });
    expect(env.emulator.events.filter((e) => e.event === '$conversation_ticket_assigned')).toEqual([]);
  });
});

describe('validate_conversations_settings: the keys PostHog cleans', () => {
  it('dedupes Slack channel ids, makes the Slack flags booleans, keeps bot_reply for how_to only, wants an https bot icon', async () => {
    const { settings } = env.client();
    const updated = await settings.update({
      settings: {
        slack_channel_ids: ['C1', 'C1', '', 'C2'],
        slack_notify_on_join: true,
        slack_nudge_enabled: null,
        ai_reply_modes: { how_to: 'bot_reply', bug: 'bot_reply', billing: 'private_note' },
      },
    });
    expect(updated.settings).toMatchObject({
      slack_channel_ids: ['C1', 'C2'],
      slack_notify_on_join: true,
      slack_nudge_enabled: false,
      ai_reply_modes: { how_to: 'bot_reply', bug: 'private_note', billing: 'private_note' },
    });
    await env.raw('PATCH', `/api/projects/${D.projectId}/`, {
      headers: bearer(),
      body: { conversations_settings: { slack_notify_on_leave: 'yes' } },
    });
    expect((await settings.get()).settings.slack_notify_on_leave).toBe(true);
    const answer = await env.raw('PATCH', `/api/projects/${D.projectId}/`, {
      headers: bearer(),
      body: { conversations_settings: { slack_bot_icon_url: 'http://x.example/i.png' } },
    });
    expect(answer).toMatchObject({ status: 400, body: { detail: 'Must be an HTTPS URL.' } });
  });
});
