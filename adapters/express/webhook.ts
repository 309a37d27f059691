/** Express's receiver of PostHog's signed webhooks: the raw body read (or taken from express.raw()) under its cap. */
import type { Request, RequestHandler } from 'express';
import { ConfigurationError } from '../../src/basics/errors.js';
import { TOO_LARGE, capPreRead, createWebhookReceiver, type WebhookReceiverOptions } from '../../src/webhooks/receiver.js';

/** Options of {@link posthogWebhook}: your handler gets the verified delivery and Express's request. */
export type PostHogWebhookOptions = WebhookReceiverOptions<Request>;

/** Reads the raw body of a request nothing has read yet, up to `cap` bytes (undefined when larger). */
function readRawBody(req: Request, cap: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > cap) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.resume(); // drain the rest unread, so the 413 can be sent on this connection
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/**
 * A handler for PostHog's signed webhook deliveries. It reads the raw body itself (no
 * `express.json()` needed, and none may run before it on this route): 204 once `onDelivery`
 * succeeded, 400 for a delivery that is not proven to be PostHog's, 413 over `maxBodyBytes`; an
 * error from `onDelivery` goes to `next(err)` (a 5xx, which PostHog retries with the same id).
 *
 * @example
 * app.post('/webhooks/posthog', posthogWebhook({
 *   secret: process.env.POSTHOG_WEBHOOK_SECRET,
 *   onDelivery: async ({ id, event }) => { if (event?.event === '$conversation_ticket_created') await route(event.properties.ticket_id) },
 * }))
 */
export function posthogWebhook(options: PostHogWebhookOptions): RequestHandler {
  const receiver = createWebhookReceiver(options, 'posthogWebhook options');
  return (req, res, next) => {
    const raw = (req as { body?: unknown }).body;
    let payload: Promise<Buffer | string | undefined>;
    if (Buffer.isBuffer(raw) || typeof raw === 'string')
      payload = Promise.resolve(capPreRead(raw, receiver.maxBodyBytes) as Buffer | string | undefined); // express.raw() / express.text() ran
    else if (req.readableEnded || (typeof raw === 'object' && raw !== null && Object.keys(raw).length > 0)) {
      return next(
        new ConfigurationError(
          'posthogWebhook needs the raw body, but a body parser (express.json()?) already read it: mount the webhook route before app.use(express.json()), or give it express.raw({ type: "application/json" })',
        ),
      );
    } else payload = readRawBody(req, receiver.maxBodyBytes);
    payload
      .then((body) => (body === undefined ? TOO_LARGE : receiver.receive(body, req.headers, req)))
      .then((answer) => {
        if (answer.headers !== undefined) res.set(answer.headers);
        if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).json(answer.body);
      }, next);
  };
}
