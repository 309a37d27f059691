/** Fault injection: make the emulator slow, fail, reset connections or answer broken JSON, on purpose. */
import { ConfigurationError } from '../../basics/errors.js';
import { assertConfigKeys } from '../../basics/options.js';

/** Which requests a fault applies to, and how many times. */
export interface FaultMatch {
  /** Only requests with this method (default: any). */
  method?: string | undefined;
  /** Only paths that start with this string or match this expression (default: any). */
  path?: string | RegExp | undefined;
  /** How many matching requests it applies to (default 1; `Infinity` for all). */
  times?: number | undefined;
}

/**
 * One fault, by kind: `delay` waits, then the request is handled as usual; `status` answers instead
 * of handling it; `reset` destroys the connection without an answer (`afterHandling`: once the
 * request was handled, so the server acted and the answer is lost); `malformed` answers 200 with a
 * body that is not valid JSON.
 *
 * @example
 * emulator.faults.add({ kind: 'status', path: '/api/conversations/v1/widget/tickets', status: 503, headers: { 'retry-after': '1' } })
 * emulator.faults.add({ kind: 'reset', path: '/api/conversations/v1/widget/message', afterHandling: true })
 */
export type FaultRule = FaultMatch &
  (
    | { kind: 'delay'; ms: number }
    | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> | undefined }
    | { kind: 'reset'; afterHandling?: boolean | undefined }
    | { kind: 'malformed' }
  );

const MATCH_KEYS = ['method', 'path', 'times'] as const;
const KIND_KEYS: Record<FaultRule['kind'], readonly string[]> = {
  delay: ['ms'],
  status: ['status', 'body', 'headers'],
  reset: ['afterHandling'],
  malformed: [],
};

/** Checks a rule's shape: a known kind, only its own keys, numbers where numbers belong. */
function checkRule(rule: FaultRule): void {
  const kind = (rule as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in KIND_KEYS)) {
    throw new ConfigurationError(
      "faults.add needs a kind: { kind: 'status', status: 503 }, { kind: 'delay', ms: 2000 }, { kind: 'reset', afterHandling? } or { kind: 'malformed' } (with path, method, times)",
    );
  }
  assertConfigKeys(rule, ['kind', ...MATCH_KEYS, ...KIND_KEYS[kind as FaultRule['kind']]], `faults.add ({ kind: '${kind}' })`);
  if (rule.kind === 'delay' && !(Number.isFinite(rule.ms) && rule.ms >= 0))
    throw new ConfigurationError('faults.add: a delay needs ms, a number of milliseconds');
  if (rule.kind === 'status' && !(Number.isInteger(rule.status) && rule.status >= 100 && rule.status <= 599))
    throw new ConfigurationError('faults.add: status must be an HTTP status from 100 to 599');
}

export class Faults {
  #rules: Array<FaultRule & { left: number }> = [];

  /** Adds a rule; the first matching rule with uses left applies. */
  add(rule: FaultRule): void {
    checkRule(rule);
    this.#rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rule for this request, with one use taken, or undefined. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.#rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(path))),
    );
    if (rule) rule.left -= 1;
    return rule;
  }
}
