/** The external ticket API used by workflows (reference §4.2): Bearer secret API token, GET and PATCH. */
import { toUuid, isoformat } from './drf.js';
import { json, type Answer, type Context, type Router } from './http.js';
import { parseBusinessHours, SLA_CAPS, slaDueAt } from './sla.js';
import type { EmulatorState } from './state.js';
import { hashKey, type Throttles } from './throttle.js';
import { activityFields, assigneeView, channelFields } from './ticket-views.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';

const PATH = '/api/conversations/external/ticket/<uuid:id>';
const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved'];
const PRIORITIES = ['low', 'medium', 'high'];

export function externalRoutes(router: Router, state: EmulatorState, throttles: Throttles): void {
  router.on('GET', PATH, (ctx) => handle(ctx, state, throttles, (_team, ticket) => json(200, externalView(ticket, state))));
  router.on('PATCH', PATH, (ctx) => handle(ctx, state, throttles, (_team, ticket) => patch(ctx, state, ticket)));
  for (const method of ['POST', 'PUT', 'DELETE']) {
    router.on(method, PATH, () => json(405, { type: 'invalid_request', code: 'method_not_allowed', detail: `Method "${method}" not allowed.`, attr: null }));
  }
}

function authenticate(ctx: Context, state: EmulatorState): { team: EmulatorTeam; token: string } | { answer: Answer } {
  // HTTP strips trailing spaces from header values, so an empty "Bearer " arrives as "Bearer".
  const match = /^Bearer(?:\s+(.*))?$/.exec(ctx.header('authorization') ?? '');
  if (!match) return { answer: json(401, { error: 'Missing or invalid Authorization header' }) };
  const token = (match[1] ?? '').trim();
  if (token === '') return { answer: json(401, { error: 'Empty API key' }) };
  const team = state.teams.find((t) => t.conversationsEnabled && (t.secretApiToken === token || t.secretApiTokenBackup === token));
  return team ? { team, token } : { answer: json(401, { error: 'Invalid API key' }) };
}

function handle(ctx: Context, state: EmulatorState, throttles: Throttles, fn: (team: EmulatorTeam, ticket: EmulatorTicket) => Answer): Answer {
  const id = ctx.params.id!; // a lowercase dashed UUID: the route's converter
  const caller = authenticate(ctx, state);
  if ('answer' in caller) return caller.answer;
  const key = hashKey(caller.token);
  const throttled = throttles.check([['external_burst', key], ['external_sustained', key]]);
  if (throttled) return throttled;
  const ticket = state.tickets.find((t) => t.id === id && t.teamId === caller.team.id);
  return ticket ? fn(caller.team, ticket) : json(404, { error: 'Ticket not found' });
}

export function externalView(ticket: EmulatorTicket, state: EmulatorState) {
  const url = ticket.session_context.current_url;
  return {
    id: ticket.id,
    number: ticket.ticket_number,
    status: ticket.status,
    priority: ticket.priority,
    channel_source: ticket.channel_source,
    channel_detail: ticket.channel_detail,
    distinct_id: ticket.distinct_id,
    ...activityFields(ticket),
    sla: isoformat(ticket.sla_due_at),
    snoozed_until: isoformat(ticket.snoozed_until),
    assignee: assigneeView(ticket, state),
    url: typeof url === 'string' ? url : null,
    ...channelFields(ticket),
    tags: ticket.tags,
  };
}

const fail = (errors: Record<string, string[]>) => json(400, { error: errors });

function patch(ctx: Context, state: EmulatorState, ticket: EmulatorTicket): Answer {
  const b = ctx.body;
  const errors: Record<string, string[]> = {};
  const bad = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (b.status !== undefined && !STATUSES.includes(b.status as string)) bad('status', `"${String(b.status)}" is not a valid choice.`);
  if (b.priority !== undefined && b.priority !== null && !PRIORITIES.includes(b.priority as string)) bad('priority', `"${String(b.priority)}" is not a valid choice.`);
  let due: Date | null | undefined;
  if (b.sla_due_at !== undefined && b.sla_amount !== undefined) bad('non_field_errors', 'Provide either sla_due_at or sla_amount, not both.');
  else if (b.sla_due_at !== undefined) {
    due = b.sla_due_at === null ? null : new Date(String(b.sla_due_at));
    if (due !== null && (typeof b.sla_due_at !== 'string' || Number.isNaN(due.getTime()))) bad('sla_due_at', 'Datetime has wrong format.');
  } else if (b.sla_amount !== undefined) {
    const unit = (b.sla_unit ?? 'hour') as keyof typeof SLA_CAPS;
    const amount = b.sla_amount;
    if (!(unit in SLA_CAPS)) bad('sla_unit', `"${String(unit)}" is not a valid choice.`);
    else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > SLA_CAPS[unit]) bad('sla_amount', `Must be greater than 0 and at most ${SLA_CAPS[unit]} ${unit}s.`);
    else {
      const hours = b.sla_business_hours === undefined || b.sla_business_hours === null ? undefined : parseBusinessHours(b.sla_business_hours);
      if (typeof hours === 'string') bad('sla_business_hours', hours);
      else due = slaDueAt(state.now(), amount, unit, hours);
    }
  }
  const tags = b.tags;
  if (tags !== undefined && (!Array.isArray(tags) || tags.length > 100 || tags.some((t) => typeof t !== 'string' || t.length > 200))) bad('tags', 'At most 100 tags of at most 200 characters.');
  const mode = b.tags_mode ?? 'add';
  if (!['add', 'set', 'remove'].includes(mode as string)) bad('tags_mode', `"${String(mode)}" is not a valid choice.`);
  if (Object.keys(errors).length > 0) return fail(errors);

  // A workflow's id (X-PostHog-Hog-Flow-Id) is recorded as the actor; a malformed one is ignored.
  const actor = toUuid(ctx.header('x-posthog-hog-flow-id')) ?? 'external';
  if (b.status !== undefined) {
    state.recordChange(ticket, 'status', ticket.status, b.status, actor);
    ticket.status = b.status as string;
  }
  if (b.priority !== undefined) {
    state.recordChange(ticket, 'priority', ticket.priority, b.priority, actor);
    ticket.priority = b.priority as string | null;
  }
  if (due !== undefined) ticket.sla_due_at = due;
  if (b.snoozed_until !== undefined) ticket.snoozed_until = b.snoozed_until === null ? null : new Date(String(b.snoozed_until));
  if (Array.isArray(tags)) {
    const names = tags as string[];
    if (mode === 'set') ticket.tags = [...new Set(names)];
    else if (mode === 'remove') ticket.tags = ticket.tags.filter((t) => !names.includes(t));
    else ticket.tags = [...new Set([...ticket.tags, ...names])];
  }
  if (Object.keys(b).length > 0) ticket.updated_at = state.now();
  return json(200, { ok: true });
}
