/** Assigning a ticket (`assign_ticket` in `api/tickets.py`), shared by the inbox and the external API. */
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
