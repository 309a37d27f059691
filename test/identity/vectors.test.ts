import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdentitySigner, computeIdentityHash, verifyIdentityHash } from '../../src/identity/index.js';
import { createHmacKey as createEdgeKey } from '../../src/identity/hmac.edge.js';
import { createHmacKey as createNodeKey } from '../../src/identity/hmac.node.js';
import { identityVectors } from '../fixtures.js';

// Ids the server would strip or refuse, so the public functions reject them (see rules.ts).
const refusedByServer = new Set(['', ' padded ', '\u2028line-sep']);
const accepted = identityVectors.filter((c) => !refusedByServer.has(c.distinct_id));
const label = (c: { distinct_id: string; secret: string }) =>
  `${JSON.stringify(c.distinct_id).slice(0, 24)} / secret of ${c.secret.length} chars`;

describe('identity vectors from PostHog Python', () => {
  it('covers the refused ids and every other case', () => {
    expect(accepted.length).toBe(identityVectors.length - 6);
  });

  it.each(identityVectors.map((c) => [label(c), c] as const))('node HMAC key matches %s', (_, c) => {
    expect(createNodeKey(c.secret).hex(c.distinct_id)).toBe(c.hash);
  });

  it.each(identityVectors.map((c) => [label(c), c] as const))('edge HMAC key matches %s', (_, c) => {
    expect(createEdgeKey(c.secret).hex(c.distinct_id)).toBe(c.hash);
  });

  it.each(accepted.map((c) => [label(c), c] as const))('computeIdentityHash matches %s', (_, c) => {
    expect(computeIdentityHash(c.distinct_id, c.secret)).toBe(c.hash);
    expect(new IdentitySigner({ secret: c.secret }).sign(c.distinct_id)).toBe(c.hash);
    expect(verifyIdentityHash(c.distinct_id, c.hash, c.secret)).toBe(true);
  });

  it.each([...refusedByServer].map((id) => [JSON.stringify(id), id] as const))(
    'refuses %s, which the server strips or rejects, instead of signing it',
    (_, id) => {
      expect(() => computeIdentityHash(id, 's')).toThrow(/distinctId/);
    },
  );

  it('signs a safe integer as its decimal string, the way posthog-js sends it', () => {
    const c = identityVectors.find((v) => v.distinct_id === '42' && v.secret === 's')!;
    expect(computeIdentityHash(42, 's')).toBe(c.hash);
    expect(new IdentitySigner({ secret: 's' }).sign(42)).toBe(c.hash);
  });

  it('agrees with createHmac for messages past the fast-path buffer', () => {
    const key = createNodeKey('phs_abc');
    for (const message of ['x'.repeat(2048), 'x'.repeat(2049), '🦔'.repeat(1500), 'é'.repeat(5000)]) {
      expect(key.hex(message)).toBe(createHmac('sha256', 'phs_abc').update(message).digest('hex'));
    }
  });

  it('gives the same answer when the key is reused many times (no state leaks between calls)', () => {
    const key = createNodeKey('phs_abc');
    const long = key.hex('a-much-longer-distinct-id-than-the-next-one');
    expect(key.hex('short')).toBe(createHmac('sha256', 'phs_abc').update('short').digest('hex'));
    expect(key.hex('a-much-longer-distinct-id-than-the-next-one')).toBe(long);
  });
});
