/**
 * Signed test deliveries: a `$conversation_*` event as PostHog's HTTP webhook destination sends
 * it (the default body `{ event, person }`, Standard Webhooks headers), for a receiver's tests and
 * for `posthog-conversations trigger`. Signed with node:crypto from the spec, not the SDK's verifier.
 */
import { randomUUID } from 'node:crypto';
import { ConfigurationError, ValidationError, describeType } from '../basics/errors.js';
import { assertInputKeys, nearestKey } from '../basics/options.js';
import { CONVERSATION_EVENT_NAMES, type ConversationEventName, type WebhookPerson } from '../webhooks/events.js';
import { keysOf } from '../webhooks/verify.js';
import { signDelivery, webhookBody } from './emulator/webhooks.js';

/** Options of {@link webhookDelivery}. */
export interface WebhookDeliveryOptions {
  /** The receiver's signing secret (`whsec_` + base64 of at least 24 bytes, as PostHog requires). */
  secret: string;
  /** Properties to set on the event, over the sample ones (an unknown key is kept, as PostHog may add one). */
  properties?: Readonly<Record<string, unknown>> | undefined;
  /** `webhook-id`; keep it across a retry of the same delivery. Default a new `msg_...` id. */
  id?: string | undefined;
  /** When this attempt is signed: a `Date` or epoch milliseconds. Default now. */
  timestamp?: Date | number | undefined;
  /** The event's `distinct_id`. Default the sample customer's (`user_ada`) or staff user's, as the event's actor. */
  distinctId?: string | undefined;
  /** The body's `person` (PostHog sends one when the distinct id has a person). Default null. */
  person?: WebhookPerson | null | undefined;
  /** The project's URL in PostHog, for the event's `url`. Default `https://us.posthog.com/project/1`. */
  projectUrl?: string | undefined;
}

/** A signed delivery: POST `body` with `headers` to your receiver. */
export interface SignedWebhookDelivery {
  /** `webhook-id`. */
  id: string;
  /** The exact JSON body that was signed. */
  body: string;
  /** `content-type`, `webhook-id`, `webhook-timestamp` and `webhook-signature`. */
  headers: Record<string, string>;
}

const OPTION_KEYS = ['secret', 'properties', 'id', 'timestamp', 'distinctId', 'person', 'projectUrl'] as const;
// PostHog refuses to sign with a shorter key (resolveStandardWebhooksKey, MIN_SECRET_KEY_BYTES).
const MIN_KEY_BYTES = 24;
const CUSTOMER = 'user_ada';
const STAFF = 'staff-user-1';

/** One sample ticket, as the properties helpers of events.py describe it. */
function sampleProperties(name: ConversationEventName, now: Date): { distinctId: string; properties: Record<string, unknown> } {
  const base = {
    ticket_id: '0193a8f1-6c2e-7c1a-9d41-5b0e0c3e2a10',
    ticket_number: 42,
    channel_source: 'widget',
    channel_detail: null,
    status: 'open',
    priority: null,
  };
  const customer = { customer_name: 'Ada Lovelace', customer_email: 'ada@example.com' };
  const customerWithId = { ...customer, customer_distinct_id: CUSTOMER };
  const staff = { actor_type: 'user', actor_id: 1, actor_email: 'grace@example.com' };
  const system = { actor_type: 'system', actor_id: null, actor_email: null };
  const assignment = { assignee_type: 'user', assignee_id: '1', assignee_role_name: null };
  const due = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  const sla = (minutes: number) => ({
    sla_due_at: due(minutes),
    sla_active: true,
    sla_breached: minutes < 0,
    sla_delta_seconds: -minutes * 60,
  });
  const noSla = { sla_due_at: null, sla_active: false, sla_breached: false, sla_delta_seconds: null };
  switch (name) {
    case '$conversation_ticket_created':
      return { distinctId: CUSTOMER, properties: { ...base, status: 'new', ...customer } };
    case '$conversation_ticket_status_changed':
      return { distinctId: STAFF, properties: { ...base, old_status: 'new', new_status: 'open', ...staff, ...customerWithId } };
    case '$conversation_ticket_priority_changed':
      return {
        distinctId: STAFF,
        properties: { ...base, priority: 'high', old_priority: null, new_priority: 'high', ...staff, ...customerWithId },
      };
    case '$conversation_ticket_assigned':
      return { distinctId: STAFF, properties: { ...base, ...assignment, ...staff, ...customerWithId } };
    case '$conversation_message_sent':
      return {
        distinctId: STAFF,
        properties: {
          ...base,
          message_id: '0193a8f2-0b7d-7f3e-8a55-2c9d4e1f6b21',
          message_content: 'Thanks, Ada: a reset link is on its way.',
          author_type: 'team',
          ...staff,
          ...customerWithId,
          ...noSla,
          ...assignment,
        },
      };
    case '$conversation_message_received':
      return {
        distinctId: CUSTOMER,
        properties: {
          ...base,
          message_id: '0193a8f1-9e04-7b6a-b3c2-7d1e5f0a4c32',
          message_content: 'Hi! I cannot log in since this morning.',
          author_type: 'customer',
          ...customer,
          ...assignment,
        },
      };
    case '$conversation_sla_approaching':
      return {
        distinctId: CUSTOMER,
        properties: { ...base, ...sla(12), ...system, ...customerWithId, threshold_minutes: 30, minutes_remaining: 12 },
      };
    case '$conversation_sla_breached':
      return { distinctId: CUSTOMER, properties: { ...base, ...sla(-5), ...system, ...customerWithId, minutes_overdue: 5 } };
    case '$conversation_incident_detected':
      return {
        distinctId: '0193a8f0-0000-7000-8000-00000000a001', // str(team.uuid)
        properties: {
          incident_id: '0193a8f3-1d2e-7a4b-9c5d-6e7f8a9b0c43',
          incident_scope: 'team',
          incident_dimension: null,
          rule_id: null,
          rule_name: null,
          title: 'Ticket volume is 4.2x the usual',
          observed_count: 21,
          baseline_value: 5,
          zscore: 4.2,
          window_minutes: 60,
          detected_at: now.toISOString(),
          channel_mix: { widget: 21 },
          sample_ticket_numbers: [42, 43],
          sample_ticket_urls: [],
          tickets_url: 'https://us.posthog.com/project/1/support/tickets',
        },
      };
  }
}

function eventName(name: unknown): ConversationEventName {
  if (typeof name === 'string' && (CONVERSATION_EVENT_NAMES as readonly string[]).includes(name)) return name as ConversationEventName;
  const nearest =
    typeof name === 'string'
      ? (nearestKey(name, CONVERSATION_EVENT_NAMES) ?? nearestKey(`$conversation_${name}`, CONVERSATION_EVENT_NAMES))
      : undefined;
  throw new ValidationError(
    'eventName',
    `${typeof name === 'string' ? `'${name}'` : describeType(name)} is not a Conversations event${nearest ? `; did you mean '${nearest}'?` : ''} (events: ${CONVERSATION_EVENT_NAMES.join(', ')})`,
  );
}

function signedAt(value: unknown): Date {
  if (value === undefined) return new Date();
  if (value instanceof Date && Number.isFinite(value.getTime())) return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds would be 1970: a webhook-timestamp is seconds, this option is milliseconds like Date.now().
    if (value < 1e11)
      throw new ValidationError(
        'timestamp',
        `timestamp is epoch milliseconds (or a Date); ${value} looks like seconds: pass ${value} * 1000`,
      );
    return new Date(value);
  }
  throw new ValidationError('timestamp', `timestamp must be a Date or epoch milliseconds, got ${describeType(value)}`);
}

/**
 * A `$conversation_*` event signed as PostHog sends it to a webhook, with sample properties (your
 * `properties` over them): for your receiver's tests, or with `fetch` against a running app.
 *
 * @example
 * const { body, headers } = webhookDelivery('$conversation_ticket_created', { secret: process.env.POSTHOG_WEBHOOK_SECRET })
 * const response = await fetch('http://127.0.0.1:3000/webhooks/posthog', { method: 'POST', body, headers })
 */
export function webhookDelivery(name: ConversationEventName, options: WebhookDeliveryOptions): SignedWebhookDelivery {
  const event = eventName(name);
  assertInputKeys(options, OPTION_KEYS, 'webhookDelivery options');
  if (Array.isArray(options.secret)) throw new ConfigurationError('webhookDelivery signs with one secret (whsec_...), not a list');
  const [key] = keysOf(options.secret);
  if (key!.length < MIN_KEY_BYTES)
    throw new ConfigurationError(
      `the secret decodes to ${key!.length} bytes; PostHog signs only with keys of ${MIN_KEY_BYTES} bytes or more`,
    );
  const {
    properties,
    id = `msg_${randomUUID().replaceAll('-', '')}`,
    person = null,
    projectUrl = 'https://us.posthog.com/project/1',
  } = options;
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties)))
    throw new ValidationError('properties', `properties must be an object, got ${describeType(properties)}`);
  if (typeof id !== 'string' || id === '' || /[\r\n]/.test(id))
    throw new ValidationError('id', 'id must be a non-empty string without line breaks (it is sent as the webhook-id header)');
  const at = signedAt(options.timestamp);
  const sample = sampleProperties(event, at);
  const body = JSON.stringify(
    webhookBody({
      event,
      distinct_id: options.distinctId ?? sample.distinctId,
      properties: { ...sample.properties, ...properties },
      timestamp: at,
      projectUrl,
      person,
    }),
  );
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    id,
    body,
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(seconds),
      'webhook-signature': signDelivery(options.secret, id, seconds, body),
    },
  };
}
