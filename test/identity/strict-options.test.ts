// Every options object of the identity API is strict: a typo is an error naming the key and the
// nearest known one, never a silently dropped option.
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  IdentitySigner,
  ValidationError,
  identityFor,
  signEmailClaim,
  verifyEmailClaim,
} from '../../src/identity/index.js';
import { nearestKey } from '../../src/basics/options.js';
import { thrown } from '../fixtures.js';

const SECRET = 'phs_strict_options_secret';
const signer = new IdentitySigner({ secret: SECRET });

describe('strict identity options', () => {
  it('rejects `previousSecret` (the rotation key would be dropped) and names `previousSecrets`', () => {
    const error = thrown(() => new IdentitySigner({ secret: SECRET, previousSecret: ['phs_old'] } as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(
      'unknown option `previousSecret` in IdentitySigner options ({ secret, previousSecrets? }); did you mean `previousSecrets`?',
    );
    expect(error.message).not.toContain('phs_old');
  });

  it.each([
    ['identityFor', () => identityFor('u1', { secret: SECRET, emial: 'a@b.co' } as never), 'emial', 'email'],
    ['identityFor', () => identityFor('u1', { secret: SECRET, email: 'a@b.co', ttlSeconds: 60 } as never), 'ttlSeconds', 'emailTtlSeconds'],
    ['signer.identityFor', () => signer.identityFor('u1', { emailTTLSeconds: 60 } as never), 'emailTTLSeconds', 'emailTtlSeconds'],
    [
      'signEmailClaim',
      () => signEmailClaim({ distinctId: 'u1', email: 'a@b.co', secret: SECRET, ttlSeconds: 60 } as never),
      'ttlSeconds',
      'emailTtlSeconds',
    ],
    [
      'signer.signEmailClaim',
      () => signer.signEmailClaim({ distinctId: 'u1', email: 'a@b.co', secret: SECRET } as never),
      'secret',
      undefined,
    ],
    [
      'verifyEmailClaim',
      () => verifyEmailClaim({ distinctId: 'u1', email: 'a', hash: 'h', exp: 1, secret: SECRET } as never),
      'secret',
      'secrets',
    ],
    [
      'signer.verifyEmailClaim',
      () => signer.verifyEmailClaim({ distinctId: 'u1', email: 'a', hash: 'h', exp: 1, expires: 1 } as never),
      'expires',
      undefined,
    ],
  ])('%s: an unknown key is a ValidationError naming it (case %#)', (_, call, key, suggestion) => {
    const error = thrown(call);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(key);
    expect(error.message).toContain(`unknown option \`${key}\``);
    if (suggestion !== undefined) expect(error.message).toContain(`did you mean \`${suggestion}\`?`);
    else expect(error.message).toMatch(/known options: `/);
    expect(error.message).not.toContain(SECRET);
  });

  it('one name for the email-claim lifetime: emailTtlSeconds works in identityFor, signEmailClaim and the signer', () => {
    const now = 1_764_086_400_000;
    const expected = Math.floor(now / 1000) + 120;
    expect(identityFor('u1', { secret: SECRET, email: 'a@b.co', emailTtlSeconds: 120, now }).identity_exp_email).toBe(expected);
    expect(signEmailClaim({ distinctId: 'u1', email: 'a@b.co', secret: SECRET, emailTtlSeconds: 120, now }).identity_exp_email).toBe(
      expected,
    );
    expect(signer.signEmailClaim({ distinctId: 'u1', email: 'a@b.co', emailTtlSeconds: 120, now }).identity_exp_email).toBe(expected);
    expect(signer.identityFor('u1', { email: 'a@b.co', emailTtlSeconds: 120, now }).identity_exp_email).toBe(expected);
  });

  it.each([null, 'phs_x', 42, ['secret']])('refuses %j where an options object belongs', (options) => {
    expect(() => new IdentitySigner(options as never)).toThrow(ConfigurationError);
    expect(() => identityFor('u1', options as never)).toThrow(ValidationError);
    expect(() => signEmailClaim(options as never)).toThrow(ValidationError);
  });

  it('ignores inherited keys: an options object made with a prototype is read for its own keys only', () => {
    const options = Object.assign(Object.create({ inherited: true }), { secret: SECRET }) as { secret: string };
    expect(new IdentitySigner(options).sign('u1')).toBe(signer.sign('u1'));
  });
});

describe('nearestKey', () => {
  it.each([
    ['previousSecret', ['secret', 'previousSecrets'], 'previousSecrets'],
    ['stauts', ['status', 'priority', 'limit', 'offset'], 'status'],
    ['Secret', ['secret'], 'secret'],
    ['secretKey', ['secret', 'getDistinctId'], 'secret'],
    ['ttlSeconds', ['email', 'emailTtlSeconds'], 'emailTtlSeconds'],
    ['zzz', ['secret', 'previousSecrets'], undefined],
    ['x', ['y', 'z'], undefined],
  ])('%s among %j is %s', (key, known, expected) => {
    expect(nearestKey(key, known)).toBe(expected);
  });
});
