import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IdentitySigner, computeIdentityHash, verifyIdentityHash } from '../../src/identity/index.js';

const CURRENT = 'phs_current_ZZZ_very_secret_value';
const PREVIOUS = 'phs_previous_YYY_older_secret';
const RETIRED = 'phs_retired_XXX_long_gone';

describe('IdentitySigner and key rotation', () => {
  const signer = new IdentitySigner({ secret: CURRENT, previousSecrets: [PREVIOUS] });

  it('signs with the current secret only', () => {
    expect(signer.sign('user_123')).toBe(computeIdentityHash('user_123', CURRENT));
    expect(signer.identityFor('user_123').identity_hash).toBe(computeIdentityHash('user_123', CURRENT));
  });

  it('verifies hashes made with the current and the previous secret, not a retired one', () => {
    expect(signer.verify('user_123', computeIdentityHash('user_123', CURRENT))).toBe(true);
    expect(signer.verify('user_123', computeIdentityHash('user_123', PREVIOUS))).toBe(true);
    expect(signer.verify('user_123', computeIdentityHash('user_123', RETIRED))).toBe(false);
  });

  it('verifyIdentityHash tries every secret in the list, in any position', () => {
    const old = computeIdentityHash('user_123', PREVIOUS);
    expect(verifyIdentityHash('user_123', old, [CURRENT, PREVIOUS])).toBe(true);
    expect(verifyIdentityHash('user_123', old, [PREVIOUS, CURRENT])).toBe(true);
    expect(verifyIdentityHash('user_123', old, [CURRENT])).toBe(false);
  });

  it('does not accept the hash of another id', () => {
    expect(signer.verify('user_124', signer.sign('user_123'))).toBe(false);
  });

  it('verifies an email claim signed before the rotation', () => {
    const before = new IdentitySigner({ secret: PREVIOUS });
    const now = 1_764_086_400_000;
    const claim = before.signEmailClaim({ distinctId: 'user_123', email: 'a@b.co', now });
    const fields = {
      distinctId: 'user_123',
      email: claim.identity_email,
      hash: claim.identity_hash_email,
      exp: claim.identity_exp_email,
      now,
    };
    expect(signer.verifyEmailClaim(fields)).toBe(true);
    expect(new IdentitySigner({ secret: CURRENT }).verifyEmailClaim(fields)).toBe(false);
  });
});

describe('secrets stay secret', () => {
  const signer = new IdentitySigner({ secret: CURRENT, previousSecrets: [PREVIOUS] });
  const leaks = (text: string) => [CURRENT, PREVIOUS, 'ZZZ', 'YYY'].filter((part) => text.includes(part));

  it('no inspect, JSON, string, spread or key listing of a signer contains a secret', () => {
    const views = [
      inspect(signer, { depth: Infinity, showHidden: true }),
      JSON.stringify(signer),
      JSON.stringify({ signer }),
      String(signer),
      `${signer}`,
      JSON.stringify({ ...signer }),
      Object.getOwnPropertyNames(signer).join(','),
      inspect({ nested: { signer } }, { depth: Infinity }),
    ];
    for (const view of views) expect(leaks(view)).toEqual([]);
    expect(String(signer)).toBe('IdentitySigner { secrets: 2 }');
    expect(JSON.parse(JSON.stringify(signer))).toEqual({ type: 'IdentitySigner', secrets: 2 });
  });

  it('no error message, stack or inspect of an error contains the secret that caused it', () => {
    const badSecrets = [
      `${CURRENT}\n`,
      ` ${CURRENT}`,
      'phc_ZZZ_public_key_used_by_mistake',
      'phx_ZZZ_personal_key_used_by_mistake',
      'phs_ZZZ_\uD800',
    ];
    for (const secret of badSecrets) {
      for (const attempt of [
        () => new IdentitySigner({ secret }),
        () => new IdentitySigner({ secret: CURRENT, previousSecrets: [secret] }),
        () => computeIdentityHash('user_123', secret),
        () => verifyIdentityHash('user_123', '0'.repeat(64), [CURRENT, secret]),
      ]) {
        let error: unknown;
        try {
          attempt();
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(Error);
        const text = [String(error), (error as Error).stack ?? '', inspect(error, { depth: Infinity }), JSON.stringify(error)].join('\n');
        expect(leaks(text)).toEqual([]);
      }
    }
  });
});
