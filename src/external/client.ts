/**
 * The external ticket API (reference §4.2), authenticated with the project's Secret API key, as
 * PostHog's workflows use it: read a ticket, change its status, priority, SLA, snooze, assignee or tags.
 */
import * as z from 'zod';
import { assignee, assigneeInput, channelFields, ticketActivity } from '../admin/schemas.js';
import type { RequestOptions } from '../http/request-options.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, isoDate, knownOr, strictInput, uuid } from '../http/schemas.js';
import { responseObject } from '../http/tolerant.js';
import type { Transport } from '../http/transport.js';
import { parseInput } from '../http/validate.js';
import { isZoneName } from '../basics/timezones.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
// The server compares the two strings: the window must start strictly before it ends (no overnight windows).
const hoursWindow = z
  .tuple([hhmm, hhmm])
  .refine(([start, end]) => start < end, 'must start strictly before it ends (no overnight windows)');
const knownTimezone = z.string().refine((zone) => zone === '' || isZoneName(zone), 'must be an IANA timezone such as Europe/Paris');

export const updateExternalTicketInput = strictInput(
  {
    status: z.enum(TICKET_STATUSES).optional(),
    /** The server refuses null here (the inbox API's `update` can clear it). */
    priority: z.enum(TICKET_PRIORITIES).optional(),
    /** An absolute due time, or null to clear it. */
    slaDueAt: z.union([isoDate, z.null()]).optional(),
    /** Or a due time relative to now, optionally counted in business hours. */
    sla: strictInput(
      {
        amount: z.number().positive().finite(),
        unit: z.enum(['minute', 'hour', 'day']).optional(),
        businessHours: strictInput(
          // Lowercase weekday names; `time` defaults to 'any' and `timezone` to UTC, as on the server.
          {
            days: z.array(z.enum(WEEKDAYS)).min(1),
            time: z.union([z.literal('any'), hoursWindow]).optional(),
            timezone: knownTimezone.optional(),
          },
          'sla.businessHours',
        ).optional(),
      },
      'sla',
    ).optional(),
    snoozedUntil: z.union([isoDate, z.null()]).optional(),
    assignee: assigneeInput.optional(),
    /** Trimmed and lowercased by the server (`tagify`); a blank one is refused there, so here. */
    tags: z
      .array(
        z
          .string()
          .max(200)
          .refine((tag) => tag.trim() !== '', 'may not be blank'),
      )
      .max(100)
      .optional(),
    /** How `tags` apply: `add` (default), `set` (replace all) or `remove`. */
    tagsMode: z.enum(['add', 'set', 'remove']).optional(),
    /** The workflow (hog flow) making the change, recorded as its trigger. */
    hogFlowId: uuid.optional(),
  },
  'external.updateTicket input',
).refine((v) => !(v.slaDueAt !== undefined && v.sla !== undefined), { message: 'pass slaDueAt or sla, not both', path: ['sla'] });
/** Input of `client.external.updateTicket`: status, priority, SLA (business hours too), snooze, assignee, tags. */
export type UpdateExternalTicketInput = z.input<typeof updateExternalTicketInput>;

export const externalTicket = responseObject(
  'the ticket',
  {
    id: z.string(),
    number: z.number(),
    status: knownOr(TICKET_STATUSES),
    priority: z.string().nullable(),
    channel_source: z.string(),
    channel_detail: z.string().nullable(),
    distinct_id: z.string(),
    ...ticketActivity,
    sla: z.string().nullable(),
    snoozed_until: z.string().nullable(),
    assignee: assignee.nullable(),
    /** The page the visitor was on (`session_context.current_url`). */
    url: z.string().nullable(),
    tags: z.array(z.string()),
    ...channelFields,
    /** Only with `includeFirstCustomerMessageText: true`; null when the customer has written nothing. */
    first_customer_message_text: z.string().nullable().optional(),
  },
  ['id'],
);
/** A ticket as the external (workflow) API returns it. */
export type ExternalTicket = z.output<typeof externalTicket>;

const ok = responseObject('the update', { ok: z.boolean() });

export const getExternalTicketInput = strictInput(
  {
    /** Adds `first_customer_message_text`: the first message the customer wrote (newer servers). */
    includeFirstCustomerMessageText: z.boolean().optional(),
  },
  'external.getTicket input',
);
/** Input of `client.external.getTicket`: what to include beside the ticket. */
export type GetExternalTicketInput = z.input<typeof getExternalTicketInput>;

/** `client.external`: the external ticket API used by workflows (needs `secretApiToken`). */
export class ExternalClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * A ticket as workflows see it (`number`, `sla`, `url`, tag names). Works with the secret API
   * token or a project secret API key with `support_ticket:read`.
   *
   * @example
   * const ticket = await client.external.getTicket(id, { includeFirstCustomerMessageText: true })
   * classify(ticket.first_customer_message_text)
   */
  async getTicket(ticketId: string, input: GetExternalTicketInput = {}, options?: RequestOptions): Promise<ExternalTicket> {
    const path = `/api/conversations/external/ticket/${parseInput(uuid, ticketId, 'ticketId')}`;
    const v = parseInput(getExternalTicketInput, input);
    const query = v.includeFirstCustomerMessageText ? { include_first_customer_message_text: 'true' } : undefined;
    return this.#transport.request({ method: 'GET', path, auth: 'secret', query, idempotent: true, schema: externalTicket }, options);
  }

  /**
   * Changes a ticket; `{}` is a no-op. Needs the secret API token: PostHog refuses a project secret
   * API key here (403, "Project secret API keys can only read tickets on this route").
   */
  async updateTicket(ticketId: string, input: UpdateExternalTicketInput, options?: RequestOptions): Promise<{ ok: boolean }> {
    const path = `/api/conversations/external/ticket/${parseInput(uuid, ticketId, 'ticketId')}`;
    const v = parseInput(updateExternalTicketInput, input);
    const body = {
      status: v.status,
      priority: v.priority,
      sla_due_at: v.slaDueAt,
      sla_amount: v.sla?.amount,
      sla_unit: v.sla?.unit,
      sla_business_hours: v.sla?.businessHours,
      snoozed_until: v.snoozedUntil,
      assignee: v.assignee,
      tags: v.tags,
      tags_mode: v.tagsMode,
    };
    const headers = v.hogFlowId ? { 'x-posthog-hog-flow-id': v.hogFlowId } : undefined;
    // A relative SLA depends on when it lands, and tag "add" on what is there: do not repeat it blindly.
    const idempotent = v.sla === undefined && (v.tags === undefined || v.tagsMode === 'set');
    return this.#transport.request({ method: 'PATCH', path, auth: 'secret', body, headers, idempotent, schema: ok }, options);
  }
}
