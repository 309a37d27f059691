/** Hono's receiver of PostHog's signed webhooks, with the body Hono kept when a middleware read it first. */
import type { Context, Env, Handler } from 'hono';
import { ConfigurationError } from '../../src/basics/errors.js';
import { readFetchBody } from '../../src/basics/fetch-body.js';
import { perSecret } from '../../src/adapter-kit/late-resolver.js';
import {
  capPreRead,
  checkReceiverOptions,
  createWebhookReceiver,
  receiveFetchRequest,
  type WebhookReceiverOptions,
} from '../../src/webhooks/receiver.js';

/**
 * Options of {@link posthogWebhook}: your handler gets the verified delivery and Hono's context.
 * `secret` may be a function that reads it from the request (`(c) => c.env.POSTHOG_WEBHOOK_SECRET`).
 */
export interface PostHogWebhookOptions<E extends Env = Env> extends Omit<WebhookReceiverOptions<Context<E>>, 'secret'> {
  /** The signing secret (`whsec_...`), several while you rotate, or a function that reads it from the request. */
  secret: string | readonly string[] | ((c: Context<E>) => string | readonly string[] | undefined);
}

/**
 * The raw body, even when a middleware read it first (`c.req.text()`, `c.req.json()`): Hono keeps
 * what it read, and gives those bytes again; a body read past Hono (`c.req.raw.text()`) is gone.
 */
async function honoBody(c: Context, cap: number): Promise<string | Uint8Array | undefined> {
  if (!c.req.raw.bodyUsed) return readFetchBody(c.req.raw, cap);
  if (Object.keys(c.req.bodyCache).length === 0) {
    throw new ConfigurationError(
      'posthogWebhook needs the raw body, but something read c.req.raw directly before it: read the body with c.req.text() or c.req.json() (Hono keeps it), or mount the webhook route first',
    );
  }
  return capPreRead(new Uint8Array(await c.req.arrayBuffer()), cap);
}

/**
 * A handler for PostHog's signed webhook deliveries, reading the raw body itself: 204 once
 * `onDelivery` succeeded, 400 for a delivery not proven to be PostHog's, 413 over `maxBodyBytes`;
 * an error from `onDelivery` reaches Hono's `onError` (a 500, which PostHog retries with the same id).
 *
 * @example
 * app.post('/webhooks/posthog', posthogWebhook({
 *   secret: (c) => c.env.POSTHOG_WEBHOOK_SECRET,
 *   onDelivery: async ({ id, event }) => { if (event?.event === '$conversation_ticket_created') await notify(event.properties.ticket_id) },
 * }))
 */
export function posthogWebhook<E extends Env = Env>(options: PostHogWebhookOptions<E>): Handler<E> {
  const { secret } = options;
  const where = 'posthogWebhook options';
  if (typeof secret !== 'function') {
    const receiver = createWebhookReceiver(options as WebhookReceiverOptions<Context<E>>, where);
    return (c) => receiveFetchRequest(receiver, c.req.raw, c, (cap) => honoBody(c, cap));
  }
  // Everything but the secret is checked now; the secret is read per request, its receiver kept.
  checkReceiverOptions(options, where);
  const receiverFor = perSecret(
    (value: string | readonly string[]) => createWebhookReceiver({ ...options, secret: value }, where),
    (value) => (typeof value === 'string' ? value : value.join('\n')),
  );
  return (c) => {
    const value = secret(c);
    if (value === undefined)
      throw new ConfigurationError(
        'posthogWebhook: the secret function returned undefined; is the webhook secret set in this environment?',
      );
    return receiveFetchRequest(receiverFor(value), c.req.raw, c, (cap) => honoBody(c, cap));
  };
}
