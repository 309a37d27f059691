import { describe, expect, it } from 'vitest';
import {
  IdentitySigner,
  ValidationError,
  canonicalEmail,
  identityFor,
  signEmailClaim,
  verifyEmailClaim,
} from '../../src/identity/index.js';
import { SECRET, emailClaimVectors } from '../fixtures.js';

const NOW_S = 1_764_086_400;
const NOW = new Date(NOW_S * 1000);

describe('email claim vectors from PostHog Python', () => {
  it.each(emailClaimVectors.map((c) => [c.value, c] as const))('signs %j exactly like the server', (_, c) => {
    const now = (c.exp - 3600) * 1000; // the default one-hour lifetime lands exactly on the vector's exp
    const claim = signEmailClaim({ distinctId: c.distinct_id, email: c.value, secret: c.secret, now });
    expect(claim).toEqual({ identity_email: c.canonical_value, identity_hash_email: c.hash, identity_exp_email: c.exp });
    expect(canonicalEmail(c.value)).toBe(c.canonical_value);
  });

  it.each(emailClaimVectors.map((c) => [c.value, c] as const))('verifies %j while it is valid', (_, c) => {
    const now = (c.exp - 1) * 1000;
    expect(verifyEmailClaim({ distinctId: c.distinct_id, email: c.value, hash: c.hash, exp: c.exp, secrets: c.secret, now })).toBe(true);
    expect(verifyEmailClaim({ distinctId: c.distinct_id, email: c.value, hash: c.hash, exp: String(c.exp), secrets: c.secret, now })).toBe(
      true,
    );
  });
});

describe('email claim lifetime, at its exact boundaries', () => {
  const claimAt = (ttlSeconds: number) =>
    signEmailClaim({ distinctId: 'user_123', email: 'a@b.co', secret: SECRET, emailTtlSeconds: ttlSeconds, now: NOW });
  const verifyAt = (claim: ReturnType<typeof claimAt>, nowS: number, ...expOverride: unknown[]) =>
    verifyEmailClaim({
      distinctId: 'user_123',
      email: claim.identity_email,
      hash: claim.identity_hash_email,
      exp: expOverride.length > 0 ? expOverride[0] : claim.identity_exp_email,
      secrets: SECRET,
      now: nowS * 1000,
    });

  it('defaults to one hour in whole Unix seconds', () => {
    expect(signEmailClaim({ distinctId: 'u', email: 'a@b.co', secret: SECRET, now: NOW_S * 1000 + 999 }).identity_exp_email).toBe(
      NOW_S + 3600,
    );
  });

  it('is valid one second before exp and expired at exp (exp <= now is expired)', () => {
    const claim = claimAt(60);
    expect(verifyAt(claim, NOW_S + 59)).toBe(true);
    expect(verifyAt(claim, NOW_S + 60)).toBe(false);
    expect(verifyAt(claim, NOW_S + 61)).toBe(false);
  });

  it('accepts exp up to 24 h + 5 min ahead and refuses one second more', () => {
    const claim = claimAt(86_400);
    expect(verifyAt(claim, NOW_S - 300)).toBe(true);
    expect(verifyAt(claim, NOW_S - 301)).toBe(false);
  });

  it('refuses a claim whose exp was moved (exp + 1), or is missing or not a number', () => {
    const claim = claimAt(60);
    expect(verifyAt(claim, NOW_S, claim.identity_exp_email + 1)).toBe(false);
    for (const exp of [undefined, null, '', 'abc', '1.5', 1.5, -1, {}]) expect(verifyAt(claim, NOW_S, exp)).toBe(false);
  });

  it.each([0, -1, 86_401, 1.5, Number.NaN, '60'])('rejects emailTtlSeconds %j with a message naming the 24 h limit', (ttlSeconds) => {
    expect(() => signEmailClaim({ distinctId: 'u', email: 'a@b.co', secret: SECRET, emailTtlSeconds: ttlSeconds as number })).toThrow(
      /emailTtlSeconds must be a whole number of seconds from 1 to 86400/,
    );
  });

  it('rejects an invalid now', () => {
    expect(() => signEmailClaim({ distinctId: 'u', email: 'a@b.co', secret: SECRET, now: new Date('nope') })).toThrow(/now must be/);
  });
});

describe('email claim input rules', () => {
  const base = { distinctId: 'user_123', secret: SECRET, now: NOW };

  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['without @', 'not-an-email'],
    ['@ at the end', 'person@'],
    ['a NUL', 'a\0@b.co'],
    ['a lone surrogate', 'a\uD800@b.co'],
    ['255 characters', `${'a'.repeat(249)}@b.com`],
    ['a number', 42],
  ])('rejects an email that is %s', (_, email) => {
    expect(() => signEmailClaim({ ...base, email: email as string })).toThrow(ValidationError);
  });

  it('rejects a distinct id the server would refuse, inside the claim too', () => {
    expect(() => signEmailClaim({ ...base, distinctId: 'a\0b', email: 'a@b.co' })).toThrow(/NUL/);
  });

  it('refuses a tampered hash, another distinct id, another email, or another secret', () => {
    const claim = signEmailClaim({ ...base, email: 'Person@Example.com' });
    const check = (over: Record<string, unknown>) =>
      verifyEmailClaim({
        distinctId: 'user_123',
        email: claim.identity_email,
        hash: claim.identity_hash_email,
        exp: claim.identity_exp_email,
        secrets: SECRET,
        now: NOW,
        ...over,
      });
    expect(check({})).toBe(true);
    expect(check({ email: '  PERSON@example.COM ' })).toBe(true); // canonicalised like the server
    expect(check({ hash: claim.identity_hash_email.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false);
    expect(check({ distinctId: 'user_124' })).toBe(false);
    expect(check({ email: 'other@example.com' })).toBe(false);
    expect(check({ secrets: 'phs_other' })).toBe(false);
    expect(check({ email: 'person@example.com\0' })).toBe(false);
    expect(check({ hash: claim.identity_hash_email.toUpperCase() })).toBe(false);
  });
});

describe('identityFor', () => {
  it('returns exactly the fields posthog.init takes, without an email', () => {
    expect(identityFor('user_123', { secret: SECRET })).toEqual({
      identity_distinct_id: 'user_123',
      identity_hash: '4d8780a0e1ea036fea72b78eb1e2622461113a7933ffbb6864c18482ac6b31d0',
    });
  });

  it('adds the signed email claim when an email is given', () => {
    const fields = identityFor(42, { secret: SECRET, email: ' Ada@Example.com', emailTtlSeconds: 600, now: NOW });
    expect(Object.keys(fields).sort()).toEqual([
      'identity_distinct_id',
      'identity_email',
      'identity_exp_email',
      'identity_hash',
      'identity_hash_email',
    ]);
    expect(fields).toMatchObject({ identity_distinct_id: '42', identity_email: 'ada@example.com', identity_exp_email: NOW_S + 600 });
    expect(new IdentitySigner({ secret: SECRET }).identityFor(42, { email: ' Ada@Example.com', emailTtlSeconds: 600, now: NOW })).toEqual(
      fields,
    );
  });
});
