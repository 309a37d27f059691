// The receivers' one rule for a body a framework read first: its bytes, under the same cap.
import { describe, expect, it } from 'vitest';
import { capPreRead } from '../../src/webhooks/receiver.js';

describe('capPreRead', () => {
  it.each([
    ['bytes within the cap', new Uint8Array(1024), 1024, true],
    ['bytes over the cap', new Uint8Array(1025), 1024, false],
    ['ASCII text within the cap', 'x'.repeat(1024), 1024, true],
    ['ASCII text over the cap', 'x'.repeat(1025), 1024, false],
    // 600 UTF-16 units, but 1,800 bytes of UTF-8: the cap is on bytes, as for a body read raw.
    ['multi-byte text short in units but over in bytes', '€'.repeat(600), 1024, false],
    ['multi-byte text within the cap in bytes', '€'.repeat(341), 1024, true],
  ])('%s', (_, body, cap, kept) => {
    expect(capPreRead(body, cap)).toBe(kept ? body : undefined);
  });
});
