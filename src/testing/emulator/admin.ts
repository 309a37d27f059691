/** The private ticket API (reference §4.1): list with filters, retrieve, update, messages, reply, counts. */
import { TICKET_VIEWSET } from './auth.js';
import { assignTicket, snoozeTicket } from './ticket-changes.js';
import { Fields, pythonInt, toUuid } from './drf.js';
import { AI_TRIAGE_RESULTS, CHANNEL_DETAILS, CHANNELS, TICKET_ORDERINGS, TICKET_PRIORITIES, TICKET_STATUSES } from './enums.js';
import { drfError, json, type Answer, type Context } from './http.js';
import type { GuardedContext, RouteSpec } from './routes.js';
import type { EmulatorState } from './state.js';
import { adminMessageView, ticketView } from './ticket-views.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';

const HOUR = 3_600_000;

type User = { id: number; first_name: string; email: string };

/** A personal-key guard for one `TicketViewSet` action (its scope comes from the viewset's lists). */
const action = (name: string, load?: 'ticket') =>
  ({ kind: 'personal-key', viewset: TICKET_VIEWSET, action: name, ...(load ? { load } : {}) }) as const;

/** For actions `APIScopePermission` refuses to every personal key: the guard answers 403 before any view runs. */
const refusedToPersonalKeys = (): Answer => json(500, { detail: 'unreachable: the guard refuses this action' });

/** `TicketViewSet`, under /api/projects/ and /api/environments/; `:id` is a UUID or a ticket number. */
export const adminRoutes: RouteSpec[] = ['projects', 'environments'].flatMap((scope): RouteSpec[] => {
  const base = `/api/${scope}/:projectId/conversations/tickets`;
  return [
    { method: 'GET', path: `${base}/`, guard: action('list'), handler: (ctx: GuardedContext) => list(ctx, ctx.state, ctx.caller.team) },
    {
      method: 'GET',
      path: `${base}/unread_count/`,
      guard: action('unread_count'),
      handler: (ctx: GuardedContext) => unreadCount(ctx.state, ctx.caller.team),
    },
    {
      method: 'POST',
      path: `${base}/compose/`,
      guard: action('compose'),
      handler: (ctx: GuardedContext) => compose(ctx, ctx.state, ctx.caller.team, ctx.caller.key!.user),
    },
    // Neither bulk action is in TicketViewSet's scope lists, so no personal API key reaches them.
    { method: 'POST', path: `${base}/bulk_update_status/`, guard: action('bulk_update_status'), handler: refusedToPersonalKeys },
    { method: 'POST', path: `${base}/bulk_update_tags/`, guard: action('bulk_update_tags'), handler: refusedToPersonalKeys },
    {
      method: 'GET',
      path: `${base}/:id/`,
      guard: action('retrieve', 'ticket'),
      handler: (ctx: GuardedContext) => retrieve(ctx.caller.ticket!, ctx.state),
    },
    {
      method: 'PATCH',
      path: `${base}/:id/`,
      guard: action('partial_update', 'ticket'),
      handler: (ctx: GuardedContext) => update(ctx, ctx.state, ctx.caller.ticket!, ctx.caller.key!.user),
    },
    {
      method: 'PUT',
      path: `${base}/:id/`,
      guard: action('update', 'ticket'),
      handler: (ctx: GuardedContext) => update(ctx, ctx.state, ctx.caller.ticket!, ctx.caller.key!.user),
    },
    // `destroy` is not in the write list either: deleting a ticket needs a logged-in session.
    { method: 'DELETE', path: `${base}/:id/`, guard: action('destroy', 'ticket'), handler: refusedToPersonalKeys },
    {
      method: 'GET',
      path: `${base}/:id/messages/`,
      guard: action('messages', 'ticket'),
      handler: (ctx: GuardedContext) => messages(ctx, ctx.state, ctx.caller.ticket!),
    },
    {
      method: 'POST',
      path: `${base}/:id/reply/`,
      guard: action('reply', 'ticket'),
      handler: (ctx: GuardedContext) => reply(ctx, ctx.state, ctx.caller.ticket!, ctx.caller.team, ctx.caller.key!.user),
    },
  ];
});

/** `LimitOffsetPagination` with absolute `next` / `previous` links. */
export function paginate<T>(ctx: Context, items: T[], defaults: { limit: number; max: number }) {
  const limit = Math.min(defaults.max, Math.max(1, Number(ctx.query.get('limit')) || defaults.limit));
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const link = (at: number) => {
    const url = new URL(`http://${ctx.header('host') ?? 'localhost'}${ctx.path}`);
    for (const [k, v] of ctx.query) url.searchParams.set(k, v);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('offset', String(at));
    return url.toString();
  };
  return {
    count: items.length,
    next: offset + limit < items.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, offset + limit),
  };
}

function relativeDate(value: string, now: Date): Date | undefined {
  const match = /^-(\d+)([hdwmy])$/.exec(value);
  if (match) {
    const unit = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR, m: 30 * 24 * HOUR, y: 365 * 24 * HOUR }[match[2] as 'h'];
    return new Date(now.getTime() - Number(match[1]) * unit);
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function listOf(value: string | null | undefined, allowed?: readonly string[]): string[] {
  const values = (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return allowed ? values.filter((v) => allowed.includes(v)) : values;
}

/** A `tags` filter: a JSON array of names; anything else (invalid JSON, not an array) filters nothing. */
function jsonList(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** The `assignee` filter as `safely_get_queryset` reads it; undefined filters nothing (an unreadable id included). */
function assigneeFilter(value: string | undefined): ((t: EmulatorTicket) => boolean) | undefined {
  if (!value) return undefined;
  if (value.toLowerCase() === 'unassigned') return (t) => t.assignee === null;
  if (value.startsWith('user:')) {
    const id = pythonInt(value.slice(5));
    return id === undefined ? undefined : (t) => t.assignee?.type === 'user' && Number(t.assignee.id) === id;
  }
  if (value.startsWith('role:')) {
    const id = toUuid(value.slice(5));
    return id === undefined ? undefined : (t) => t.assignee?.type === 'role' && toUuid(t.assignee.id) === id;
  }
  return undefined;
}

function matchesSearch(state: EmulatorState, ticket: EmulatorTicket, search: string): boolean {
  if (/^\d+$/.test(search)) return ticket.ticket_number === Number(search);
  const needle = search.toLowerCase();
  const fields = [ticket.anonymous_traits.name, ticket.anonymous_traits.email, ticket.email_subject];
  if (fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(needle))) return true;
  return state.ticketMessages(ticket).some((m) => (m.content ?? '').toLowerCase().includes(needle));
}

/** `TicketViewSet.safely_get_queryset`: filters whose values it does not know filter nothing. */
function list(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const q = { get: (name: string): string | undefined => ctx.query.get(name) ?? undefined };
  const now = state.now();
  let tickets = state.tickets.filter((t) => t.teamId === team.id);
  const statuses = listOf(q.get('status'), TICKET_STATUSES);
  if (statuses.length > 0) tickets = tickets.filter((t) => statuses.includes(t.status));
  const priorities = listOf(q.get('priority'), TICKET_PRIORITIES);
  if (priorities.length > 0) tickets = tickets.filter((t) => t.priority !== null && priorities.includes(t.priority));
  for (const [field, known] of [
    ['channel_source', CHANNELS],
    ['channel_detail', CHANNEL_DETAILS],
  ] as const) {
    const value = q.get(field);
    if (value && (known as readonly string[]).includes(value)) tickets = tickets.filter((t) => t[field] === value);
  }
  const assignee = assigneeFilter(q.get('assignee'));
  if (assignee) tickets = tickets.filter(assignee);
  const from = q.get('date_from');
  const fromDate = from && from !== 'all' ? relativeDate(from, now) : undefined;
  if (fromDate) tickets = tickets.filter((t) => t.updated_at >= fromDate);
  const to = q.get('date_to');
  const toDate = to ? relativeDate(to, now) : undefined;
  if (toDate) tickets = tickets.filter((t) => t.updated_at <= toDate);
  // `distinct_ids` and `emails` are or'ed: a customer's tickets by id or by contact email.
  const distinctIds = listOf(q.get('distinct_ids')).slice(0, 100);
  const emails = listOf(q.get('emails'))
    .slice(0, 100)
    .map((e) => e.toLowerCase());
  if (distinctIds.length > 0 || emails.length > 0) {
    tickets = tickets.filter(
      (t) => distinctIds.includes(t.distinct_id) || (t.email_from !== null && emails.includes(t.email_from.toLowerCase())),
    );
  }
  const ids = listOf(q.get('ids'))
    .slice(0, 100)
    .map(toUuid)
    .filter((id) => id !== undefined);
  if (ids.length > 0) tickets = tickets.filter((t) => ids.includes(t.id));
  const triage = listOf(q.get('ai_triage_result'), AI_TRIAGE_RESULTS);
  if (triage.length > 0) tickets = tickets.filter((t) => triage.includes(t.ai_triage.result as string));
  const search = q.get('search');
  if (search && search.length <= 200) tickets = tickets.filter((t) => matchesSearch(state, t, search));
  const sla = q.get('sla');
  const due = (t: EmulatorTicket) => t.sla_due_at?.getTime();
  if (sla === 'breached') tickets = tickets.filter((t) => due(t) !== undefined && due(t)! < now.getTime());
  if (sla === 'at-risk')
    tickets = tickets.filter((t) => due(t) !== undefined && due(t)! >= now.getTime() && due(t)! <= now.getTime() + HOUR);
  if (sla === 'on-track') tickets = tickets.filter((t) => due(t) !== undefined && due(t)! > now.getTime() + HOUR);
  // Whether a snooze time is set, past or not (`snoozed_until__isnull`).
  const snoozed = q.get('snoozed')?.toLowerCase();
  if (snoozed === 'true') tickets = tickets.filter((t) => t.snoozed_until !== null);
  if (snoozed === 'false') tickets = tickets.filter((t) => t.snoozed_until === null);
  const anyTags = jsonList(q.get('tags')).slice(0, 50);
  if (anyTags.length > 0) tickets = tickets.filter((t) => t.tags.some((tag) => anyTags.includes(tag)));
  const allTags = jsonList(q.get('tags_all')).slice(0, 50);
  if (allTags.length > 0) tickets = tickets.filter((t) => allTags.every((tag) => t.tags.includes(tag)));
  const noTags = jsonList(q.get('tags_exclude')).slice(0, 50);
  if (noTags.length > 0) tickets = tickets.filter((t) => !t.tags.some((tag) => noTags.includes(tag)));

  const order = q.get('order_by') ?? '-updated_at';
  const field = order.replace(/^-/, '');
  const known = (TICKET_ORDERINGS as readonly string[]).includes(field);
  const key = known ? (field as 'updated_at') : 'updated_at';
  const sign = order.startsWith('-') || !known ? -1 : 1;
  const value = (t: EmulatorTicket) => {
    const v = t[key] as Date | number | null;
    return v === null ? Number.POSITIVE_INFINITY : typeof v === 'number' ? v : v.getTime();
  };
  tickets.sort((a, b) => sign * (value(a) - value(b)) || sign * (a.ticket_number - b.ticket_number));
  const page = paginate(ctx, tickets, { limit: 100, max: 1000 });
  return json(200, { ...page, results: page.results.map((t) => ticketView(t, state)) });
}

function retrieve(ticket: EmulatorTicket, state: EmulatorState): Answer {
  ticket.unread_team_count = 0; // an agent has seen it
  return json(200, ticketView(ticket, state));
}

function invalidField(attr: string, detail: string, code = 'invalid'): Answer {
  return drfError(400, 'validation_error', code, detail, attr);
}

/**
 * `TicketViewSet.partial_update`: the assignment first (recorded inside the transaction), then the
 * fields, then, after the save, one status event from the old status to the final one (a snooze's
 * automatic status included) and one priority event, both by the request's user.
 */
function update(ctx: Context, state: EmulatorState, ticket: EmulatorTicket, user: User): Answer {
  const fields = new Fields(ctx.body);
  const status = fields.choice('status', TICKET_STATUSES);
  const priority = fields.choice('priority', TICKET_PRIORITIES, { allowNull: true });
  const slaDueAt = fields.dateTime('sla_due_at', { allowNull: true });
  const snoozedUntil = fields.dateTime('snoozed_until', { allowNull: true });
  const traits = fields.has('anonymous_traits') ? fields.dict('anonymous_traits') : undefined;
  if (!fields.ok) {
    const [attr, messages] = Object.entries(fields.errors)[0]!;
    return invalidField(attr, messages[0]!, messages[0]!.includes('valid choice') ? 'invalid_choice' : 'invalid');
  }
  const body = ctx.body;
  const actor = { type: 'user', user } as const;
  const assigned = body.assignee === undefined ? true : assignTicket(state, ticket, body.assignee, actor);
  if (assigned !== true) return invalidField('assignee', assigned);
  const before = { status: ticket.status, priority: ticket.priority };
  if (status !== undefined) ticket.status = status!;
  if (priority !== undefined) ticket.priority = priority;
  if (slaDueAt !== undefined) ticket.sla_due_at = slaDueAt;
  if (snoozedUntil !== undefined) snoozeTicket(ticket, snoozedUntil, status !== undefined);
  if (traits !== undefined) ticket.anonymous_traits = traits;
  if (typeof body.ai_resolved === 'boolean') ticket.ai_resolved = body.ai_resolved;
  if (body.escalation_reason !== undefined) ticket.escalation_reason = body.escalation_reason as string | null;
  if (Array.isArray(body.tags)) ticket.tags = [...new Set(body.tags.map((tag) => tagify(String(tag))))]; // set_tags_on_object
  ticket.updated_at = state.now();
  state.recordChange(ticket, 'status', before.status, ticket.status, actor);
  state.recordChange(ticket, 'priority', before.priority, ticket.priority, actor);
  return json(200, ticketView(ticket, state));
}

function messages(ctx: Context, state: EmulatorState, ticket: EmulatorTicket): Answer {
  const page = paginate(ctx, state.ticketMessages(ticket), { limit: 50, max: 200 });
  return json(200, { ...page, results: page.results.map((m) => adminMessageView(m, ticket)) });
}

const RICH_CONTENT_MAX = 100_000;
const richContentTooLarge = (rich: unknown) => rich !== undefined && rich !== null && JSON.stringify(rich).length > RICH_CONTENT_MAX;

/** `TicketViewSet.reply`: the message on the ticket's channel, or a private note (`is_private` a BooleanField). */
function reply(ctx: Context, state: EmulatorState, ticket: EmulatorTicket, team: EmulatorTeam, user: User): Answer {
  if (!team.conversationsEnabled) return json(400, { detail: 'Conversations is not enabled.' });
  const fields = new Fields(ctx.body);
  const message = fields.char('message', { required: true, max: 5000 });
  const isPrivate = fields.boolean('is_private') ?? false;
  const rich = ctx.body.rich_content;
  if (richContentTooLarge(rich)) fields.fail('rich_content', 'Rich content too large (max 100KB).');
  if (!fields.ok) {
    const [attr, list] = Object.entries(fields.errors)[0]!;
    return invalidField(attr, list[0]!);
  }
  const created = state.addMessage(ticket, {
    content: message!,
    rich_content: rich ?? null,
    created_by: user,
    item_context: { author_type: 'support', is_private: isPrivate },
  });
  return json(201, adminMessageView(created, ticket));
}

/**
 * `TicketViewSet.compose`: a new outbound email ticket (status open, channel email, no verified
 * identity) with the agent's first message; `ticket_created`, then `message_sent`.
 */
function compose(ctx: Context, state: EmulatorState, team: EmulatorTeam, user: User): Answer {
  const fields = new Fields(ctx.body);
  const recipientEmail = fields.email('recipient_email', { required: true });
  const recipientDistinctId = fields.char('recipient_distinct_id', { max: 400, allowNull: true, allowBlank: true });
  const subject = fields.char('email_subject', { max: 500, allowNull: true, allowBlank: true });
  const configId = fields.uuid('email_config_id', { required: true });
  const raw = ctx.body.message;
  const message =
    typeof raw === 'string' && raw.trim() === ''
      ? fields.fail('message', 'Message content is required.')
      : fields.char('message', { required: true, max: 5000 });
  const rich = ctx.body.rich_content;
  if (richContentTooLarge(rich)) fields.fail('rich_content', 'Rich content too large (max 100KB).');
  const tags = ctx.body.tags;
  if (
    tags !== undefined &&
    (!Array.isArray(tags) || tags.length > 100 || tags.some((t) => typeof t !== 'string' || t.trim() === '' || t.length > 255))
  ) {
    fields.fail('tags', 'Tags must be a list of at most 100 non-blank names of at most 255 characters.');
  }
  if (!fields.ok) {
    const [attr, list] = Object.entries(fields.errors)[0]!;
    return invalidField(attr, list[0]!);
  }
  if (!team.conversationsEnabled) return json(400, { detail: 'Conversations is not enabled.' });
  if (team.settings.email_enabled !== true) return json(400, { detail: 'Email channel is not enabled.' });
  const config = team.emailConfigs.find((c) => c.id === configId);
  if (!config?.domainVerified) return json(400, { detail: 'Email configuration not found or domain not verified.' });
  const distinctId = recipientDistinctId || '';
  if (distinctId !== '') {
    const person = state.persons.find((p) => p.teamId === team.id && p.distinctIds.includes(distinctId));
    const onFile = person?.properties.email;
    if (typeof onFile === 'string' && onFile.toLowerCase() !== recipientEmail!.toLowerCase()) {
      return json(400, { detail: "Recipient email does not match the person's email on file." });
    }
  }
  const ticket = state.addTicket({
    teamId: team.id,
    channel_source: 'email',
    status: 'open',
    distinct_id: distinctId,
    identity_verified: null,
    anonymous_traits: { email: recipientEmail },
    email_from: recipientEmail!,
    email_to: config.fromEmail,
    email_subject: subject || null,
    tags: Array.isArray(tags) ? [...new Set((tags as string[]).map(tagify))] : [],
  });
  state.addMessage(ticket, {
    content: message!,
    rich_content: rich ?? null,
    created_by: user,
    item_context: { author_type: 'support', is_private: false },
  });
  return json(201, { id: ticket.id, ticket_number: ticket.ticket_number });
}

/** `tagify`: tags are stored trimmed and lowercased. */
const tagify = (tag: string) => tag.trim().toLowerCase();

function unreadCount(state: EmulatorState, team: EmulatorTeam): Answer {
  if (!team.conversationsEnabled) return json(200, { count: 0 });
  const count = state.tickets
    .filter((t) => t.teamId === team.id && t.status !== 'resolved')
    .reduce((sum, t) => sum + t.unread_team_count, 0);
  return json(200, { count });
}
