/** In-memory store of the emulator, with the server's side effects (counters, events, emails). */
import { randomUUID } from 'node:crypto';
import type {
  EmulatorEmail,
  EmulatorEvent,
  EmulatorMessage,
  EmulatorPerson,
  EmulatorPersonalApiKey,
  EmulatorRestoreToken,
  EmulatorTeam,
  EmulatorTicket,
} from './types.js';

/** Fields a test may set when it seeds a ticket; the rest take the server's defaults. */
export type TicketSeed = Partial<Omit<EmulatorTicket, 'id' | 'ticket_number'>> & { teamId?: number };
/** Fields a test may set when it seeds a message. */
export type MessageSeed = Partial<Omit<EmulatorMessage, 'id' | 'ticketId' | 'teamId'>> & {
  authorType?: string;
  isPrivate?: unknown;
};

function isPublic(message: EmulatorMessage): boolean {
  return message.item_context.is_private !== true;
}

function isTeamMessage(message: EmulatorMessage): boolean {
  const authorType = message.item_context.author_type;
  return authorType === 'AI' || (message.created_by !== null && authorType !== 'customer');
}

/** A staff user of the organisation (the user behind a personal API key). */
export type EmulatorUser = EmulatorPersonalApiKey['user'];

/**
 * Who made a change, as `_get_actor_properties` sees it: a staff user (or `user` with none, as a
 * workflow's assignment is recorded), the system (a snooze waking up), or an external source.
 */
export type EventActor = { type: 'user'; user: EmulatorUser | null } | { type: 'system' } | { type: 'external' };

/** `_get_actor_properties`. */
function actorProperties(actor: EventActor): Record<string, unknown> {
  const user = actor.type === 'user' ? actor.user : null;
  return { actor_type: actor.type, actor_id: user?.id ?? null, actor_email: user?.email ?? null };
}

/** The event's distinct id: the staff user's for their own actions, else the ticket's (`or channel_source or "unknown"`). */
function eventDistinctId(ticket: EmulatorTicket, actor?: EventActor): string {
  if (actor?.type === 'user' && actor.user) return userDistinctId(actor.user);
  return ticket.distinct_id || ticket.channel_source || 'unknown';
}

/** A staff user's PostHog distinct id (`User.distinct_id`). */
export const userDistinctId = (user: EmulatorUser): string => user.distinct_id ?? `staff-user-${user.id}`;

/** `_get_customer_properties` in events.py: `traits.get("name", "")` keeps a null the widget stored. */
function customerProperties(ticket: EmulatorTicket, withDistinctId = false): Record<string, unknown> {
  const traits = ticket.anonymous_traits as Record<string, unknown>;
  return {
    customer_name: Object.hasOwn(traits, 'name') ? traits.name : '',
    customer_email: traits.email || ticket.email_from || '',
    ...(withDistinctId ? { customer_distinct_id: ticket.distinct_id || '' } : {}),
  };
}

/** `_get_assignment_properties`: the ticket's assignee (a user id as a string, a role by UUID and name). */
function assignmentProperties(ticket: EmulatorTicket): Record<string, unknown> {
  const a = ticket.assignee;
  return {
    assignee_type: a?.type ?? null,
    assignee_id: a === null ? null : String(a.id),
    assignee_role_name: a?.type === 'role' ? `Role ${a.id}` : null,
  };
}

/** `_get_sla_properties` in events.py: the SLA in force when the event happened. */
function slaProperties(ticket: EmulatorTicket, now: Date): Record<string, unknown> {
  const due = ticket.sla_due_at;
  if (due === null) return { sla_due_at: null, sla_active: false, sla_breached: false, sla_delta_seconds: null };
  const delta = (now.getTime() - due.getTime()) / 1000;
  return { sla_due_at: due.toISOString(), sla_active: true, sla_breached: delta > 0, sla_delta_seconds: Math.trunc(delta) };
}

// A long-running emulator keeps the newest events only (as it keeps the newest requests and deliveries).
const MAX_KEPT_EVENTS = 10_000;

export class EmulatorState {
  teams: EmulatorTeam[] = [];
  personalApiKeys: EmulatorPersonalApiKey[] = [];
  persons: EmulatorPerson[] = [];
  tickets: EmulatorTicket[] = [];
  messages: EmulatorMessage[] = [];
  restoreTokens: EmulatorRestoreToken[] = [];
  /** Emails the server would have sent, oldest first. */
  outbox: EmulatorEmail[] = [];
  /** Events the server would have captured, oldest first (the newest 10,000). */
  events: EmulatorEvent[] = [];

  constructor(readonly now: () => Date) {}

  team(id: number): EmulatorTeam | undefined {
    return this.teams.find((team) => team.id === id);
  }

  /** Adds a ticket with the server's defaults (as `Ticket.objects.create_with_number`). */
  addTicket(seed: TicketSeed): EmulatorTicket {
    const teamId = seed.teamId ?? this.teams[0]!.id;
    const now = this.now();
    const number = Math.max(0, ...this.tickets.filter((t) => t.teamId === teamId).map((t) => t.ticket_number)) + 1;
    const ticket: EmulatorTicket = {
      channel_source: 'widget',
      channel_detail: null,
      distinct_id: '',
      widget_session_id: randomUUID(),
      status: 'new',
      priority: null,
      assignee: null,
      anonymous_traits: {},
      ai_resolved: false,
      escalation_reason: null,
      created_at: now,
      updated_at: now,
      message_count: 0,
      last_message_at: null,
      last_message_text: null,
      unread_team_count: 0,
      unread_customer_count: 0,
      session_id: null,
      session_context: {},
      sla_due_at: null,
      snoozed_until: null,
      slack_channel_id: null,
      slack_thread_ts: null,
      slack_team_id: null,
      email_subject: null,
      email_from: null,
      email_to: null,
      cc_participants: [],
      github_repo: null,
      github_issue_number: null,
      tags: [],
      identity_verified: false,
      zendesk_ticket_id: null,
      ai_triage: {},
      organization_id: null,
      organization_id_source: null,
      ...seed,
      id: randomUUID(),
      teamId,
      ticket_number: number,
    };
    this.tickets.push(ticket);
    this.#capture(ticket, '$conversation_ticket_created', eventDistinctId(ticket), customerProperties(ticket));
    return ticket;
  }

  /** Adds a message and applies the server's post-save counters (reference §1.5, "How the counters behave"). */
  addMessage(ticket: EmulatorTicket, seed: MessageSeed): EmulatorMessage {
    const { authorType = 'customer', isPrivate = false, ...rest } = seed;
    const message: EmulatorMessage = {
      content: '',
      rich_content: null,
      created_by: null,
      created_at: this.now(),
      deleted: false,
      item_context: { author_type: authorType, is_private: isPrivate },
      ...rest,
      id: randomUUID(),
      teamId: ticket.teamId,
      ticketId: ticket.id,
    };
    this.messages.push(message);
    if (!isPublic(message)) return message;
    ticket.message_count += 1;
    ticket.last_message_at = message.created_at;
    ticket.updated_at = message.created_at;
    ticket.last_message_text = message.content?.slice(0, 500) ?? null;
    if (isTeamMessage(message)) {
      ticket.unread_customer_count += 1;
      // An AI message has no author: the actor is empty and the event goes to the ticket's distinct id.
      const actor: EventActor = { type: 'user', user: message.created_by };
      this.#capture(ticket, '$conversation_message_sent', eventDistinctId(ticket, actor), {
        message_id: message.id,
        message_content: (message.content ?? '').slice(0, 1000),
        author_type: 'team',
        ...actorProperties(actor),
        ...customerProperties(ticket, true),
        ...slaProperties(ticket, this.now()),
        ...assignmentProperties(ticket),
      });
    } else {
      // Any other public message (the customer's, a workflow's) is one the team received.
      this.#capture(ticket, '$conversation_message_received', eventDistinctId(ticket), {
        message_id: message.id,
        message_content: (message.content ?? '').slice(0, 1000),
        author_type: 'customer',
        ...customerProperties(ticket),
        ...assignmentProperties(ticket),
      });
    }
    return message;
  }

  /** Soft-deletes a message: counters go down (floor 0) and `last_message_*` is recomputed. */
  deleteMessage(message: EmulatorMessage): void {
    if (message.deleted) return;
    message.deleted = true;
    const ticket = this.tickets.find((t) => t.id === message.ticketId);
    if (ticket === undefined || !isPublic(message)) return;
    ticket.message_count = Math.max(0, ticket.message_count - 1);
    const last = this.ticketMessages(ticket).filter(isPublic).at(-1);
    ticket.last_message_at = last?.created_at ?? null;
    ticket.last_message_text = last?.content?.slice(0, 500) ?? null;
  }

  /** Non-deleted messages of a ticket, oldest first. */
  ticketMessages(ticket: EmulatorTicket): EmulatorMessage[] {
    return this.messages
      .filter((m) => m.ticketId === ticket.id && !m.deleted)
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  /** Every distinct id of the person that `distinctId` belongs to (just itself when no person has it). */
  personDistinctIds(teamId: number, distinctId: string): string[] {
    const person = this.persons.find((p) => p.teamId === teamId && p.distinctIds.includes(distinctId));
    return person ? person.distinctIds : [distinctId];
  }

  /** Records a status or priority change as `capture_ticket_status_changed` / `_priority_changed` do, after the ticket is saved. */
  recordChange(ticket: EmulatorTicket, field: 'status' | 'priority', from: unknown, to: unknown, actor: EventActor): void {
    if (from === to) return;
    this.#capture(ticket, `$conversation_ticket_${field}_changed`, eventDistinctId(ticket, actor), {
      [`old_${field}`]: from,
      [`new_${field}`]: to,
      ...actorProperties(actor),
      ...customerProperties(ticket, true),
    });
  }

  /** Records an assignment as `capture_ticket_assigned` does, on every request that sets one (changed or not). */
  recordAssignment(ticket: EmulatorTicket, actor: EventActor): void {
    this.#capture(ticket, '$conversation_ticket_assigned', eventDistinctId(ticket, actor), {
      ...assignmentProperties(ticket),
      ...actorProperties(actor),
      ...customerProperties(ticket, true),
    });
  }

  /**
   * `wake_snoozed_tickets`: a ticket whose snooze has passed is unsnoozed and, unless it is already
   * new or open, opened, recorded as a change by the system. PostHog runs it on a schedule; the
   * emulator runs it before each request, so a test that moves `now` sees it at once.
   */
  wakeSnoozed(): void {
    const now = this.now().getTime();
    for (const ticket of this.tickets) {
      if (ticket.snoozed_until === null || ticket.snoozed_until.getTime() > now) continue;
      ticket.snoozed_until = null;
      if (ticket.status === 'new' || ticket.status === 'open') continue;
      const before = ticket.status;
      ticket.status = 'open';
      ticket.updated_at = this.now();
      this.recordChange(ticket, 'status', before, 'open', { type: 'system' });
    }
  }

  /** Called with each event as it is captured (the emulator's webhook deliveries listen here). */
  onEvent: ((event: EmulatorEvent) => void) | undefined;

  #capture(ticket: EmulatorTicket, event: string, distinctId: string, extra: Record<string, unknown>): void {
    const captured: EmulatorEvent = {
      teamId: ticket.teamId,
      event,
      distinct_id: distinctId,
      properties: {
        ticket_id: ticket.id,
        ticket_number: ticket.ticket_number,
        channel_source: ticket.channel_source,
        channel_detail: ticket.channel_detail,
        status: ticket.status,
        priority: ticket.priority,
        ...extra,
      },
    };
    this.events.push(captured);
    if (this.events.length > MAX_KEPT_EVENTS) this.events.splice(0, this.events.length - MAX_KEPT_EVENTS);
    this.onEvent?.(captured);
  }
}
