/** Fault injection: make the emulator slow, fail, reset connections or answer broken JSON, on purpose. */

export interface FaultRule {
  /** Only requests with this method (default: any). */
  method?: string | undefined;
  /** Only paths that start with this string or match this expression (default: any). */
  path?: string | RegExp | undefined;
  /** How many matching requests it applies to (default 1; `Infinity` for all). */
  times?: number | undefined;
  /** Wait this long before going on. */
  delayMs?: number | undefined;
  /** Answer with this status (and `body`, `headers`) instead of handling the request. */
  status?: number | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** Answer 200 with a body that is not valid JSON. */
  malformedJson?: boolean | undefined;
  /** Destroy the connection without an answer. */
  reset?: boolean | undefined;
  /** With `reset`: handle the request first (the server acted; the answer is lost). */
  afterHandling?: boolean | undefined;
}

export class Faults {
  #rules: Array<FaultRule & { left: number }> = [];

  /** Adds a rule; the first matching rule with uses left applies. */
  add(rule: FaultRule): void {
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
