import * as z from 'zod';
import { AI_TRIAGE_RESULTS } from '../http/constants.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, isoDate, messageFields, knownOr, maxChars, strictInput, uuid } from '../http/schemas.js';
import { responseObject } from '../http/tolerant.js';

const status = knownOr(TICKET_STATUSES);

// ---- inputs

/** A ticket's UUID, or its integer number (`ticket_number`). */
export const ticketRef = z.union([uuid, z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a UUID or a ticket number')]);

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]);

const listTicketsShape = {
  status: oneOrMany(z.enum(TICKET_STATUSES)).optional(),
  priority: oneOrMany(z.enum(TICKET_PRIORITIES)).optional(),
  channelSource: z.string().optional(),
  channelDetail: z.string().optional(),
  /** `'unassigned'`, `{ type: 'user', id }` or `{ type: 'role', id }`. */
  assignee: z
    .union([z.literal('unassigned'), strictInput({ type: z.enum(['user', 'role']), id: z.union([z.number(), z.string()]) }, 'assignee')])
    .optional(),
  dateFrom: z.union([isoDate, z.literal('all')]).optional(),
  dateTo: isoDate.optional(),
  distinctIds: z.array(z.string()).max(100).optional(),
  /** Only these tickets (at most 100 UUIDs); unlike `get`, listing does not mark them read. */
  ids: z.array(uuid).max(100).optional(),
  /** Tickets whose contact email (`email_from`) is one of these, case-insensitively (or'ed with `distinctIds`). */
  emails: z.array(z.string().max(254)).max(100).optional(),
  /** PostHog's AI triage outcome: `persisted`, `escalated_with_best`, `escalated_no_reply`, `skipped_unactionable`, `blocked_unsafe`, `blocked_unsafe_reply`, `in_progress`. */
  aiTriageResult: oneOrMany(z.enum(AI_TRIAGE_RESULTS)).optional(),
  search: z.string().max(200).optional(),
  sla: z.enum(['breached', 'at-risk', 'on-track']).optional(),
  snoozed: z.boolean().optional(),
  tags: z.array(z.string()).max(50).optional(),
  tagsAll: z.array(z.string()).max(50).optional(),
  tagsExclude: z.array(z.string()).max(50).optional(),
  orderBy: z
    .enum([
      'updated_at',
      '-updated_at',
      'sla_due_at',
      '-sla_due_at',
      'snoozed_until',
      '-snoozed_until',
      'created_at',
      '-created_at',
      'ticket_number',
      '-ticket_number',
    ])
    .optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).optional(),
};
export const listTicketsInput = strictInput(listTicketsShape, 'tickets.list input');
/** Input of `client.tickets.list`: every inbox filter PostHog has, strictly checked, and the page. */
export type ListTicketsInput = z.input<typeof listTicketsInput>;
const { offset: _offset, ...iterateTicketsShape } = listTicketsShape;
export const iterateTicketsInput = strictInput(iterateTicketsShape, 'tickets.iterate input');
/** Input of `client.tickets.iterate`: the same filters as `list`, paged for you. */
export type IterateTicketsInput = z.input<typeof iterateTicketsInput>;

/** An assignee to set: a user by numeric id, a role by UUID, or null to unassign. */
export const assigneeInput = z.union([
  strictInput({ type: z.literal('user'), id: z.number().int() }, 'assignee'),
  strictInput({ type: z.literal('role'), id: uuid }, 'assignee'),
  z.null(),
]);
const nullableDate = z.union([isoDate, z.null()]);

export const updateTicketInput = strictInput(
  {
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).nullable().optional(),
    slaDueAt: nullableDate.optional(),
    snoozedUntil: nullableDate.optional(),
    assignee: assigneeInput.optional(),
    anonymousTraits: z.record(z.string(), z.unknown()).optional(),
    aiResolved: z.boolean().optional(),
    escalationReason: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
  },
  'tickets.update input',
);
/** Input of `client.tickets.update`: status, priority, assignee, snooze, tags. */
export type UpdateTicketInput = z.input<typeof updateTicketInput>;

export const replyInput = strictInput(
  {
    message: maxChars(5000).refine((s) => s.trim().length > 0, 'must not be empty or only whitespace'),
    isPrivate: z.boolean().optional(),
    richContent: z.unknown().optional(),
  },
  'tickets.reply input',
);
/** Input of `client.tickets.reply`: the message, and `isPrivate` for an internal note. */
export type ReplyInput = z.input<typeof replyInput>;

export const composeInput = strictInput(
  {
    /** Who the email goes to. */
    recipientEmail: z.email().max(254),
    /** The email channel configuration to send from (its domain must be verified in PostHog). */
    emailConfigId: uuid,
    message: maxChars(5000).refine((s) => s.trim().length > 0, 'must not be empty or only whitespace'),
    /** Ties the ticket to a person; PostHog refuses it when the person's email on file differs. */
    recipientDistinctId: maxChars(400).optional(),
    emailSubject: maxChars(500).optional(),
    /** At most 100 KB as JSON. */
    richContent: z
      .unknown()
      .refine((value) => value === undefined || JSON.stringify(value).length <= 100_000, 'must be at most 100 KB as JSON')
      .optional(),
    tags: z
      .array(
        z
          .string()
          .max(255)
          .refine((tag) => tag.trim() !== '', 'may not be blank'),
      )
      .max(100)
      .optional(),
  },
  'tickets.compose input',
);
/** Input of `client.tickets.compose`: an outbound email that opens a ticket. */
export type ComposeInput = z.input<typeof composeInput>;

export const composeResult = responseObject('the composed ticket', { id: z.string(), ticket_number: z.number() }, ['id']);
/** What `client.tickets.compose` answers: the new ticket's id and number. */
export type ComposeResult = z.output<typeof composeResult>;

export const pageInput = strictInput(
  { limit: z.number().int().min(1).max(200).optional(), offset: z.number().int().min(0).optional() },
  'tickets.messages input',
);
/** Input of `client.tickets.messages`: the page. */
export type MessagesPageInput = z.input<typeof pageInput>;

export const bulkUpdateInput = strictInput(
  {
    /** At most 500, as PostHog's own bulk action takes. */
    ids: z.array(uuid).min(1).max(500),
    status: z.enum(TICKET_STATUSES),
    /** How many tickets are updated at once. Default 4. */
    concurrency: z.number().int().min(1).max(16).optional(),
  },
  'tickets.bulkUpdateStatus input',
);
/** Input of `client.tickets.bulkUpdateStatus`: ticket ids, the new status, and how many at once. */
export type BulkUpdateStatusInput = z.input<typeof bulkUpdateInput>;

// ---- responses

export const assignee = z.looseObject({
  id: z.union([z.number(), z.string()]).nullable(),
  type: z.string(),
  user: z.looseObject({ email: z.string() }).nullable().optional(),
  role: z.looseObject({ name: z.string() }).nullable().optional(),
});

/** Timestamps, counts and the last message: the same in the admin and the external ticket shapes. */
export const ticketActivity = {
  created_at: z.string(),
  updated_at: z.string(),
  message_count: z.number(),
  last_message_at: z.string().nullable(),
  last_message_text: z.string().nullable(),
  unread_team_count: z.number(),
  unread_customer_count: z.number(),
};

// Fields a newer server added are optional (an older self-hosted PostHog leaves them out); null
// wherever the model column is `null=True` (DRF writes a stored None as null).
const text = z.string().nullable().optional();

/** The Slack and email fields: the same in the admin and the external ticket shapes (newer servers). */
export const channelFields = {
  slack_channel_id: text,
  slack_thread_ts: text,
  slack_team_id: text,
  email_subject: text,
  email_from: text,
  email_to: text,
  cc_participants: z.array(z.unknown()).nullable().optional(),
};

/** The person a ticket's distinct id belongs to, as the inbox list and retrieve attach it. */
export const ticketPerson = z.looseObject({
  id: z.string(),
  name: z.string().nullable().optional(),
  distinct_ids: z.array(z.string()),
  properties: z.record(z.string(), z.unknown()),
  created_at: z.string().nullable().optional(),
  is_identified: z.boolean().nullable().optional(),
});

export const ticket = responseObject(
  'a ticket',
  {
    id: z.string(),
    ticket_number: z.number(),
    channel_source: z.string(),
    channel_detail: z.string().nullable(),
    distinct_id: z.string(),
    status,
    /** One of the known priorities, `""` (the model allows blank), or null. */
    priority: knownOr(TICKET_PRIORITIES).nullable(),
    assignee: assignee.nullable(),
    anonymous_traits: z.record(z.string(), z.unknown()).nullable(),
    ...ticketActivity,
    sla_due_at: text,
    snoozed_until: text,
    tags: z.array(z.string()).optional(),
    /** True for a widget ticket opened with a valid identity hash, false for an anonymous one, null for imported ones. */
    identity_verified: z.boolean().nullable().optional(),
    ai_resolved: z.boolean().optional(),
    escalation_reason: text,
    /** PostHog's AI triage of the ticket (`status`, `result`, `ticket_type`, `confidence`, ...); `{}` before any. */
    ai_triage: z.record(z.string(), z.unknown()).nullable().optional(),
    organization_id: text,
    /** Where `organization_id` came from: `person` or `slack_channel_account`. */
    organization_id_source: text,
    /** Null when the distinct id has no person (and in PATCH answers, which attach none). */
    person: ticketPerson.nullable().optional(),
    session_id: text,
    session_context: z.record(z.string(), z.unknown()).nullable().optional(),
    ...channelFields,
    github_repo: text,
    github_issue_number: z.number().nullable().optional(),
    zendesk_ticket_id: z.union([z.number(), z.string()]).nullable().optional(),
    user_access_level: text,
  },
  ['id'],
);
/** A ticket as the inbox API returns it. */
export type Ticket = z.output<typeof ticket>;

export const page = <T extends z.ZodType>(item: T) =>
  responseObject('the page', { count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) }, [
    'results',
    'next',
  ]);

export const ticketsPage = page(ticket);
/** A page of tickets from `client.tickets.list`. */
export type TicketsPage = z.output<typeof ticketsPage>;

export const message = responseObject(
  'a message',
  {
    ...messageFields,
    is_private: z.boolean(),
    /** How many times the message was edited (newer servers). */
    version: z.number().optional(),
  },
  ['id'],
);
/** A message of a ticket as the inbox API returns it, private notes included. */
export type TicketMessage = z.output<typeof message>;
export const messagesPage = page(message);
/** A page of messages from `client.tickets.messages`. */
export type TicketMessagesPage = z.output<typeof messagesPage>;

export const unreadCount = responseObject('the unread count', { count: z.number() }, ['count']);
/** What `client.tickets.bulkUpdateStatus` answers: what changed, and each ticket whose update failed. */
export interface BulkUpdateStatusResult {
  /** How many tickets changed status. */
  updated: number;
  /** The tickets that changed status. Those already in it, or not in the project, are left out (as PostHog's bulk action does). */
  ids: string[];
  /** Tickets whose update failed, each with its error: nothing is lost silently, the rest went ahead. */
  failed: Array<{ id: string; error: Error }>;
}
