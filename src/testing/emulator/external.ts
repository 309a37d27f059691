/**
 * The external ticket API used by workflows (`api/external.py` around `api/ticket_actions.py`):
 * Bearer secret API token, GET and PATCH, as `handle_ticket_get` and `handle_ticket_patch` do them.
 */
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../http/constants.js';
import { assignTicket, snoozeTicket } from './ticket-changes.js';
import { Fields, pythonTypeName } from './drf.js';
import { json, type Answer, type Context } from './http.js';
import type { GuardedContext, RouteSpec } from './routes.js';
import { MAX_SLA_AMOUNT_BY_UNIT, SlaError, businessHoursProblem, computeSlaDeadline, type SlaUnit } from './sla.js';
import type { EmulatorState } from './state.js';
import { externalView } from './ticket-views.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';

const PATH = '/api/conversations/external/ticket/<uuid:id>';
const SLA_UNITS = ['minute', 'hour', 'day'] as const;
const TAGS_MODES = ['add', 'set', 'remove'] as const;

// The guard checks the Bearer secret API token (current or backup), then the external throttles;
// another method on the path is the router's 405.
export const externalRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: PATH,
    guard: { kind: 'secret-token' },
    handler: (ctx: GuardedContext) => {
      const ticket = findTicket(ctx.state, ctx.caller.team, ctx.params.id!);
      if (!ticket) return TICKET_NOT_FOUND;
      const view: Record<string, unknown> = externalView(ticket, ctx.state);
      // `wants_first_customer_message_text`: only when asked, the first public message the customer wrote.
      if (wantsFirstCustomerMessage(ctx.query.get('include_first_customer_message_text'))) {
        const first = ctx.state
          .ticketMessages(ticket)
          .find((m) => m.item_context.author_type === 'customer' && m.item_context.is_private !== true);
        view.first_customer_message_text = first?.content ?? null;
      }
      return json(200, view);
    },
  },
  {
    method: 'PATCH',
    path: PATH,
    guard: { kind: 'secret-token' },
    handler: (ctx: GuardedContext) => patch(ctx, ctx.state, ctx.caller.team),
  },
];

const TICKET_NOT_FOUND = json(404, { error: 'Ticket not found' });
const wantsFirstCustomerMessage = (value: string | null) => value !== null && ['true', '1', 'yes'].includes(value.toLowerCase());
const findTicket = (state: EmulatorState, team: EmulatorTeam, id: string) => state.tickets.find((t) => t.id === id && t.teamId === team.id);

/** What `TicketActionUpdateSerializer` accepts, or its errors (every field's, as DRF collects them). */
interface TicketUpdate {
  status: string | undefined;
  priority: string | undefined;
  slaDueAt: Date | null | undefined;
  slaAmount: number | undefined;
  slaUnit: SlaUnit;
  slaBusinessHours: Record<string, unknown> | null | undefined;
  snoozedUntil: Date | null | undefined;
  assignee: unknown;
  tags: string[] | undefined;
  tagsMode: (typeof TAGS_MODES)[number];
}

function validateUpdate(body: Record<string, unknown>): { update: TicketUpdate } | { errors: Record<string, unknown> } {
  const fields = new Fields(body);
  const status = fields.choice('status', TICKET_STATUSES) ?? undefined;
  const priority = fields.choice('priority', TICKET_PRIORITIES) ?? undefined;
  const slaDueAt = fields.dateTime('sla_due_at', { allowNull: true });
  let slaAmount = fields.float('sla_amount', { min: 0.000001, minText: '1e-06' });
  // JSON has no Infinity or NaN literal, but a string does: `validate_sla_amount`.
  if (slaAmount !== undefined && !Number.isFinite(slaAmount)) slaAmount = fields.fail('sla_amount', 'sla_amount must be a finite number');
  const slaUnit = (fields.choice('sla_unit', SLA_UNITS) ?? 'hour') as SlaUnit;
  const hoursProblem = body.sla_business_hours === undefined ? undefined : businessHoursProblem(body.sla_business_hours);
  if (hoursProblem !== undefined) fields.fail('sla_business_hours', hoursProblem);
  const snoozedUntil = fields.dateTime('snoozed_until', { allowNull: true });
  const tags = tagList(fields, body.tags);
  const tagsMode = (fields.choice('tags_mode', TAGS_MODES) ?? 'add') as TicketUpdate['tagsMode'];
  if (!fields.ok) return { errors: fields.errors };
  // `validate()`: only once every field is valid.
  if (slaDueAt !== undefined && slaAmount !== undefined)
    return { errors: { sla_amount: ['Cannot set both sla_due_at and sla_amount in the same request'] } };
  if (slaAmount !== undefined && slaAmount > MAX_SLA_AMOUNT_BY_UNIT[slaUnit]) {
    return { errors: { sla_amount: [`sla_amount must be at most ${MAX_SLA_AMOUNT_BY_UNIT[slaUnit]} when sla_unit is '${slaUnit}'`] } };
  }
  const slaBusinessHours = body.sla_business_hours as Record<string, unknown> | null | undefined;
  return {
    update: { status, priority, slaDueAt, slaAmount, slaUnit, slaBusinessHours, snoozedUntil, assignee: body.assignee, tags, tagsMode },
  };
}

/** `ListField(child=CharField(max_length=200), max_length=100)`, each tag then `tagify`d (trimmed, lowercased). */
function tagList(fields: Fields, raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return fields.fail('tags', 'This field may not be null.');
  if (!Array.isArray(raw)) return fields.fail('tags', `Expected a list of items but got type "${pythonTypeName(raw)}".`);
  const childErrors: Record<string, string[]> = {};
  const tags = raw.map((item, index) => {
    const child = new Fields({ tag: item });
    const tag = child.char('tag', { required: true, max: 200 });
    if (!child.ok) childErrors[index] = child.errors.tag!;
    return tag ?? '';
  });
  if (Object.keys(childErrors).length > 0) return void ((fields.errors as Record<string, unknown>).tags = childErrors);
  if (tags.length > 100) return fields.fail('tags', 'Ensure this field has no more than 100 elements.');
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}

function patch(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  // A workflow step's id (X-PostHog-Hog-Flow-Id) attributes the change; a malformed one is ignored.
  const checked = validateUpdate(ctx.body);
  if ('errors' in checked) return json(400, { error: checked.errors });
  const { update } = checked;
  const ticket = findTicket(state, team, ctx.params.id!);
  if (ticket === undefined) return TICKET_NOT_FOUND;

  // The deadline is computed before anything changes: its error leaves the ticket as it was.
  let slaDueAt = update.slaDueAt;
  if (slaDueAt === undefined && update.slaAmount !== undefined) {
    try {
      slaDueAt = computeSlaDeadline(state.now(), update.slaAmount, update.slaUnit, update.slaBusinessHours);
    } catch (error) {
      if (!(error instanceof SlaError)) throw error;
      return json(400, { error: { sla_amount: [error.message] } });
    }
  }
  // Workflow updates do not emit ticket events (PostHog's docs: they "do not re-emit ticket
  // events", so a workflow cannot trigger itself); only an assignment is recorded, below.
  let saved = false;
  if (update.status !== undefined) {
    ticket.status = update.status;
    saved = true;
  }
  if (update.priority !== undefined) {
    ticket.priority = update.priority;
    saved = true;
  }
  if (slaDueAt !== undefined) {
    ticket.sla_due_at = slaDueAt;
    saved = true;
  }
  if (update.snoozedUntil !== undefined) {
    snoozeTicket(ticket, update.snoozedUntil, update.status !== undefined);
    saved = true;
  }
  if (saved) ticket.updated_at = state.now();
  // `assign_ticket` records it as a user's action with no user: actor_type "user", no id or email.
  if (update.assignee !== undefined && assignTicket(state, ticket, update.assignee, { type: 'user', user: null }) !== true)
    return json(400, { error: 'Failed to assign ticket' });
  if (update.tags !== undefined) applyTags(ticket, update.tags, update.tagsMode);
  return json(200, { ok: true });
}

function applyTags(ticket: EmulatorTicket, tags: string[], mode: TicketUpdate['tagsMode']): void {
  if (mode === 'remove') ticket.tags = ticket.tags.filter((tag) => !tags.includes(tag));
  else if (mode === 'set')
    ticket.tags = [...ticket.tags.filter((tag) => tags.includes(tag)), ...tags.filter((tag) => !ticket.tags.includes(tag))];
  else ticket.tags = [...ticket.tags, ...tags.filter((tag) => !ticket.tags.includes(tag))];
}
