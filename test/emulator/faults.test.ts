// Fault rules: one kind each, strictly checked, taken by the first matching rule with uses left.
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/index.js';
import { Faults, type FaultRule } from '../../src/testing/emulator/faults.js';

describe('Faults', () => {
  it('takes the first matching rule, as many times as it allows', () => {
    const faults = new Faults();
    faults.add({ kind: 'status', path: '/api/a', status: 503, times: 2 });
    faults.add({ kind: 'reset', method: 'POST' });
    expect(faults.take('GET', '/api/a/b')).toMatchObject({ kind: 'status', status: 503 });
    expect(faults.take('GET', '/api/a')).toMatchObject({ kind: 'status' });
    expect(faults.take('GET', '/api/a')).toBeUndefined();
    expect(faults.take('POST', '/anything')).toMatchObject({ kind: 'reset' });
    expect(faults.take('POST', '/anything')).toBeUndefined();
  });

  it.each([
    ['the old bag of flags (no kind)', { path: '/x', status: 503 }, /faults\.add needs a kind/],
    ['an unknown kind', { kind: 'explode' }, /faults\.add needs a kind/],
    ["another kind's key", { kind: 'status', status: 503, ms: 10 }, /unknown option `ms`/],
    ['a misspelt key', { kind: 'reset', afterHandlng: true }, /did you mean `afterHandling`/],
    ['a delay without ms', { kind: 'delay' }, /a delay needs ms/],
    ['a status out of range', { kind: 'status', status: 42 }, /status must be an HTTP status/],
  ])('refuses %s, saying what to write', (_, rule, message) => {
    expect(() => new Faults().add(rule as unknown as FaultRule)).toThrow(ConfigurationError);
    expect(() => new Faults().add(rule as unknown as FaultRule)).toThrow(message);
  });
});
