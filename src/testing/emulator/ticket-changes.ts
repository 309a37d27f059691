/** Changes both ticket APIs make the same way (the inbox's `update` and `handle_ticket_patch`). */
import { toUuid } from './drf.js';
import type { EmulatorState, EventActor } from './state.js';
import type { EmulatorTicket } from './types.js';

/**
 * Assigns `ticket` to `{ type: 'user', id }` (a user of the organisation), `{ type: 'role', id }` or
 * `null` (unassigned), recording it (PostHog records every assignment request, changed or not).
 * For an assignee it cannot use, nothing changes and the answer is the serializer's reason.
 */
export function assignTicket(state: EmulatorState, ticket: EmulatorTicket, raw: unknown, actor: EventActor): true | string {
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) return 'must be an object';
  const a = raw as { type?: unknown; id?: unknown } | null;
  if (a !== null && a.type === 'role' && toUuid(a.id) === undefined) return 'role does not belong to this organization';
  if (a !== null && a.type !== 'role' && !(a.type === 'user' && state.personalApiKeys.some((k) => k.user.id === a.id)))
    return 'user is not a member of this organization';
  ticket.assignee = a === null ? null : { type: a.type as 'user' | 'role', id: a.id as number | string };
  state.recordAssignment(ticket, actor);
  return true;
}

/**
 * Sets the snooze; when it changed and the request sent no status, snoozing puts the ticket on hold
 * and waking it opens it. The caller records the status change (one event from the old status to
 * the final one, as PostHog's views do).
 */
export function snoozeTicket(ticket: EmulatorTicket, until: Date | null, statusSent: boolean): void {
  const before = ticket.snoozed_until;
  ticket.snoozed_until = until;
  if (statusSent || (before?.getTime() ?? null) === (until?.getTime() ?? null)) return;
  const auto = until === null ? 'open' : before === null ? 'on_hold' : undefined;
  if (auto !== undefined) ticket.status = auto;
}
