/**
 * The `$conversation_*` events PostHog captures (`products/conversations/backend/events.py`), as the
 * HTTP webhook destination and the workflow webhook action send them by default:
 * `{ "event": { uuid, event, distinct_id, properties, timestamp, ... }, "person": { ... } }`.
 * Extra properties are kept; an unknown event, or a body of another shape, is left as `body`.
 */
import { z } from 'zod';

const ticketBase = {
  ticket_id: z.string(),
  ticket_number: z.number(),
  channel_source: z.string(),
  channel_detail: z.string().nullable().optional(),
  status: z.string(),
  priority: z.string().nullable().optional(),
};
const customer = { customer_name: z.string().optional(), customer_email: z.string().optional() };
const customerWithId = { ...customer, customer_distinct_id: z.string().optional() };
const actor = {
  actor_type: z.enum(['user', 'system', 'external', 'customer']).or(z.string()),
  actor_id: z.number().nullable().optional(),
  actor_email: z.string().nullable().optional(),
};
const sla = {
  sla_due_at: z.string().nullable().optional(),
  sla_active: z.boolean().optional(),
  sla_breached: z.boolean().optional(),
  sla_delta_seconds: z.number().nullable().optional(),
};
const groups = { $groups: z.record(z.string(), z.string()).optional() };

const properties = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);

/** Each event's name and the properties PostHog sets on it. */
const EVENT_PROPERTIES = {
  $conversation_ticket_created: properties({ ...ticketBase, ...customer, ...groups }),
  $conversation_ticket_status_changed: properties({ ...ticketBase, old_status: z.string(), new_status: z.string(), ...actor, ...customerWithId }),
  $conversation_ticket_priority_changed: properties({ ...ticketBase, old_priority: z.string().nullable(), new_priority: z.string().nullable(), ...actor, ...customerWithId }),
  $conversation_ticket_assigned: properties({ ...ticketBase, assignee_type: z.string().nullable(), assignee_id: z.string().nullable(), ...actor, ...customerWithId }),
  $conversation_message_sent: properties({ ...ticketBase, message_id: z.string(), message_content: z.string(), author_type: z.literal('team'), ...actor, ...customerWithId, ...sla }),
  $conversation_message_received: properties({ ...ticketBase, message_id: z.string(), message_content: z.string(), author_type: z.literal('customer'), ...customer, ...groups }),
  $conversation_sla_approaching: properties({ ...ticketBase, ...sla, threshold_minutes: z.number(), minutes_remaining: z.number() }),
  $conversation_sla_breached: properties({ ...ticketBase, ...sla, minutes_overdue: z.number() }),
  $conversation_incident_detected: properties({
    incident_id: z.string(),
    incident_scope: z.string().nullable().optional(),
    incident_dimension: z.string().nullable().optional(),
    rule_id: z.string().nullable().optional(),
    rule_name: z.string().nullable().optional(),
    title: z.string(),
    observed_count: z.number().optional(),
    baseline_value: z.number().nullable().optional(),
    zscore: z.number().nullable().optional(),
    window_minutes: z.number().optional(),
    detected_at: z.string(),
    channel_mix: z.unknown().optional(),
    sample_ticket_numbers: z.array(z.number()).optional(),
    sample_ticket_urls: z.array(z.string()).optional(),
    tickets_url: z.string().optional(),
  }),
} as const;

/** The name of every Conversations event this SDK types. */
export type ConversationEventName = keyof typeof EVENT_PROPERTIES;
/** Every Conversations event this SDK types, for an event filter in PostHog or in the emulator's `webhooks`. */
export const CONVERSATION_EVENT_NAMES = Object.keys(EVENT_PROPERTIES) as ConversationEventName[];

const eventEnvelope = {
  uuid: z.string(),
  distinct_id: z.string(),
  timestamp: z.string(),
  elements_chain: z.string().optional(),
  url: z.string().optional(),
};

const eventSchemas = CONVERSATION_EVENT_NAMES.map((name) =>
  z.looseObject({ ...eventEnvelope, event: z.literal(name), properties: EVENT_PROPERTIES[name] }),
);

/** What every event in a webhook body has, beside its name and properties. */
export interface WebhookEventEnvelope {
  uuid: string;
  distinct_id: string;
  timestamp: string;
  elements_chain?: string;
  url?: string;
}

type EventOf<N extends ConversationEventName> = WebhookEventEnvelope & { event: N; properties: z.output<(typeof EVENT_PROPERTIES)[N]> };

/**
 * A Conversations event as a webhook carries it. A union on `event`, so `switch (e.event)` narrows
 * `e.properties`.
 *
 * @example
 * switch (delivery.event?.event) {
 *   case '$conversation_ticket_created': return routeTicket(delivery.event.properties.ticket_id)
 *   case '$conversation_sla_breached': return page(delivery.event.properties.minutes_overdue)
 * }
 */
export type ConversationEvent = { [N in ConversationEventName]: EventOf<N> }[ConversationEventName];

/** The person PostHog attaches to the body by default (`{person}`), when it has one. */
export interface WebhookPerson {
  id: string;
  properties: Record<string, unknown>;
  name?: string;
  url?: string;
  [extra: string]: unknown;
}

const person = z.looseObject({ id: z.string(), properties: z.record(z.string(), z.unknown()), name: z.string().optional(), url: z.string().optional() });

/** A verified delivery. */
export interface WebhookDelivery {
  /** `webhook-id`: the same for every retry of one delivery, so use it to process each once. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  /** The whole parsed body, whatever its shape (you can change the body in PostHog). */
  body: unknown;
  /** The Conversations event in the body, typed; null for another event or another body shape. */
  event: ConversationEvent | null;
  /** The body's `person`, when it is PostHog's default shape and has one. */
  person: WebhookPerson | null;
}

/** The typed event and person of a parsed body, when it has PostHog's default shape. */
export function parseConversationEvent(body: unknown): Pick<WebhookDelivery, 'event' | 'person'> {
  if (typeof body !== 'object' || body === null) return { event: null, person: null };
  const record = body as { event?: unknown; person?: unknown };
  const name = (record.event as { event?: unknown } | null | undefined)?.event;
  const index = typeof name === 'string' ? CONVERSATION_EVENT_NAMES.indexOf(name as ConversationEventName) : -1;
  const parsedEvent = index === -1 ? undefined : eventSchemas[index]!.safeParse(record.event);
  const parsedPerson = person.safeParse(record.person);
  return {
    event: parsedEvent?.success ? (parsedEvent.data as ConversationEvent) : null,
    person: parsedPerson.success ? (parsedPerson.data as WebhookPerson) : null,
  };
}
