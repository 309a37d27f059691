/** How tickets and messages are serialised: the inbox API's views (reference §4.1) and the external API's (§4.2). */
import { isoformat } from './drf.js';
import type { EmulatorState } from './state.js';
import type { EmulatorMessage, EmulatorTicket } from './types.js';

export function assigneeView(ticket: EmulatorTicket, state: EmulatorState) {
  const a = ticket.assignee;
  if (a === null) return null;
  const user = a.type === 'user' ? state.personalApiKeys.find((k) => k.user.id === a.id)?.user : undefined;
  return { id: a.id, type: a.type, user: user ? { email: user.email } : null, role: a.type === 'role' ? { name: `Role ${a.id}` } : null };
}

function personView(ticket: EmulatorTicket, state: EmulatorState) {
  const person = state.persons.find((p) => p.teamId === ticket.teamId && p.distinctIds.includes(ticket.distinct_id));
  if (!person) return null;
  const name = (person.properties.name as string | undefined) ?? (person.properties.email as string | undefined) ?? person.distinctIds[0];
  return { id: person.uuid, name, distinct_ids: person.distinctIds, properties: person.properties, created_at: null, is_identified: true };
}

/** Timestamps, counts and the last message: the same in the admin and the external ticket views. */
export function activityFields(ticket: EmulatorTicket) {
  return {
    created_at: isoformat(ticket.created_at),
    updated_at: isoformat(ticket.updated_at),
    message_count: ticket.message_count,
    last_message_at: isoformat(ticket.last_message_at),
    last_message_text: ticket.last_message_text,
    unread_team_count: ticket.unread_team_count,
    unread_customer_count: ticket.unread_customer_count,
  };
}

/** The Slack and email fields: the same in the admin and the external ticket views. */
export function channelFields(ticket: EmulatorTicket) {
  return {
    slack_channel_id: ticket.slack_channel_id,
    slack_thread_ts: ticket.slack_thread_ts,
    slack_team_id: ticket.slack_team_id,
    email_subject: ticket.email_subject,
    email_from: ticket.email_from,
    email_to: ticket.email_to,
    cc_participants: ticket.cc_participants,
  };
}

export function ticketView(ticket: EmulatorTicket, state: EmulatorState) {
  return {
    id: ticket.id,
    ticket_number: ticket.ticket_number,
    channel_source: ticket.channel_source,
    channel_detail: ticket.channel_detail,
    distinct_id: ticket.distinct_id,
    status: ticket.status,
    priority: ticket.priority,
    assignee: assigneeView(ticket, state),
    anonymous_traits: ticket.anonymous_traits,
    ai_resolved: ticket.ai_resolved,
    escalation_reason: ticket.escalation_reason,
    ...activityFields(ticket),
    session_id: ticket.session_id,
    session_context: ticket.session_context,
    sla_due_at: isoformat(ticket.sla_due_at),
    snoozed_until: isoformat(ticket.snoozed_until),
    ...channelFields(ticket),
    github_repo: ticket.github_repo,
    github_issue_number: ticket.github_issue_number,
    zendesk_ticket_id: ticket.zendesk_ticket_id,
    identity_verified: ticket.identity_verified,
    ai_triage: ticket.ai_triage,
    organization_id: ticket.organization_id,
    organization_id_source: ticket.organization_id_source,
    person: personView(ticket, state),
    tags: ticket.tags,
  };
}

/**
 * A message's author as the server names it: the staff user's first name or email, the customer's
 * name or email from traits (else `customerFallback`: "You" in the widget, "Customer" for agents),
 * "PostHog Assistant" for AI, else "Support".
 */
export function authorOf(message: EmulatorMessage, ticket: EmulatorTicket, customerFallback: string) {
  const authorType = (message.item_context.author_type as string | undefined) ?? 'customer';
  const traits = ticket.anonymous_traits;
  const authorName = message.created_by
    ? message.created_by.first_name || message.created_by.email
    : authorType === 'customer'
      ? (traits.name as string) || (traits.email as string) || customerFallback
      : authorType === 'AI'
        ? 'PostHog Assistant'
        : 'Support';
  return { authorType, authorName };
}

/** The admin message shape: private notes included, `is_private` true only for a real `true`. */
export function adminMessageView(message: EmulatorMessage, ticket: EmulatorTicket) {
  const { authorType, authorName } = authorOf(message, ticket, 'Customer');
  return {
    id: message.id,
    content: message.content,
    rich_content: message.rich_content,
    author_type: authorType,
    author_name: authorName,
    is_private: message.item_context.is_private === true,
    created_at: isoformat(message.created_at),
  };
}

/** `handle_ticket_get`'s hand-built payload: `number`, `sla`, `url` and tag names. */
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
