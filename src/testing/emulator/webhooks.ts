/**
 * The emulator delivers its `$conversation_*` events to your webhook receivers the way PostHog's HTTP
 * webhook destination does: the default body `{ event, person }`, signed with Standard Webhooks
 * (signed here with node:crypto from the spec, not with the SDK's verifier), one `webhook-id` per
 * delivery kept across retries, a fresh timestamp and signature per attempt, bounded retries.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { EmulatorEvent } from './types.js';

/** PostHog's RETRIABLE_STATUS_CODES (nodejs/src/cdp/services/hog-executor.service.ts). */
const RETRIABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** A receiver to deliver to. */
export interface EmulatorWebhook {
  /** Where to POST deliveries. */
  url: string;
  /** The Standard Webhooks signing secret (`whsec_` + base64), as you would paste it in PostHog. */
  secret: string;
  /** Only these events (default: every `$conversation_*` event). */
  events?: readonly string[] | undefined;
}

/** One delivery and its attempts. */
export interface EmulatorDelivery {
  /** `webhook-id`: the same on every attempt. */
  id: string;
  url: string;
  event: string;
  body: { event: Record<string, unknown>; person: null };
  attempts: Array<{ at: Date; status?: number; error?: string }>;
  state: 'pending' | 'delivered' | 'failed';
}

/** How deliveries are retried. */
export interface EmulatorWebhookRetry {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /** Wait before the second attempt, doubled after each. Default 200 ms. */
  initialDelayMs?: number | undefined;
  /** Longest wait for one attempt's answer. Default 5000 ms. */
  timeoutMs?: number | undefined;
}

// A long-running emulator keeps only the newest deliveries.
const MAX_KEPT_DELIVERIES = 1_000;

/**
 * The HTTP webhook destination's default body, `{ event: '{event}', person: '{person}' }`, with the
 * globals' event as `convertToHogFunctionInvocationGlobals` builds it (person null when it has none).
 */
export function webhookBody(input: {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: Date;
  projectUrl: string;
  person: unknown;
}): { event: Record<string, unknown>; person: unknown } {
  const uuid = randomUUID();
  const timestamp = input.timestamp.toISOString();
  return {
    event: {
      uuid,
      event: input.event,
      elements_chain: '',
      distinct_id: input.distinct_id,
      properties: input.properties,
      timestamp,
      captured_at: timestamp,
      url: `${input.projectUrl}/events/${encodeURIComponent(uuid)}/${encodeURIComponent(timestamp)}`,
    },
    person: input.person,
  };
}

/** The signature of one attempt: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the decoded secret. */
export function signDelivery(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class WebhookDeliverer {
  readonly deliveries: EmulatorDelivery[] = [];
  readonly #webhooks: EmulatorWebhook[];
  readonly #retry: Required<{ [K in keyof EmulatorWebhookRetry]: number }>;
  readonly #now: () => Date;
  readonly #pending = new Set<Promise<void>>();
  // Retry waits in progress, so close() can end them at once.
  readonly #waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;

  constructor(webhooks: readonly EmulatorWebhook[], retry: EmulatorWebhookRetry, now: () => Date) {
    this.#webhooks = [...webhooks];
    this.#retry = { maxAttempts: retry.maxAttempts ?? 3, initialDelayMs: retry.initialDelayMs ?? 200, timeoutMs: retry.timeoutMs ?? 5000 };
    this.#now = now;
  }

  /** Delivers to one more receiver from now on. */
  add(webhook: EmulatorWebhook): void {
    this.#webhooks.push(webhook);
  }

  /** Starts a delivery of `event` to every receiver that wants it. */
  deliver(event: EmulatorEvent, projectUrl: string): void {
    if (this.#closed) return;
    for (const webhook of this.#webhooks) {
      if (webhook.events !== undefined && !webhook.events.includes(event.event)) continue;
      const delivery: EmulatorDelivery = {
        id: `msg_${randomUUID().replaceAll('-', '')}`,
        url: webhook.url,
        event: event.event,
        // No person: the emulator keeps none for events.
        body: webhookBody({ ...event, timestamp: this.#now(), projectUrl, person: null }) as EmulatorDelivery['body'],
        attempts: [],
        state: 'pending',
      };
      this.deliveries.push(delivery);
      if (this.deliveries.length > MAX_KEPT_DELIVERIES) this.deliveries.shift();
      this.#track(this.#attempt(webhook, delivery));
    }
  }

  /** Resolves once every delivery started so far is delivered or has failed for good. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Stops retrying and waits for attempts in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [timer, resolve] of this.#waits) {
      clearTimeout(timer);
      resolve();
    }
    this.#waits.clear();
    await Promise.allSettled([...this.#pending]);
  }

  #track(promise: Promise<void>): void {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  async #attempt(webhook: EmulatorWebhook, delivery: EmulatorDelivery): Promise<void> {
    const body = JSON.stringify(delivery.body);
    const at = this.#now();
    const timestamp = Math.floor(at.getTime() / 1000);
    const attempt: EmulatorDelivery['attempts'][number] = { at };
    delivery.attempts.push(attempt);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signDelivery(webhook.secret, delivery.id, timestamp, body),
        },
        signal: AbortSignal.timeout(this.#retry.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      attempt.status = response.status;
      if (response.status < 300) return void (delivery.state = 'delivered');
      // PostHog's isFetchResponseRetriable: only these statuses are retried; any other is final.
      if (!RETRIABLE_STATUSES.has(response.status)) return void (delivery.state = 'failed');
    } catch (error) {
      attempt.error = String((error as Error)?.message ?? error);
    }
    if (delivery.attempts.length >= this.#retry.maxAttempts || this.#closed) return void (delivery.state = 'failed');
    const wait = this.#retry.initialDelayMs * 2 ** (delivery.attempts.length - 1);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#waits.delete(timer);
        resolve();
      }, wait);
      this.#waits.set(timer, resolve);
    });
    if (this.#closed) return void (delivery.state = 'failed');
    await this.#attempt(webhook, delivery);
  }
}
