/**
 * Exactly-once handling of PostHog's webhook deliveries across replicas and restarts. PostHog keeps
 * `webhook-id` across the retries of one delivery, so a receiver claims the id in a shared store
 * before the handler runs, records it done after, and releases it when the handler throws: a
 * retry, or the same delivery on another replica, then runs the handler only when it has to.
 */
import { ConfigurationError, ERROR_CODES, PostHogConversationsError, describeType } from '../basics/errors.js';
import { logLimit } from '../basics/log-limit.js';
import { assertConfigKeys } from '../basics/options.js';

/** What {@link IdempotencyStore.claim} found. */
export type IdempotencyClaim =
  /** The id was free: it is held for this receiver for the lease; run the handler. */
  | { readonly status: 'claimed' }
  /** A handler already succeeded for this id: do not run it again. */
  | { readonly status: 'done' }
  /** Another receiver holds the id right now, for `retryAfterMs` more at most. */
  | { readonly status: 'busy'; readonly retryAfterMs: number };

/**
 * Where receivers record which deliveries they hold and which are done: small on purpose, so any
 * store with an atomic insert-if-absent can back it (Redis, Postgres, a Durable Object). Every
 * method may reject: the receiver then answers 503 (PostHog retries) and never runs the handler
 * unclaimed.
 *
 * @example
 * // The semantics, as memoryIdempotencyStore() implements them:
 * await store.claim('msg_1', 'a', 60_000) // { status: 'claimed' }: held by token 'a' for 60 s
 * await store.claim('msg_1', 'b', 60_000) // { status: 'busy', retryAfterMs: 59_990 }
 * await store.release('msg_1', 'a')       // free again (only token 'a' may release it)
 * await store.complete('msg_1', 86_400_000)
 * await store.claim('msg_1', 'c', 60_000) // { status: 'done' }
 */
export interface IdempotencyStore {
  /**
   * In one atomic step: when `key` is free (never seen, released, or its lease ran out), hold it
   * under `token` for `leaseMs` and answer `claimed`; when it is done, answer `done`; when another
   * token holds it, answer `busy` with the milliseconds left on that lease. Never read-then-write.
   */
  claim(key: string, token: string, leaseMs: number): Promise<IdempotencyClaim>;
  /** Records `key` as done for `retainMs`, replacing any claim on it. */
  complete(key: string, retainMs: number): Promise<void>;
  /** Frees `key` if `token` still holds it (a claim another receiver took since is left alone). */
  release(key: string, token: string): Promise<void>;
}

/** The `idempotency` option of every webhook receiver. */
export interface WebhookIdempotencyOptions {
  /** Where claims and done records live: `redisIdempotencyStore(client)` across replicas, `memoryIdempotencyStore()` in one process. */
  store: IdempotencyStore;
  /**
   * How long a claim holds a delivery while its handler runs, in seconds (1 to 3600, default 60).
   * Longer than your handler ever takes (else a retry may run it a second time), and a claim left
   * by a process that died blocks retries for this long: PostHog's last retry comes about 25 s
   * after the first attempt, so hand slow work to a queue and keep the handler short.
   */
  leaseSeconds?: number | undefined;
  /**
   * How long a delivery is remembered as done, in seconds (60 to 30 days, default 86400: a day).
   * PostHog retries one delivery for about 25 s (3 attempts); a day also covers a delivery replayed
   * by hand from PostHog's logs the same day.
   */
  retainSeconds?: number | undefined;
  /** Longest wait for the store, in milliseconds, before answering 503 (1 to 30000, default 2000). */
  storeTimeoutMs?: number | undefined;
  /**
   * Called when the store fails or is slow (the delivery is answered 503 and PostHog retries), or
   * fails to record a success (answered 2xx; the claim expires after its lease).
   * Default: `console.error`, each kind at most once a minute.
   */
  onStoreError?: ((error: IdempotencyStoreError) => void) | undefined;
}

const IDEMPOTENCY_KEYS = ['store', 'leaseSeconds', 'retainSeconds', 'storeTimeoutMs', 'onStoreError'] as const;

/**
 * The idempotency store failed, did not answer in time, or answered something that is not a claim.
 * The receiver reports it (`onStoreError`) and answers 503; `cause` is the store's own error.
 */
export class IdempotencyStoreError extends PostHogConversationsError {
  override readonly name = 'IdempotencyStoreError';
  /** Which store call failed. */
  readonly operation: 'claim' | 'complete' | 'release';

  constructor(operation: 'claim' | 'complete' | 'release', message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.IdempotencyStoreError, message, options);
    this.operation = operation;
  }
}

/** What the receiver does with one verified delivery, decided by the store. */
export type Admission =
  | { readonly run: true; readonly settle: (succeeded: boolean) => Promise<void> }
  | { readonly run: false; readonly answer: 'done' | 'store-failed' }
  | { readonly run: false; readonly answer: 'busy'; readonly retryAfterSeconds: number };

/** A checked `idempotency` option: admits a delivery (or not) and settles it after the handler. */
export interface DeliveryGate {
  admit(id: string): Promise<Admission>;
}

function whole(value: unknown, name: string, min: number, max: number, fallback: number, unit: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ConfigurationError(
      `${name} must be a whole number of ${unit} from ${min} to ${max}, got ${typeof value === 'number' ? value : describeType(value)}`,
    );
  return value;
}

// Credentials in a store's error (`redis://user:password@host`) are masked before any log line.
const maskCredentials = (text: string): string => text.replace(/\/\/[^/@\s]*@/g, '//***@');

function defaultStoreReporter(): (error: IdempotencyStoreError) => void {
  const fresh = logLimit(60_000, 20);
  return (error) => {
    if (!fresh(`${error.operation}:${error.message.slice(0, 40)}`)) return;
    const cause = error.cause instanceof Error ? `: ${maskCredentials(error.cause.message)}` : '';
    console.error(`posthog-conversations: ${error.message}${cause} (reported at most once a minute)`);
  };
}

/** A promise's result, or a rejection after `ms`; `late` gets the result if it comes after. */
function within<T>(promise: Promise<T>, ms: number, late?: (value: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expired = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  promise.then(
    (value) => {
      if (expired) late?.(value);
    },
    () => {},
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function isClaim(value: unknown): value is IdempotencyClaim {
  if (typeof value !== 'object' || value === null) return false;
  const { status, retryAfterMs } = value as { status?: unknown; retryAfterMs?: unknown };
  if (status === 'claimed' || status === 'done') return true;
  return status === 'busy' && typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs);
}

/** Random enough that two receivers never share a claim token; on every runtime. */
const newToken = (): string => globalThis.crypto.randomUUID();

/**
 * Checks the `idempotency` option once, at start-up; undefined when it is not set. `name` is the
 * option as the user wrote it (`idempotency`, Nest's `webhookIdempotency`), for the messages.
 */
export function deliveryGate(options: unknown, where: string, name = 'idempotency'): DeliveryGate | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null)
    throw new ConfigurationError(`${name} in ${where} must be { store, leaseSeconds?, retainSeconds? }, got ${describeType(options)}`);
  assertConfigKeys(options, IDEMPOTENCY_KEYS, `${where} ${name}`);
  const { store, onStoreError } = options as WebhookIdempotencyOptions;
  const methods = ['claim', 'complete', 'release'] as const;
  if (
    typeof store !== 'object' ||
    store === null ||
    methods.some((m) => typeof (store as unknown as Record<string, unknown>)[m] !== 'function')
  )
    throw new ConfigurationError(
      `${name}.store must be an IdempotencyStore ({ claim, complete, release }): redisIdempotencyStore(client) or memoryIdempotencyStore()`,
    );
  if (onStoreError !== undefined && typeof onStoreError !== 'function')
    throw new ConfigurationError(`${name}.onStoreError must be a function`);
  const o = options as WebhookIdempotencyOptions;
  const leaseMs = whole(o.leaseSeconds, `${name}.leaseSeconds`, 1, 3600, 60, 'seconds') * 1000;
  const retainMs = whole(o.retainSeconds, `${name}.retainSeconds`, 60, 30 * 86_400, 86_400, 'seconds') * 1000;
  const timeoutMs = whole(o.storeTimeoutMs, `${name}.storeTimeoutMs`, 1, 30_000, 2000, 'milliseconds');
  const report = onStoreError ?? defaultStoreReporter();

  const failure = (operation: IdempotencyStoreError['operation'], id: string, cause: unknown): IdempotencyStoreError => {
    const what = operation === 'claim' ? 'could not claim' : operation === 'complete' ? 'could not record as done' : 'could not release';
    const error = new IdempotencyStoreError(operation, `the idempotency store ${what} webhook delivery ${id}`, { cause });
    try {
      report(error);
    } catch {
      // A throwing reporter must not turn a 503 into a crash.
    }
    return error;
  };
  const release = (id: string, token: string): Promise<void> =>
    within(
      Promise.resolve().then(() => store.release(id, token)),
      timeoutMs,
    ).then(
      () => undefined,
      (cause) => void failure('release', id, cause),
    );

  return {
    async admit(id) {
      const token = newToken();
      let claim: IdempotencyClaim;
      try {
        const answer = await within(
          Promise.resolve().then(() => store.claim(id, token, leaseMs)),
          timeoutMs,
          // A claim that lands after we gave up would block the retry for a whole lease: free it.
          (late) => {
            if (isClaim(late) && late.status === 'claimed') void release(id, token);
          },
        );
        if (!isClaim(answer)) throw new TypeError(`claim answered ${describeType(answer)}, not { status: 'claimed' | 'done' | 'busy' }`);
        claim = answer;
      } catch (cause) {
        failure('claim', id, cause);
        return { run: false, answer: 'store-failed' };
      }
      if (claim.status === 'done') return { run: false, answer: 'done' };
      if (claim.status === 'busy')
        return { run: false, answer: 'busy', retryAfterSeconds: Math.min(3600, Math.max(1, Math.ceil(claim.retryAfterMs / 1000))) };
      return {
        run: true,
        async settle(succeeded) {
          if (!succeeded) return release(id, token);
          try {
            await within(
              Promise.resolve().then(() => store.complete(id, retainMs)),
              timeoutMs,
            );
          } catch (cause) {
            // The handler succeeded: answered 2xx all the same (PostHog will not retry); the claim expires after its lease.
            failure('complete', id, cause);
          }
        },
      };
    },
  };
}
