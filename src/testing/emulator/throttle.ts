/** DRF's `SimpleRateThrottle`: a sliding window of request times per scope and key. */
import { createHash } from 'node:crypto';
import { drfError, type Answer } from './answers.js';
import type { ThrottleRates, ThrottleScope } from './types.js';

const PERIODS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function parseRate(rate: string): { count: number; seconds: number } {
  const [count, period] = rate.split('/');
  return { count: Number(count), seconds: PERIODS[period!.trim()[0]!] ?? 60 };
}

export const hashKey = (value: string): string => createHash('sha256').update(value).digest('hex');

// Each widget session or address is a key: a long-running emulator keeps the most recent ones.
const MAX_KEYS = 10_000;

export class Throttles {
  readonly #history = new Map<string, number[]>();
  constructor(
    public rates: ThrottleRates,
    public enabled: boolean,
    readonly now: () => Date,
  ) {}

  reset(): void {
    this.#history.clear();
  }

  /** How many scope-and-key histories are kept (bounded). */
  get size(): number {
    return this.#history.size;
  }

  /** Records one request for each scope; answers the 429 of the first exhausted one (DRF checks them all in order). */
  check(checks: ReadonlyArray<[ThrottleScope, string]>): Answer | undefined {
    if (!this.enabled) return undefined;
    const now = this.now().getTime() / 1000;
    const waits: number[] = [];
    for (const [scope, key] of checks) {
      const { count, seconds } = parseRate(this.rates[scope]);
      const id = `${scope}:${key}`;
      const history = (this.#history.get(id) ?? []).filter((t) => t > now - seconds);
      if (history.length >= count) {
        const remaining = seconds - (now - history[0]!);
        waits.push(remaining / Math.max(1, count - history.length + 1));
      } else {
        history.push(now);
      }
      this.#history.delete(id); // re-inserted last: the map's order is least recently used first
      this.#history.set(id, history);
      if (this.#history.size > MAX_KEYS) this.#history.delete(this.#history.keys().next().value!);
    }
    if (waits.length === 0) return undefined;
    const wait = Math.ceil(Math.max(...waits));
    // PostHog's exception handler sends no Retry-After header: only the detail says when.
    return drfError(
      429,
      'throttled_error',
      'throttled',
      `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
    );
  }
}
