/**
 * Standard Webhooks verification (https://www.standardwebhooks.com), as PostHog's HTTP webhook
 * destination and workflow webhook action sign deliveries: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` keyed with the base64-decoded `whsec_` secret,
 * sent as one or more space-separated `v1,<base64>` signatures in `webhook-signature`.
 * Synchronous, on every runtime: the HMAC comes from the same `#hmac` choice as identities.
 */
import { nowSeconds } from '../basics/time.js';
import { prepareWebhookKey, type WebhookKey } from '#hmac';
import { ConfigurationError, type ERROR_CODES, PostHogConversationsError, ValidationError, describeType } from '../basics/errors.js';
import { assertConfigKeys, assertInputKeys } from '../basics/options.js';
import { parseConversationEvent, type WebhookDelivery } from './events.js';

/** Why a delivery was refused: one stable code per cause. */
export type WebhookVerificationCode = (typeof ERROR_CODES.WebhookVerificationError)[number];

/**
 * A delivery that is not proven to come from PostHog, or not within the time window. Answer it
 * with a 400 (PostHog retries other failures). The message never contains the secret.
 */
export class WebhookVerificationError extends PostHogConversationsError {
  override readonly name = 'WebhookVerificationError';
  declare readonly code: WebhookVerificationCode;
  constructor(code: WebhookVerificationCode, message: string) {
    super(code, message);
  }
}

/** A header source: a Fetch `Headers`, Node's `req.headers`, or a plain record (any case). */
export type WebhookHeaders =
  | Headers
  | {
      /** A header's value, or null when absent (a Fetch `Headers`-like object). */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What {@link verifyWebhook} checks. */
export interface VerifyWebhookOptions {
  /**
   * The raw request body, exactly as received: a string, a Buffer or a Uint8Array. A parsed JSON
   * object cannot be verified (its bytes are gone): read the raw body (`express.raw()`,
   * `await request.text()`).
   */
  payload: string | Uint8Array;
  /** The request's headers. */
  headers: WebhookHeaders;
  /** The signing secret (`whsec_...`), or several (current first) while you rotate it. */
  secret: string | readonly string[];
  /** How far, in seconds, the delivery's timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number | undefined;
  /** The current time as a `Date` or epoch milliseconds; for tests. Default now. */
  now?: Date | number | undefined;
}

const VERIFY_KEYS = ['payload', 'headers', 'secret', 'toleranceSeconds', 'now'] as const;
const SECRET_PREFIX = 'whsec_';
const MAX_TOLERANCE_SECONDS = 86_400;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The signing key: the base64 after `whsec_`, decoded strictly. Never echoes the secret. */
function keyOf(secret: unknown, field: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new ConfigurationError(
      `${field} must be the webhook signing secret (whsec_...), got ${typeof secret === 'string' ? 'an empty string' : describeType(secret)}`,
    );
  }
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  let binary: string;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('not base64');
    binary = atob(encoded);
  } catch {
    const hint = secret !== secret.trim() ? ' It has surrounding whitespace (a stray newline from an .env file?).' : '';
    throw new ConfigurationError(
      `${field} is not a Standard Webhooks secret: whsec_ followed by base64.${hint} Copy it again from the webhook's settings in PostHog.`,
    );
  }
  if (binary.length === 0) throw new ConfigurationError(`${field} decodes to an empty key`);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The signing keys of one secret or a list (current first); a ConfigurationError names what is wrong. */
export function keysOf(secret: unknown): Uint8Array[] {
  if (typeof secret === 'string') return [keyOf(secret, 'secret')];
  if (!Array.isArray(secret) || secret.length === 0) {
    throw new ConfigurationError('secret must be a signing secret (whsec_...) or a non-empty array of them (current first)');
  }
  return secret.map((s, i) => keyOf(s, `secret[${i}]`));
}

/** One header, case-insensitively, from any of the header shapes; several values are joined with a space. */
function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join(' ');
  }
  return undefined;
}

/** Constant-time equality of two ASCII strings (their lengths are public: a v1 signature is 44 characters). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The timestamp window in seconds (default 300), or `fail`'s error. */
export function toleranceOf(value: unknown, fail: (message: string) => Error): number {
  if (value === undefined) return 300;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_TOLERANCE_SECONDS) {
    throw fail(`toleranceSeconds must be a whole number of seconds from 0 to ${MAX_TOLERANCE_SECONDS}`);
  }
  return value;
}

function payloadBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return encoder.encode(payload);
  if (payload instanceof Uint8Array) return payload;
  throw new ValidationError(
    'payload',
    `payload must be the raw request body (a string, Buffer or Uint8Array), got ${describeType(payload)}. A parsed JSON body cannot be verified: its exact bytes are gone. Read the raw body (express.raw({ type: 'application/json' }), await request.text()).`,
  );
}

/**
 * Verifies a signed delivery from PostHog and returns it parsed, with the Conversations event typed
 * when it is one. Every signature in the header is tried against every secret, in constant time.
 *
 * @throws {WebhookVerificationError} for a delivery that must be refused (answer 400): a missing
 *   header, a malformed or out-of-window timestamp, no matching signature, or a body that is not JSON.
 * @throws {ConfigurationError} for a secret that is not `whsec_` + base64.
 * @example
 * const delivery = verifyWebhook({ payload: rawBody, headers: req.headers, secret: process.env.POSTHOG_WEBHOOK_SECRET })
 * if (delivery.event?.event === '$conversation_ticket_created') route(delivery.event.properties.ticket_id)
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookDelivery {
  assertInputKeys(options, VERIFY_KEYS, 'verifyWebhook options');
  const tolerance = toleranceOf(options.toleranceSeconds, (message) => new ValidationError('toleranceSeconds', message));
  return verifyWith(keysOf(options.secret).map(prepareWebhookKey), tolerance, options.payload, options.headers, options.now);
}

/** Options of {@link createWebhookVerifier}: the secret (or secrets while you rotate) and the window. */
export interface WebhookVerifierOptions {
  /** The signing secret (`whsec_...`), or several while you rotate (every one is tried). */
  secret: string | readonly string[];
  /** Timestamp window, in seconds, either way. Default 300. */
  toleranceSeconds?: number | undefined;
}

/** A verifier with its keys decoded and prepared once: for a receiver that verifies many deliveries. */
export interface WebhookVerifier {
  /** Verifies one delivery, as {@link verifyWebhook} does. */
  verify(payload: string | Uint8Array, headers: WebhookHeaders, now?: Date | number): WebhookDelivery;
}

/**
 * Checks the options and decodes and prepares the keys once (a bad secret fails here, at
 * start-up), as svix and standard-webhooks do with `new Webhook(secret)`.
 *
 * @example
 * const verifier = createWebhookVerifier({ secret: process.env.POSTHOG_WEBHOOK_SECRET })
 * app.post('/webhooks/posthog', (req) => handle(verifier.verify(req.rawBody, req.headers)))
 */
export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  assertConfigKeys(options, VERIFIER_KEYS, 'createWebhookVerifier options');
  const keys = keysOf(options.secret).map(prepareWebhookKey);
  const tolerance = toleranceOf(options.toleranceSeconds, (message) => new ConfigurationError(message));
  return { verify: (payload, headers, now) => verifyWith(keys, tolerance, payload, headers, now) };
}

const VERIFIER_KEYS = ['secret', 'toleranceSeconds'] as const;

function verifyWith(
  keys: readonly WebhookKey[],
  tolerance: number,
  payload: unknown,
  headers: WebhookHeaders,
  nowValue: Date | number | undefined,
): WebhookDelivery {
  const body = payloadBytes(payload);
  if (typeof headers !== 'object' || headers === null)
    throw new ValidationError('headers', `headers must be the request's headers, got ${describeType(headers)}`);

  const id = readHeader(headers, 'webhook-id');
  const timestampText = readHeader(headers, 'webhook-timestamp');
  const signatures = readHeader(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) {
    const missing = [
      ['webhook-id', id],
      ['webhook-timestamp', timestampText],
      ['webhook-signature', signatures],
    ]
      .filter(([, v]) => !v)
      .map(([n]) => n);
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_MISSING_HEADER',
      `the delivery has no ${missing.join(', ')} header: it is not a signed webhook`,
    );
  }
  if (!/^\d{1,12}$/.test(timestampText))
    throw new WebhookVerificationError('ERR_WEBHOOK_BAD_TIMESTAMP', 'webhook-timestamp is not a whole number of Unix seconds');
  const timestamp = Number(timestampText);
  const now = nowSeconds(nowValue);
  if (now - timestamp > tolerance)
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_TOO_OLD',
      `webhook-timestamp is ${now - timestamp} s old, more than ${tolerance} s: a replay, or a clock far off`,
    );
  if (timestamp - now > tolerance)
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_TOO_NEW',
      `webhook-timestamp is ${timestamp - now} s in the future, more than ${tolerance} s: a clock far off`,
    );

  const prefix = `${id}.${timestampText}.`;
  let matched = 0;
  for (const key of keys) {
    const expected = key.signBase64(prefix, body);
    // Each space-separated `v1,<base64>` entry is compared in constant time; other versions are passed over.
    for (let start = 0; start < signatures.length; ) {
      const end = signatures.indexOf(' ', start);
      const part = signatures.slice(start, end === -1 ? undefined : end);
      if (part.startsWith('v1,')) matched |= sameText(expected, part.slice(3)) ? 1 : 0;
      start = end === -1 ? signatures.length : end + 1;
    }
  }
  if (matched === 0)
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_BAD_SIGNATURE',
      'no v1 signature in webhook-signature matches the secret: a forged or altered delivery, or the wrong secret',
    );

  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(body));
  } catch {
    throw new WebhookVerificationError('ERR_WEBHOOK_BAD_PAYLOAD', 'the delivery is signed but its body is not UTF-8 JSON');
  }
  return { id, timestamp: new Date(timestamp * 1000), body: parsed, ...parseConversationEvent(parsed) };
}
