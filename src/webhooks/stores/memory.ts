/** The idempotency store of one process: claims and done records in a bounded Map. */
import { ConfigurationError, describeType } from '../../basics/errors.js';
import { assertConfigKeys } from '../../basics/options.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency.js';

/** Options of {@link memoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /**
   * Most deliveries remembered (default 100000). When full, the oldest records go (expired ones
   * first, as they come): a delivery forgotten that way could run again if PostHog retried it, so
   * size it above a day's deliveries.
   */
  maxEntries?: number | undefined;
}

type Entry = { readonly token: string | null; readonly expiresAt: number };

/**
 * An {@link IdempotencyStore} in this process's memory: for one replica, tests and development.
 * Replicas do not share it, and a restart forgets it: across replicas use `redisIdempotencyStore`.
 *
 * @example
 * posthogWebhook({ secret, onDelivery, idempotency: { store: memoryIdempotencyStore() } })
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  assertConfigKeys(options, ['maxEntries'], 'memoryIdempotencyStore options');
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new ConfigurationError(`maxEntries must be a positive whole number, got ${describeType(maxEntries)}`);
  // token null: done. Insertion order is age order, for the eviction of the oldest.
  const entries = new Map<string, Entry>();

  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // From the oldest: expired records go until there is room, else the oldest live one. Amortized
  // constant time per delivery, where a sweep of the whole map would cost every delivery once full.
  const put = (key: string, entry: Entry, now: number): void => {
    entries.delete(key);
    for (const [k, e] of entries) {
      if (entries.size < maxEntries) break;
      entries.delete(k);
      if (e.expiresAt > now) break;
    }
    entries.set(key, entry);
  };

  return {
    async claim(key, token, leaseMs): Promise<IdempotencyClaim> {
      const now = Date.now();
      const entry = live(key, now);
      if (entry === undefined) {
        put(key, { token, expiresAt: now + leaseMs }, now);
        return { status: 'claimed' };
      }
      if (entry.token === null) return { status: 'done' };
      return { status: 'busy', retryAfterMs: entry.expiresAt - now };
    },
    async complete(key, retainMs) {
      const now = Date.now();
      put(key, { token: null, expiresAt: now + retainMs }, now);
    },
    async release(key, token) {
      if (live(key, Date.now())?.token === token) entries.delete(key);
    },
  };
}
