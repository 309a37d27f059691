/**
 * `posthog-conversations trigger <event> --url <receiver>`: posts one signed test delivery to a
 * running receiver, as PostHog would, and says how it answered. Bounded: 10 s per attempt (as
 * PostHog waits), 64 KiB of the answer read, the secret masked in anything printed.
 */
import { ConfigurationError } from '../basics/errors.js';
import { readFetchBody } from '../basics/fetch-body.js';
import { webhookDelivery } from '../testing/webhook-delivery.js';
import type { ConversationEventName } from '../webhooks/events.js';

/** What `trigger` was asked to send. */
export interface TriggerRequest {
  event: string;
  url: string;
  secret: string;
  id?: string | undefined;
  properties?: Record<string, unknown> | undefined;
  /** Times to send the same delivery (same webhook-id, re-signed each time), as PostHog's retries would. */
  times: number;
  timeoutMs?: number | undefined;
}

/** One attempt's outcome. */
export interface TriggerAttempt {
  status?: number;
  /** The answer's body (up to 64 KiB, the secret masked), or the network error. */
  body?: string;
  error?: string;
  ms: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

async function readCapped(response: Response): Promise<string> {
  const bytes = await readFetchBody(response, MAX_ANSWER_BYTES);
  return bytes === undefined ? '(an answer over 64 KiB, not shown)' : new TextDecoder().decode(bytes);
}

/** The receiver's URL, checked: http(s), no credentials (they would be printed). */
export function receiverUrl(value: string | undefined): URL {
  if (value === undefined)
    throw new ConfigurationError('trigger needs --url <receiver>, such as --url http://127.0.0.1:3000/webhooks/posthog');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `--url ${JSON.stringify(value)} is not a URL: give the whole address, such as http://127.0.0.1:3000/webhooks/posthog`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigurationError(`--url must be http or https, got ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new ConfigurationError('--url must not carry credentials');
  return url;
}

/** Sends the delivery `times` times, one after another, and reports each attempt. */
export async function trigger(request: TriggerRequest): Promise<{ id: string; attempts: TriggerAttempt[] }> {
  const url = receiverUrl(request.url);
  const mask = (text: string) => text.split(request.secret).join('whsec_***');
  let id = request.id;
  const attempts: TriggerAttempt[] = [];
  for (let i = 0; i < request.times; i++) {
    // Re-signed per attempt (a fresh timestamp), the same webhook-id: as PostHog retries.
    const delivery = webhookDelivery(request.event as ConversationEventName, {
      secret: request.secret,
      id,
      properties: request.properties,
    });
    id = delivery.id;
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
      });
      const body = mask(await readCapped(response));
      attempts.push({ status: response.status, body, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const timeoutMs = request.timeoutMs ?? 10_000;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      attempts.push({ error: mask(String(reason)), ms: Math.round(performance.now() - started) });
    }
  }
  return { id: id!, attempts };
}
