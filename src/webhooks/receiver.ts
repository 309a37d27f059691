/**
 * What every webhook receiver shares, whatever the framework: options checked once, the raw body
 * verified, your handler run, and the answer PostHog should get. 2xx only after your handler
 * succeeded; 400 for a delivery that is not proven to be PostHog's (PostHog does not retry it);
 * your handler's error is passed on (a 5xx, which PostHog retries with the same `webhook-id`).
 */
import { ConfigurationError } from '../basics/errors.js';
import { assertConfigKeys } from '../basics/options.js';
import { readFetchBody } from '../basics/fetch-body.js';
import type { WebhookDelivery } from './events.js';
import { WebhookVerificationError, createWebhookVerifier, toleranceOf, type WebhookHeaders } from './verify.js';

/** Options of every webhook receiver. `Ctx` is the framework's request (or context). */
export interface WebhookReceiverOptions<Ctx> {
  /** The signing secret (`whsec_...`) from the webhook's settings in PostHog, or several while you rotate. */
  secret: string | readonly string[];
  /**
   * Your handler. Return (or resolve) once the delivery is handled; throw to have PostHog retry it.
   * Retries carry the same `delivery.id`: use it to handle each delivery once.
   */
  onDelivery: (delivery: WebhookDelivery, request: Ctx) => unknown;
  /** Timestamp window, in seconds, either way. Default 300. */
  toleranceSeconds?: number | undefined;
  /** Largest body read, in bytes; a larger one is answered 413 unread. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
}

export const WEBHOOK_RECEIVER_KEYS = ['secret', 'onDelivery', 'toleranceSeconds', 'maxBodyBytes'] as const;

/** The answer to send: a status and a small JSON body (none for success). */
export interface WebhookAnswer {
  status: 204 | 400 | 413;
  body?: { error: string; code?: string };
}

/** A checked webhook receiver, for a framework adapter to drive: its byte cap, and `receive`. */
export interface WebhookReceiver<Ctx> {
  /** The byte cap, for the framework's body reading. */
  readonly maxBodyBytes: number;
  /** Verifies `payload`, runs `onDelivery`, and says what to answer; `onDelivery`'s errors are thrown. */
  receive(payload: string | Uint8Array, headers: WebhookHeaders, request: Ctx): Promise<WebhookAnswer>;
}

/** The answer for a body larger than the cap. */
export const TOO_LARGE: WebhookAnswer = {
  status: 413,
  body: { error: 'The webhook body is larger than this receiver accepts (maxBodyBytes).' },
};

/**
 * Checks everything in the options but the secret (which an adapter may read only when a delivery
 * comes): unknown keys, the handler, the byte cap, the window. Answers the byte cap.
 */
export function checkReceiverOptions(options: Omit<WebhookReceiverOptions<never>, 'secret'> & { secret?: unknown }, where: string): number {
  assertConfigKeys(options, WEBHOOK_RECEIVER_KEYS, where);
  if (typeof options.onDelivery !== 'function')
    throw new ConfigurationError('onDelivery must be a function that handles a verified delivery');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new ConfigurationError('maxBodyBytes must be a positive whole number of bytes');
  toleranceOf(options.toleranceSeconds, (message) => new ConfigurationError(message));
  return maxBodyBytes;
}

/** Checks the options once (a bad secret fails at start-up) and returns the receiver. */
export function createWebhookReceiver<Ctx>(options: WebhookReceiverOptions<Ctx>, where = 'webhook receiver options'): WebhookReceiver<Ctx> {
  const maxBodyBytes = checkReceiverOptions(options as never, where);
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
      await onDelivery(delivery, request);
      return { status: 204 };
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
  if (answer.body === undefined) return new Response(null, { status: answer.status });
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
}
