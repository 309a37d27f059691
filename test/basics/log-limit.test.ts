import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logLimit } from '../../src/basics/log-limit.js';

describe('logLimit, the bound on the log lines the SDK writes by itself', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('lets each kind through once per interval', () => {
    const fresh = logLimit(60_000, 10);
    expect([fresh('a'), fresh('a'), fresh('b')]).toEqual([true, false, true]);
    vi.advanceTimersByTime(59_999);
    expect(fresh('a')).toBe(false);
    vi.advanceTimersByTime(1);
    expect([fresh('a'), fresh('a')]).toEqual([true, false]);
  });

  it('with an infinite interval, lets each kind through once in the process', () => {
    const fresh = logLimit(Number.POSITIVE_INFINITY, 10);
    expect(fresh('a')).toBe(true);
    vi.advanceTimersByTime(10 ** 12);
    expect(fresh('a')).toBe(false);
  });

  it('remembers at most maxKinds kinds, and refuses new ones while all are recent: at most maxKinds lines per interval', () => {
    const fresh = logLimit(60_000, 3);
    const admitted = Array.from({ length: 1000 }, (_, i) => fresh(`kind ${i}`)).filter(Boolean).length;
    expect(admitted).toBe(3);
    vi.advanceTimersByTime(60_000);
    // The old kinds have expired: new ones are let through again, still three at most.
    expect(Array.from({ length: 1000 }, (_, i) => fresh(`new ${i}`)).filter(Boolean).length).toBe(3);
  });

  it('never forgets with an infinite interval: a server that sends a new surprise on every call logs maxKinds lines in all', () => {
    const fresh = logLimit(Number.POSITIVE_INFINITY, 200);
    let lines = 0;
    for (let i = 0; i < 5000; i++) {
      if (fresh(`surprise ${i}`)) lines++;
      vi.advanceTimersByTime(1000);
    }
    expect(lines).toBe(200);
  });
});
