/** The restore flow R1-R2 (reference §2): email a one-hour link, redeem it into a new browser session. */
import { createHash, randomBytes } from 'node:crypto';
import { Fields } from './drf.js';
import { json, type Answer, type Context } from './http.js';
import { urlDomainAllowed, urlMatchesOrigin } from './origin.js';
import type { GuardedContext, RouteSpec } from './routes.js';
import type { EmulatorState } from './state.js';
import type { EmulatorTeam, EmulatorTicket } from './types.js';
import { buildRestoreUrl, isDjangoUrl } from './urls.js';

const BASE = '/api/conversations/v1/widget/restore';
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

// The guard checks the token, the origin and the restore switch, in the server's order.
export const restoreRoutes: RouteSpec[] = [
  {
    method: 'POST',
    path: `${BASE}/request`,
    guard: { kind: 'restore', throttle: 'restore-request' },
    handler: (ctx: GuardedContext) => requestLink(ctx, ctx.state, ctx.caller.team),
  },
  {
    method: 'POST',
    path: BASE,
    guard: { kind: 'restore', throttle: 'restore-redeem' },
    handler: (ctx: GuardedContext) => redeem(ctx, ctx.state, ctx.caller.team),
  },
];

/**
 * `find_tickets_by_email`: `anonymous_traits.email` case-insensitively, or a distinct id of a person
 * whose `properties.email` equals the lowercased email exactly (as the HogQL query compares it).
 */
function ticketsForEmail(state: EmulatorState, team: EmulatorTeam, email: string): EmulatorTicket[] {
  const wanted = email.trim().toLowerCase();
  const personIds = new Set(
    state.persons
      .filter((p) => p.teamId === team.id && p.properties.email === wanted)
      .flatMap((p) => p.distinctIds)
      .slice(0, 1000),
  );
  return state.tickets.filter((t) => {
    if (t.teamId !== team.id) return false;
    const traitEmail = t.anonymous_traits.email;
    return (typeof traitEmail === 'string' && traitEmail.toLowerCase() === wanted) || personIds.has(t.distinct_id);
  });
}

function requestLink(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const fields = new Fields(ctx.body);
  const email = fields.char('email', { required: true, max: 254 });
  const requestUrl = fields.char('request_url', { required: true, max: 2048 });
  if (email && !EMAIL.test(email)) fields.fail('email', 'Enter a valid email address.');
  if (requestUrl && !isDjangoUrl(requestUrl)) fields.fail('request_url', 'Enter a valid URL.');
  if (!fields.ok) return json(400, { error: 'Invalid request data', details: fields.errors });
  if (!urlMatchesOrigin(ctx, requestUrl!)) return json(403, { error: 'URL must match request origin' });
  if (!urlDomainAllowed(requestUrl!, team.settings)) return json(403, { error: 'URL domain not allowed' });

  if (ticketsForEmail(state, team, email!).length > 0) {
    const token = randomBytes(32).toString('base64url');
    state.restoreTokens.push({
      teamId: team.id,
      tokenHash: sha256(token),
      recipientEmail: email!.toLowerCase(),
      expiresAt: new Date(state.now().getTime() + TOKEN_LIFETIME_MS),
      consumedAt: null,
      consumedByWidgetSessionId: null,
    });
    state.outbox.push({
      template: 'conversation_restore',
      to: [email!],
      subject: `Restore your conversations with ${team.name}`,
      context: { team_name: team.name, restore_url: buildRestoreUrl(requestUrl!, token) },
    });
  }
  // Always the same answer, so nobody can learn which emails have tickets.
  return json(200, { ok: true });
}

function redeem(ctx: Context, state: EmulatorState, team: EmulatorTeam): Answer {
  const fields = new Fields(ctx.body);
  const token = fields.char('restore_token', { required: true, min: 40, max: 50 });
  const sessionId = fields.uuid('widget_session_id', { required: true });
  if (!fields.ok) return json(400, { error: 'Invalid request data', details: fields.errors });

  const now = state.now();
  const record = state.restoreTokens.find((t) => t.teamId === team.id && t.tokenHash === sha256(token!));
  if (record === undefined) return json(200, { status: 'invalid', code: 'token_invalid' });
  if (record.consumedAt !== null) return json(200, { status: 'used', code: 'token_already_used' });
  if (record.expiresAt <= now) return json(200, { status: 'expired', code: 'token_expired' });
  record.consumedAt = now;
  record.consumedByWidgetSessionId = sessionId!;

  const migrated = ticketsForEmail(state, team, record.recipientEmail);
  for (const ticket of migrated) ticket.widget_session_id = sessionId!;
  for (const other of state.restoreTokens) {
    if (
      other !== record &&
      other.teamId === team.id &&
      other.recipientEmail === record.recipientEmail &&
      other.consumedAt === null &&
      other.expiresAt > now
    ) {
      other.consumedAt = now;
    }
  }
  const body: Record<string, unknown> = { status: 'success', widget_session_id: sessionId };
  if (migrated.length > 0) body.migrated_ticket_ids = migrated.map((t) => t.id);
  return json(200, body);
}
