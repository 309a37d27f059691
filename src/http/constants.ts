/** Ticket enums the server knows today, kept free of zod so the edge build stays small. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved'] as const;
/** A ticket status PostHog knows (`new`, `open`, `pending`, `on_hold`, `resolved`). */
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Priorities the server accepts (`critical` exists in newer code, but is refused by the API today). */
export const TICKET_PRIORITIES = ['low', 'medium', 'high'] as const;
/** A ticket priority PostHog knows. */
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
