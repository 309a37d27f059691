/** Changes both ticket APIs make the same way (the inbox's `update` and `handle_ticket_patch`). */
import { toUuid } from './drf.js';
import type { EmulatorState } from './state.js';
import type { EmulatorTicket } from './types.js';

/**
 * Assigns `ticket` to `{ type: 'user', id }` (a user of the organisation), `{ type: 'role', id }` or
 * `null` (unassigned), recording the change. False, with nothing changed, for an unknown assignee.
 */
export function assignTicket(state: EmulatorState, ticket: EmulatorTicket, raw: unknown, actor: string): boolean {
  const a = raw as { type?: unknown; id?: unknown } | null;
  const known = a === null || (typeof a === 'object' && ((a.type === 'user' && state.personalApiKeys.some((k) => k.user.id === a.id)) || (a.type === 'role' && toUuid(a.id) !== undefined)));
  if (!known) return false;
  const next = a === null ? null : { type: a.type as 'user' | 'role', id: a.id as number | string };
  const changed = JSON.stringify(next) !== JSON.stringify(ticket.assignee);
  ticket.assignee = next;
  if (changed) state.recordAssignment(ticket, next, actor);
  return true;
}

/**
 * Sets the snooze; when it changed and the request sent no status, snoozing puts the ticket on hold
 * and waking it opens it (recorded as a status change).
 */
export function snoozeTicket(state: EmulatorState, ticket: EmulatorTicket, until: Date | null, statusSent: boolean, actor: string): void {
  const before = ticket.snoozed_until;
  ticket.snoozed_until = until;
  if (statusSent || (before?.getTime() ?? null) === (until?.getTime() ?? null)) return;
  const auto = until === null ? 'open' : before === null ? 'on_hold' : undefined;
  if (auto === undefined || auto === ticket.status) return;
  state.recordChange(ticket, 'status', ticket.status, auto, actor);
  ticket.status = auto;
}
