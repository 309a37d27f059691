import * as z from 'zod';
import { TICKET_STATUSES, isoDate, knownOr, maxChars, messageFields, originHeader, strictInput, uuid } from '../http/schemas.js';
import { responseObject } from '../http/tolerant.js';

// ---- who is asking: an anonymous widget session, a signed identity, or both (the session bridge)

const identityFields = strictInput(
  {
    identity_distinct_id: z.string().min(1),
    identity_hash: z.string().length(64),
    identity_email: z.string().optional(),
    identity_hash_email: z.string().optional(),
    identity_exp_email: z.union([z.number(), z.string()]).optional(),
  },
  'identity (spread what identityFor returns)',
);

/** A ticket id in a widget path. */
export const widgetTicketId = uuid;

const authShape = {
  widgetSessionId: uuid.optional(),
  identity: identityFields.nullish(),
};

type AuthFields = { widgetSessionId?: string | undefined; identity?: unknown };
const hasAuth = (auth: AuthFields) => auth.widgetSessionId !== undefined || auth.identity != null;
const AUTH_MESSAGE = 'pass widgetSessionId (an anonymous visitor) or identity (from identityFor), or both';

/** A widget call's input: who is asking, plus the call's own fields, as one strict object. */
function widgetInput<T extends z.core.$ZodLooseShape>(shape: T, where: string) {
  return strictInput({ ...authShape, ...shape }, where).refine((auth) => hasAuth(auth as AuthFields), { message: AUTH_MESSAGE });
}

export const widgetAuth = widgetInput({}, 'widget auth input');
/** Who a widget call acts as: `widgetSessionId` (a visitor), `identity` (a verified user from `identityFor`), or both. */
export type WidgetAuthInput = z.input<typeof widgetAuth>;

const simpleValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const sendMessageInput = widgetInput(
  {
    message: maxChars(10_000).refine((s) => s.trim().length > 0, 'must not be empty or only whitespace'),
    ticketId: uuid.nullish(),
    distinctId: maxChars(400).optional(),
    traits: z.record(z.string(), simpleValue).optional(),
    sessionId: maxChars(64).nullish(),
    sessionContext: z.record(z.string(), simpleValue).optional(),
  },
  'widget.sendMessage input',
).refine((input) => input.identity != null || input.distinctId !== undefined, {
  message: 'distinctId is required for an anonymous visitor (with widgetSessionId and no identity)',
  path: ['distinctId'],
});
/** Input of `client.widget.sendMessage`: the message, who sends it, and optionally the ticket to add it to. */
export type SendMessageInput = z.input<typeof sendMessageInput>;

const listTicketsShape = {
  status: z.enum(TICKET_STATUSES).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
};
export const listTicketsInput = widgetInput(listTicketsShape, 'widget.listTickets input');
/** Input of `client.widget.listTickets`: who asks, and the page (`limit`, `offset`) or a status filter. */
export type ListWidgetTicketsInput = z.input<typeof listTicketsInput>;
export const iterateTicketsInput = widgetInput(
  { status: listTicketsShape.status, limit: listTicketsShape.limit },
  'widget.iterateTickets input',
);
/** Input of `client.widget.iterateTickets`: like `listTickets`, paged for you. */
export type IterateWidgetTicketsInput = z.input<typeof iterateTicketsInput>;

export const getMessagesInput = widgetInput(
  { after: isoDate.optional(), limit: z.number().int().min(1).max(500).optional() },
  'widget.getMessages input',
);
/** Input of `client.widget.getMessages`: who asks, and `after` (an ISO timestamp) to read only newer messages. */
export type GetMessagesInput = z.input<typeof getMessagesInput>;

export const requestRestoreInput = strictInput(
  {
    email: z.email().max(254),
    requestUrl: z.url({ protocol: /^https?$/ }).max(2048),
    origin: originHeader.optional(),
  },
  'widget.requestRestore input',
);
/** Input of `client.widget.requestRestore`: the email to send a restore link to, and the page it links back to. */
export type RequestRestoreInput = z.input<typeof requestRestoreInput>;

export const redeemRestoreInput = strictInput(
  {
    restoreToken: z.string().min(40).max(50),
    widgetSessionId: uuid,
    origin: originHeader.optional(),
  },
  'widget.redeemRestore input',
);
/** Input of `client.widget.redeemRestore`: the token from the restore link and this browser's session. */
export type RedeemRestoreInput = z.input<typeof redeemRestoreInput>;

// ---- responses (extra fields are kept; unknown enum values stay strings)

const status = knownOr(TICKET_STATUSES);

export const sendMessageResponse = responseObject(
  'the sent message',
  {
    ticket_id: z.string(),
    message_id: z.string(),
    ticket_status: status,
    unread_count: z.number(),
    created_at: z.string(),
  },
  ['ticket_id', 'message_id'],
);
/** What `client.widget.sendMessage` answers: the ticket (created or existing) and the message. */
export type SendMessageResult = z.output<typeof sendMessageResponse>;

export const widgetMessage = responseObject('a message', messageFields, ['id', 'created_at']);
/** One message of a ticket as the widget shows it (no private notes). */
export type WidgetMessage = z.output<typeof widgetMessage>;

export const messagesResponse = responseObject(
  'the messages page',
  {
    ticket_id: z.string(),
    ticket_status: status,
    unread_count: z.number(),
    messages: z.array(widgetMessage),
    has_more: z.boolean(),
  },
  ['messages', 'has_more'],
);
/** A page of a ticket's messages from `client.widget.getMessages`. */
export type WidgetMessagesPage = z.output<typeof messagesResponse>;

export const widgetTicket = responseObject(
  'a ticket',
  {
    id: z.string(),
    ticket_number: z.number(),
    status,
    unread_count: z.number(),
    last_message: z.string().nullable(),
    last_message_at: z.string().nullable(),
    message_count: z.number(),
    created_at: z.string(),
  },
  ['id'],
);
/** One of the user's tickets as the widget lists it. */
export type WidgetTicket = z.output<typeof widgetTicket>;

export const ticketsResponse = responseObject('the tickets page', { count: z.number(), results: z.array(widgetTicket) }, [
  'count',
  'results',
]);
/** A page of tickets from `client.widget.listTickets`. */
export type WidgetTicketsPage = z.output<typeof ticketsResponse>;

export const markReadResponse = responseObject('the read receipt', { success: z.boolean(), unread_count: z.number() });
/** What `client.widget.markRead` answers. */
export type MarkReadResult = z.output<typeof markReadResponse>;

export const restoreRequestResponse = responseObject('the restore request', { ok: z.boolean() });

export const restoreRedeemResponse = responseObject(
  'the restore answer',
  {
    status: knownOr(['success', 'invalid', 'used', 'expired'] as const),
    code: z.string().optional(),
    widget_session_id: z.string().optional(),
    migrated_ticket_ids: z.array(z.string()).optional(),
  },
  ['status'],
);
/** What `client.widget.redeemRestore` answers: the tickets moved to this browser's session. */
export type RestoreRedeemResult = z.output<typeof restoreRedeemResponse>;
