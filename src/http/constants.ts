/** Ticket enums the server knows today, kept free of zod so the edge build stays small. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved'] as const;
/** A ticket status PostHog knows (`new`, `open`, `pending`, `on_hold`, `resolved`). */
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Priorities the server accepts (`products/conversations/backend/models/constants.py`, `Priority`). */
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
/** A ticket priority PostHog knows. */
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** The values of the inbox's `ai_triage_result` filter (`ticket_filters.py`). */
export const AI_TRIAGE_RESULTS = [
  'persisted',
  'escalated_with_best',
  'escalated_no_reply',
  'skipped_unactionable',
  'blocked_unsafe',
  'blocked_unsafe_reply',
  'in_progress',
] as const;
