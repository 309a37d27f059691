/** The widget endpoints W1-W4 (reference §1.5), checks in the server's order. */
import { pythonStrip } from '../../identity/rules.js';
import { Fields, isoformat, pythonStr, toUuid } from './drf.js';
import { TICKET_STATUSES } from './enums.js';
import { json, queryData, type Answer, type Context } from './http.js';
import { originAllowed } from './origin.js';
import type { GuardedContext, RouteSpec } from './routes.js';
import type { EmulatorState } from './state.js';
import { authorOf } from './ticket-views.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';
import { access, identitySessionId, readAuthFields, resolveViewer, type Viewer } from './viewer.js';

const BASE = '/api/conversations/v1/widget';
const FORBIDDEN = json(403, { error: 'Forbidden' });
const invalid = (fields: Fields) => json(400, { error: 'Invalid request data', details: fields.errors });

const cut = (value: string, max: number) => Array.from(value).slice(0, max).join('');
const isSimple = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** `validate_traits`: at most 50 keys of at most 200 characters; values become strings cut to 500. */
function sanitizeTraits(traits: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (Object.keys(out).length >= 50) break;
    if (key.length > 200 || !isSimple(value)) continue;
    out[key] = value === null ? null : cut(pythonStr(value), 500);
  }
  return out;
}

/** `validate_session_context`: at most 20 keys of at most 100 characters; strings cut to 2000, other types kept. */
function sanitizeContext(context: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (Object.keys(out).length >= 20) break;
    if (key.length > 100 || !isSimple(value)) continue;
    out[key] = typeof value === 'string' ? cut(value, 2000) : value;
  }
  return out;
}

export const widgetRoutes: RouteSpec[] = [
  {
    method: 'POST',
    path: `${BASE}/message`,
    guard: { kind: 'widget', throttle: 'write' },
    handler: (ctx: GuardedContext) => sendMessage(ctx, ctx.state, ctx.caller.team),
  },
  {
    method: 'GET',
    path: `${BASE}/tickets`,
    guard: { kind: 'widget', throttle: 'poll' },
    handler: (ctx: GuardedContext) => listTickets(ctx, ctx.state, ctx.caller.team),
  },
  {
    method: 'GET',
    path: `${BASE}/messages/<uuid:ticketId>`,
    guard: { kind: 'widget', throttle: 'poll' },
    handler: (ctx: GuardedContext) => getMessages(ctx, ctx.state, ctx.caller.team),
  },
  {
    method: 'POST',
    path: `${BASE}/messages/<uuid:ticketId>/read`,
    guard: { kind: 'widget', throttle: 'write' },
    handler: (ctx: GuardedContext) => markRead(ctx, ctx.state, ctx.caller.team),
  },
];

function sendMessage(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  if (ctx.body._hp) return json(400, { error: 'Invalid request' });
  if (!originAllowed(ctx, team.settings)) return json(403, { error: 'Origin not allowed' });

  const fields = new Fields(ctx.body);
  const auth = readAuthFields(fields);
  let distinctId = fields.char('distinct_id', { max: 400 }) ?? undefined;
  const rawMessage = fields.char('message', { required: true, max: 10_000 });
  const traits = fields.dict('traits');
  const sessionId = fields.char('session_id', { max: 64, allowNull: true });
  const sessionContext = fields.dict('session_context');
  const hasIdentity = fields.has('identity_distinct_id') && fields.has('identity_hash');
  if (fields.ok && hasIdentity && distinctId === undefined) distinctId = auth.distinctId;
  else if (fields.ok && auth.sessionId !== undefined && !hasIdentity && distinctId === undefined) {
    fields.fail('non_field_errors', 'distinct_id is required when using widget_session_id');
  }
  if (!fields.ok) return invalid(fields);
  const message = pythonStrip(rawMessage!);

  const viewer = resolveViewer(team, auth, state.now());
  if (viewer === 'forbidden') return FORBIDDEN;
  const identityMode = viewer.verifiedId !== undefined;
  if (identityMode) distinctId = viewer.verifiedId;
  if (!identityMode && viewer.sessionId === undefined) return FORBIDDEN;

  const cleanTraits = sanitizeTraits(traits ?? {});
  const cleanContext = sanitizeContext(sessionContext ?? {});
  let ticket: EmulatorTicket;
  const rawTicketId = ctx.body.ticket_id;
  if (rawTicketId) {
    const ticketId = toUuid(rawTicketId);
    if (ticketId === undefined) return json(400, { error: 'Invalid ticket_id format' });
    const found = state.tickets.find((t) => t.id === ticketId && t.teamId === team.id);
    if (found === undefined) return json(404, { error: 'Ticket not found' });
    const via = access(state, viewer, found);
    if (via === undefined) return FORBIDDEN;
    ticket = found;
    // Only a verified owner by distinct id rebinds the ticket; bridged or anonymous senders change nothing.
    if (via === 'identity') {
      ticket.distinct_id = distinctId!;
      ticket.identity_verified = true;
    }
    Object.assign(ticket.anonymous_traits, cleanTraits);
    if (sessionId) ticket.session_id = sessionId;
    Object.assign(ticket.session_context, cleanContext);
    ticket.unread_team_count += 1;
    ticket.updated_at = state.now();
  } else {
    ticket = state.addTicket({
      teamId: team.id,
      widget_session_id: identityMode ? identitySessionId(viewer.identityHash!) : viewer.sessionId!,
      distinct_id: distinctId!,
      channel_source: 'widget',
      channel_detail: team.settings.widget_enabled ? 'widget_embedded' : 'widget_api',
      status: 'new',
      anonymous_traits: cleanTraits,
      unread_team_count: 1,
      session_id: sessionId ?? null,
      session_context: cleanContext,
      identity_verified: identityMode,
    });
  }
  const comment = state.addMessage(ticket, {
    content: message,
    item_context: { author_type: 'customer', distinct_id: distinctId, is_private: false },
  });
  const recipients = team.settings.notification_recipients;
  if (!rawTicketId && Array.isArray(recipients) && recipients.length > 0) {
    state.outbox.push({
      template: 'new_conversation_ticket',
      to: recipients.map(String),
      subject: `[Ticket #${ticket.ticket_number}] New support ticket in ${team.name}`,
      context: {
        team_name: team.name,
        ticket_number: ticket.ticket_number,
        customer_name: cleanTraits.name ?? null,
        customer_email: cleanTraits.email ?? null,
        first_message: message.slice(0, 500),
        ticket_url: `/project/${team.id}/support/tickets/${ticket.ticket_number}`,
      },
    });
  }
  return json(200, {
    ticket_id: ticket.id,
    message_id: comment.id,
    ticket_status: ticket.status,
    unread_count: ticket.unread_customer_count,
    created_at: isoformat(comment.created_at),
  });
}

function owned(state: EmulatorState, viewer: Viewer | 'forbidden', ticket: EmulatorTicket | undefined): Answer | undefined {
  if (ticket === undefined) return json(404, { error: 'Ticket not found' });
  if (viewer === 'forbidden' || access(state, viewer, ticket) === undefined) return FORBIDDEN;
  return undefined;
}

function getMessages(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const fields = new Fields(queryData(ctx.query));
  const auth = readAuthFields(fields);
  const ticketId = ctx.params.ticketId!; // a UUID already: the route's converter
  const after = fields.dateTime('after', { allowNull: true });
  const limit = fields.int('limit', { min: 1, max: 500, fallback: 500 })!;
  if (!fields.ok) return invalid(fields);
  const ticket = state.tickets.find((t) => t.id === ticketId && t.teamId === team.id);
  const refused = owned(state, ticket === undefined ? 'forbidden' : resolveViewer(team, auth, state.now()), ticket);
  if (refused) return refused;
  const t = ticket!;
  const messages = state
    .ticketMessages(t)
    .filter((m) => m.item_context.is_private !== true && (!after || m.created_at > after))
    .slice(0, limit)
    .map((m) => {
      const { authorType, authorName } = authorOf(m, t, 'You');
      return {
        id: m.id,
        content: m.content,
        rich_content: m.rich_content,
        author_type: authorType,
        author_name: authorName,
        created_at: isoformat(m.created_at),
      };
    });
  return json(200, {
    ticket_id: t.id,
    ticket_status: t.status,
    unread_count: t.unread_customer_count,
    messages,
    has_more: messages.length === limit,
  });
}

function markRead(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const fields = new Fields(ctx.body);
  const auth = readAuthFields(fields);
  const ticketId = ctx.params.ticketId!;
  if (!fields.ok) return invalid(fields);
  const ticket = state.tickets.find((t) => t.id === ticketId && t.teamId === team.id);
  const refused = owned(state, ticket === undefined ? 'forbidden' : resolveViewer(team, auth, state.now()), ticket);
  if (refused) return refused;
  ticket!.unread_customer_count = 0;
  return json(200, { success: true, unread_count: 0 });
}

function listTickets(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const fields = new Fields(queryData(ctx.query));
  const auth = readAuthFields(fields);
  const status = fields.choice('status', TICKET_STATUSES, { allowNull: true });
  const limit = fields.int('limit', { min: 1, max: 500, fallback: 100 })!;
  const offset = fields.int('offset', { min: 0, fallback: 0 })!;
  if (!fields.ok) return invalid(fields);
  const viewer = resolveViewer(team, auth, state.now());
  if (viewer === 'forbidden') return FORBIDDEN;
  const visible = state.tickets
    .filter((t) => t.teamId === team.id && access(state, viewer, t) !== undefined && (!status || t.status === status))
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || b.ticket_number - a.ticket_number);
  const results = visible.slice(offset, offset + limit).map((t) => ({
    id: t.id,
    ticket_number: t.ticket_number,
    status: t.status,
    unread_count: t.unread_customer_count,
    last_message: t.last_message_text,
    last_message_at: isoformat(t.last_message_at),
    message_count: t.message_count,
    created_at: isoformat(t.created_at),
  }));
  return json(200, { count: visible.length, results });
}
