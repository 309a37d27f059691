/**
 * What every webhook receiver shares, whatever the framework: options checked once, the raw body
 * verified, the delivery claimed (with `idempotency`), your handler run, and the answer PostHog
 * should get. 2xx only after your handler succeeded (or for a delivery already handled); 400 for a
 * delivery that is not proven to be PostHog's (PostHog does not retry it); 429 while another
 * replica handles it and 503 when the store fails (both retried); your handler's error is passed
 * on (a 5xx, which PostHog retries with the same `webhook-id`).
 */
import { ConfigurationError } from '../basics/errors.js';
import { assertConfigKeys } from '../basics/options.js';
import { readFetchBody } from '../basics/fetch-body.js';
import type { WebhookDelivery } from './events.js';
import { deliveryGate, type Admission, type DeliveryGate, type WebhookIdempotencyOptions } from './idempotency.js';
import { WebhookVerificationError, createWebhookVerifier, toleranceOf, type WebhookHeaders } from './verify.js';

/** Options of every webhook receiver. `Ctx` is the framework's request (or context). */
export interface WebhookReceiverOptions<Ctx> {
  /** The signing secret (`whsec_...`) from the webhook's settings in PostHog, or several while you rotate. */
  secret: string | readonly string[];
  /**
   * Your handler. Return (or resolve) once the delivery is handled; throw to have PostHog retry it.
   * Retries carry the same `delivery.id`: with `idempotency` the receiver runs this once per id
   * across replicas; without it, use the id to handle each delivery once yourself.
   */
  onDelivery: (delivery: WebhookDelivery, request: Ctx) => unknown;
  /**
   * Exactly-once handling across replicas and restarts: each verified delivery is claimed in
   * `store` before `onDelivery` runs and recorded as done after. A delivery already done answers
   * 2xx without running it; one another replica is handling answers 429 with `Retry-After`; a
   * store that fails or is slow answers 503, and the handler never runs unclaimed. When
   * `onDelivery` throws, the claim is released, so PostHog's retry runs it again.
   *
   * @example
   * idempotency: { store: redisIdempotencyStore(redis), leaseSeconds: 30 }
   */
  idempotency?: WebhookIdempotencyOptions | undefined;
  /** Timestamp window, in seconds, either way. Default 300. */
  toleranceSeconds?: number | undefined;
  /** Largest body read, in bytes; a larger one is answered 413 unread. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
}

export const WEBHOOK_RECEIVER_KEYS = ['secret', 'onDelivery', 'toleranceSeconds', 'maxBodyBytes', 'idempotency'] as const;

/** The answer to send: a status, headers (`Retry-After` on a 429) and a small JSON body (none for success). */
export interface WebhookAnswer {
  status: 204 | 400 | 413 | 429 | 503;
  headers?: Readonly<Record<string, string>>;
  body?: { error: string; code?: string };
}

/** A checked webhook receiver, for a framework adapter to drive: its byte cap, and `receive`. */
export interface WebhookReceiver<Ctx> {
  /** The byte cap, for the framework's body reading. */
  readonly maxBodyBytes: number;
  /** Verifies `payload`, runs `onDelivery`, and says what to answer; `onDelivery`'s errors are thrown. */
  receive(payload: string | Uint8Array, headers: WebhookHeaders, request: Ctx): Promise<WebhookAnswer>;
}

const DONE: WebhookAnswer = { status: 204 };
const STORE_FAILED: WebhookAnswer = {
  status: 503,
  body: { error: 'The idempotency store did not answer; retry later.', code: 'ERR_IDEMPOTENCY_STORE' },
};

/** The answer to a verified delivery the store says not to run: done (204), busy (429), or the store failed (503). */
export function refusedAnswer(admission: Exclude<Admission, { run: true }>): WebhookAnswer {
  if (admission.answer === 'busy')
    return {
      status: 429,
      headers: { 'retry-after': String(admission.retryAfterSeconds) },
      body: { error: 'Another receiver is handling this delivery right now; retry later.', code: 'ERR_DELIVERY_IN_PROGRESS' },
    };
  return admission.answer === 'done' ? DONE : STORE_FAILED;
}

/** The answer for a body larger than the cap. */
export const TOO_LARGE: WebhookAnswer = {
  status: 413,
  body: { error: 'The webhook body is larger than this receiver accepts (maxBodyBytes).' },
};

/**
 * Checks everything in the options but the secret (which an adapter may read only when a delivery
 * comes): unknown keys, the handler, the byte cap, the window, the idempotency store. Answers the
 * byte cap and the checked idempotency gate.
 */
export function checkReceiverOptions(
  options: Omit<WebhookReceiverOptions<never>, 'secret'> & { secret?: unknown },
  where: string,
): { maxBodyBytes: number; gate: DeliveryGate | undefined } {
  assertConfigKeys(options, WEBHOOK_RECEIVER_KEYS, where);
  if (typeof options.onDelivery !== 'function')
    throw new ConfigurationError('onDelivery must be a function that handles a verified delivery');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new ConfigurationError('maxBodyBytes must be a positive whole number of bytes');
  toleranceOf(options.toleranceSeconds, (message) => new ConfigurationError(message));
  return { maxBodyBytes, gate: deliveryGate(options.idempotency, where) };
}

/** Checks the options once (a bad secret fails at start-up) and returns the receiver. */
export function createWebhookReceiver<Ctx>(options: WebhookReceiverOptions<Ctx>, where = 'webhook receiver options'): WebhookReceiver<Ctx> {
  const { maxBodyBytes, gate } = checkReceiverOptions(options as never, where);
  const { secret, onDelivery, toleranceSeconds } = options;
  // Keys decoded and prepared once: a wrong secret fails at start-up, and no delivery decodes them again.
  const verifier = createWebhookVerifier({ secret, toleranceSeconds });
  return {
    maxBodyBytes,
    async receive(payload, headers, request) {
      let delivery: WebhookDelivery;
      try {
        delivery = verifier.verify(payload, headers);
      } catch (error) {
        if (error instanceof WebhookVerificationError) return { status: 400, body: { error: error.message, code: error.code } };
        throw error;
      }
      if (gate === undefined) {
        await onDelivery(delivery, request);
        return DONE;
      }
      // Claimed only once verified: a forged delivery writes nothing to the store.
      const admission = await gate.admit(delivery.id);
      if (!admission.run) return refusedAnswer(admission);
      try {
        await onDelivery(delivery, request);
      } catch (error) {
        await admission.settle(false);
        throw error;
      }
      await admission.settle(true);
      return DONE;
    },
  };
}

/**
 * The one rule for a body a framework read before the receiver did (`express.raw()`, Nest's
 * `rawBody`, Hono's body cache): its bytes are used as they are, under the same cap as a body the
 * receiver reads itself. `undefined` means larger than the cap (answer 413).
 */
export function capPreRead(body: string | Uint8Array, cap: number): string | Uint8Array | undefined {
  if (typeof body !== 'string') return body.byteLength > cap ? undefined : body;
  // A UTF-16 unit is 1 to 3 bytes of UTF-8: encode only when the length alone cannot tell.
  if (body.length > cap) return undefined;
  if (body.length * 3 <= cap) return body;
  return new TextEncoder().encode(body).length > cap ? undefined : body;
}

/**
 * A Fetch-API route handler (`(request) => Response`): for Next.js route handlers, Hono, Bun,
 * Deno and Cloudflare Workers. 204 after your handler succeeded, 400 for an unverified delivery,
 * 413 for a body over the cap; your handler's error propagates (the framework answers 500).
 *
 * @example
 * // app/api/posthog-webhook/route.ts
 * export const POST = createWebhookHandler({ secret: process.env.POSTHOG_WEBHOOK_SECRET!, onDelivery: async ({ id, event }) => { ... } })
 */
export function createWebhookHandler(options: WebhookReceiverOptions<Request>): (request: Request) => Promise<Response> {
  const receiver = createWebhookReceiver(options, 'createWebhookHandler options');
  return (request) => receiveFetchRequest(receiver, request, request);
}

/**
 * Reads a Fetch `Request`'s body (capped), verifies it, runs the handler: the `Response` to send.
 * `readBody` replaces the reading, for a framework that may have read and kept the body already.
 */
export async function receiveFetchRequest<Ctx>(
  receiver: WebhookReceiver<Ctx>,
  request: Request,
  context: Ctx,
  readBody: (cap: number) => Promise<string | Uint8Array | undefined> = (cap) => readFetchBody(request, cap),
): Promise<Response> {
  const payload = await readBody(receiver.maxBodyBytes);
  const answer = payload === undefined ? TOO_LARGE : await receiver.receive(payload, request.headers, context);
  if (answer.body === undefined) return new Response(null, { status: answer.status, headers: answer.headers ?? {} });
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { ...answer.headers, 'content-type': 'application/json' },
  });
}
