// The emulator's throttles: DRF's sliding window, and a bounded memory for a long-running emulator.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_RATES } from '../../src/testing/emulator/types.js';
import { Throttles } from '../../src/testing/emulator/throttle.js';

describe('Throttles', () => {
  it("answers the scope's 429 with DRF's wait once the window is full, and lets requests through again after it", () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const throttles = new Throttles({ ...DEFAULT_THROTTLE_RATES, widget_user_burst: '2/minute' }, true, () => now);
    const check = () => throttles.check([['widget_user_burst', 'session-a']]);
    expect([check(), check()]).toEqual([undefined, undefined]);
    expect(check()).toMatchObject({
      status: 429,
      body: { code: 'throttled', detail: 'Request was throttled. Expected available in 60 seconds.' },
    });
    now = new Date(now.getTime() + 61_000);
    expect(check()).toBeUndefined();
  });

  it('keeps at most 10,000 keys however many sessions come and go', () => {
    const throttles = new Throttles(DEFAULT_THROTTLE_RATES, true, () => new Date());
    for (let i = 0; i < 12_000; i++) throttles.check([['widget_user_burst', `session-${i}`]]);
    expect(throttles.size).toBe(10_000);
  });
});
