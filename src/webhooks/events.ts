/**
 * The `$conversation_*` events PostHog captures (`products/conversations/backend/events.py`), as the
 * HTTP webhook destination and the workflow webhook action send them by default:
 * `{ "event": { uuid, event, distinct_id, properties, timestamp, ... }, "person": { ... } }`.
 * Extra properties are kept; an unknown event, or a body of another shape, is left as `body`.
 * Checked without a schema library, so verifying webhooks on an edge runtime stays small.
 */
import { fitsShape, shapeProblems, type Shape, type ShapeOutput } from './shape.js';

// From products/conversations/backend/events.py (see docs/posthog-fidelity.md for the commit read):
// `_get_ticket_base_properties`, `_get_customer_properties`, `_get_actor_properties`, `_get_sla_properties`.
const ticketBase = {
  ticket_id: 'string',
  ticket_number: 'number',
  channel_source: 'string',
  channel_detail: 'string|null?',
  status: 'string',
  priority: 'string|null?',
} as const;
// `traits.get("name", "")`: posthog-js sends `name: null` for a visitor who gave none, and it is kept.
const customer = { customer_name: 'string|null?', customer_email: 'string?' } as const;
const customerWithId = { ...customer, customer_distinct_id: 'string?' } as const;
const actor = { actor_type: 'actor', actor_id: 'number|null?', actor_email: 'string|null?' } as const;
// Newer servers add the ticket's assignee to message and assignment events (`_get_assignment_properties`).
const assignment = { assignee_type: 'string|null?', assignee_id: 'string|null?', assignee_role_name: 'string|null?' } as const;
const sla = { sla_due_at: 'string|null?', sla_active: 'boolean?', sla_breached: 'boolean?', sla_delta_seconds: 'number|null?' } as const;
const groups = { $groups: 'record?' } as const;

/** Each event's name and the properties PostHog sets on it. */
const EVENT_PROPERTIES = {
  $conversation_ticket_created: { ...ticketBase, ...customer, ...groups },
  $conversation_ticket_status_changed: { ...ticketBase, old_status: 'string', new_status: 'string', ...actor, ...customerWithId },
  $conversation_ticket_priority_changed: {
    ...ticketBase,
    old_priority: 'string|null',
    new_priority: 'string|null',
    ...actor,
    ...customerWithId,
  },
  $conversation_ticket_assigned: { ...ticketBase, ...assignment, ...actor, ...customerWithId },
  $conversation_message_sent: {
    ...ticketBase,
    message_id: 'string',
    message_content: 'string',
    author_type: '=team',
    ...actor,
    ...customerWithId,
    ...sla,
    ...assignment,
  },
  $conversation_message_received: {
    ...ticketBase,
    message_id: 'string',
    message_content: 'string',
    author_type: '=customer',
    ...customer,
    ...groups,
    ...assignment,
  },
  $conversation_sla_approaching: {
    ...ticketBase,
    ...sla,
    ...actor,
    ...customerWithId,
    threshold_minutes: 'number',
    minutes_remaining: 'number',
  },
  $conversation_sla_breached: { ...ticketBase, ...sla, ...actor, ...customerWithId, minutes_overdue: 'number' },
  $conversation_incident_detected: {
    incident_id: 'string',
    incident_scope: 'string|null?',
    incident_dimension: 'string|null?',
    rule_id: 'string|null?',
    rule_name: 'string|null?',
    title: 'string',
    observed_count: 'number?',
    baseline_value: 'number|null?',
    zscore: 'number|null?',
    window_minutes: 'number?',
    detected_at: 'string',
    channel_mix: 'unknown?',
    sample_ticket_numbers: 'number[]?',
    sample_ticket_urls: 'string[]?',
    tickets_url: 'string?',
  },
} as const satisfies Record<string, Shape>;

/** The name of every Conversations event this SDK types. */
export type ConversationEventName = keyof typeof EVENT_PROPERTIES;
/** Every Conversations event this SDK types, for an event filter in PostHog or in the emulator's `webhooks`. */
export const CONVERSATION_EVENT_NAMES = Object.keys(EVENT_PROPERTIES) as ConversationEventName[];

const ENVELOPE = {
  uuid: 'string',
  distinct_id: 'string',
  timestamp: 'string',
  elements_chain: 'string?',
  url: 'string?',
  captured_at: 'string|null?',
} as const satisfies Shape;

/** What every event in a webhook body has, beside its name and properties. */
export interface WebhookEventEnvelope {
  uuid: string;
  distinct_id: string;
  timestamp: string;
  elements_chain?: string;
  url?: string;
  /** When PostHog ingested the event (the webhook template's `captured_at`). */
  captured_at?: string | null;
}

type EventOf<N extends ConversationEventName> = WebhookEventEnvelope & { event: N; properties: ShapeOutput<(typeof EVENT_PROPERTIES)[N]> };

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

const PERSON = { id: 'string', properties: 'object', name: 'string?', url: 'string?' } as const satisfies Shape;

/** A verified delivery. */
export interface WebhookDelivery {
  /** `webhook-id`: the same for every retry of one delivery, so use it to process each once. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  /** The whole parsed body, whatever its shape (you can change the body in PostHog). */
  body: unknown;
  /**
   * The Conversations event in the body, typed by its name; null only for another event or another
   * body shape. A known event is never dropped for a property that surprised us: it is delivered
   * as PostHog sent it, and {@link WebhookDelivery.problems} says what did not fit its type.
   */
  event: ConversationEvent | null;
  /** The body's `person`, when it is PostHog's default shape and has one. */
  person: WebhookPerson | null;
  /**
   * What in a known event did not fit the type this SDK gives it, one line per field
   * (`event.properties.ticket_number: expected number, got a string`): types only, never values.
   * Empty when everything fits (always, for PostHog's events as `events.py` captures them).
   */
  problems: string[];
}

/** The typed event and person of a parsed body, when it has PostHog's default shape, and what did not fit. */
export function parseConversationEvent(body: unknown): Pick<WebhookDelivery, 'event' | 'person' | 'problems'> {
  if (typeof body !== 'object' || body === null) return { event: null, person: null, problems: [] };
  const record = body as { event?: unknown; person?: unknown };
  const event = record.event as { event?: unknown; properties?: unknown } | null | undefined;
  const name = typeof event === 'object' && event !== null ? event.event : undefined;
  const known = typeof name === 'string' && Object.hasOwn(EVENT_PROPERTIES, name);
  const person = fitsShape(record.person, PERSON) ? (record.person as WebhookPerson) : null;
  if (!known) return { event: null, person, problems: [] };
  const problems = shapeProblems(event, ENVELOPE, 'event');
  problems.push(...shapeProblems(event!.properties, EVENT_PROPERTIES[name as ConversationEventName], 'event.properties'));
  // A known event keeps its name and whatever it carried: properties that are not an object become {}.
  const typed =
    typeof event!.properties === 'object' && event!.properties !== null && !Array.isArray(event!.properties)
      ? event
      : { ...event, properties: {} };
  return { event: typed as ConversationEvent, person, problems };
}
