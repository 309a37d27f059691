import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  IdentitySigner,
  ValidationError,
  computeIdentityHash,
  identityFor,
  signEmailClaim,
  verifyEmailClaim,
  verifyIdentityHash,
} from '../../src/identity/index.js';
import { SECRET } from '../fixtures.js';

const wrongTypes: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['an object', { id: 'user_123' }],
  ['an array', ['user_123']],
  ['a boolean', true],
  ['a bigint', 42n],
  ['a symbol', Symbol('id')],
  ['a non-integer number', 1.5],
  ['NaN', Number.NaN],
  ['an unsafe integer', 2 ** 53],
  ['Infinity', Number.POSITIVE_INFINITY],
];

const badIds: Array<[string, string, RegExp]> = [
  ['empty', '', /must not be empty/],
  ['401 characters', 'x'.repeat(401), /at most 400 characters.*got 401/],
  ['a lone high surrogate', 'user\uD800', /lone UTF-16 surrogate/],
  ['a lone low surrogate', '\uDC00user', /lone UTF-16 surrogate/],
  ['a NUL character', 'user\u0000id', /NUL/],
  ['a trailing newline', 'user_123\n', /leading or trailing whitespace/],
  ['a leading space', ' user_123', /leading or trailing whitespace/],
  ['a leading U+2028', '\u2028user', /leading or trailing whitespace/],
  ['a trailing U+0085 (Python strips it, JavaScript trim does not)', 'user\u0085', /whitespace/],
  ['a trailing U+001F (Python strips it)', 'user\u001f', /whitespace/],
];

describe('computeIdentityHash input rules', () => {
  it.each(wrongTypes)('rejects %s as the distinct id with a ValidationError naming the field', (_, value) => {
    const error = catchError(() => computeIdentityHash(value as string, SECRET));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'ERR_VALIDATION', field: 'distinctId' });
    expect((error as Error).message).toMatch(/distinctId must be a non-empty string of at most 400 characters/);
  });

  it.each(badIds)('rejects an id with %s', (_, id, message) => {
    expect(() => computeIdentityHash(id, SECRET)).toThrow(message);
  });

  it('accepts 400 characters, counting code points as the server does (400 emoji = 800 UTF-16 units)', () => {
    expect(computeIdentityHash('x'.repeat(400), SECRET)).toHaveLength(64);
    expect(computeIdentityHash('🦔'.repeat(400), SECRET)).toHaveLength(64);
    expect(() => computeIdentityHash('🦔'.repeat(401), SECRET)).toThrow(/got 401/);
  });

  it('signs hostile strings as plain data: </script>, U+2028 inside, quotes', () => {
    for (const id of ['</script><script>alert(1)</script>', 'a\u2028b', `"'\`<!--`, 'tab\tinside']) {
      expect(computeIdentityHash(id, SECRET)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each([
    ['a number', 42, /must be a string, got a number/],
    ['undefined', undefined, /must be a string, got undefined/],
    ['empty', '', /is empty \(is the environment variable set\?\)/],
    ['a phc_ project key', 'phc_abcdef', /public project API key \(phc_/],
    ['a phx_ personal key', 'phx_abcdef', /personal API key \(phx_/],
    ['padded with a newline', `${SECRET}\n`, /stray newline/],
    ['padded with spaces', ` ${SECRET}`, /leading or trailing whitespace/],
    ['a lone surrogate', 'phs_\uD800', /lone UTF-16 surrogate/],
  ])('rejects a secret that is %s with a ConfigurationError that says what to use', (_, secret, message) => {
    const error = catchError(() => computeIdentityHash('user_123', secret as string));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', name: 'ConfigurationError' });
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a secret longer than the SHA-256 block (hashed first, as HMAC specifies)', () => {
    expect(computeIdentityHash('user_123', 'k'.repeat(1000))).toHaveLength(64);
  });
});

describe('verifyIdentityHash never throws on untrusted input', () => {
  const hash = computeIdentityHash('user_123', SECRET);

  it.each([
    ['uppercase', hash.toUpperCase()],
    ['63 characters', hash.slice(1)],
    ['65 characters', `${hash}0`],
    ['non-hex', `${hash.slice(0, 63)}g`],
    ['"é" x 64 (400 on the server)', 'é'.repeat(64)],
    ['"0" x 64', '0'.repeat(64)],
    ['empty', ''],
    ['a number', 12345],
    ['null', null],
    ['an object', { hash }],
  ])('is false for a hash that is %s', (_, candidate) => {
    expect(verifyIdentityHash('user_123', candidate as string, SECRET)).toBe(false);
  });

  it.each([...wrongTypes, ...badIds.map(([name, id]) => [name, id] as [string, unknown])])(
    'is false for a distinct id that is %s',
    (_, id) => {
      expect(verifyIdentityHash(id as string, hash, SECRET)).toBe(false);
    },
  );

  it('throws for a missing secret list: that is configuration, not input', () => {
    expect(() => verifyIdentityHash('user_123', hash, [])).toThrow(ConfigurationError);
    expect(() => verifyIdentityHash('user_123', hash, undefined as unknown as string)).toThrow(ConfigurationError);
    expect(() => verifyIdentityHash('user_123', hash, [SECRET, 'phc_public'])).toThrow(/secrets\[1\] looks like a public/);
  });
});

describe('options objects', () => {
  it.each([
    ['identityFor', () => identityFor('user_123', undefined as never)],
    ['signEmailClaim', () => signEmailClaim(null as never)],
    ['verifyEmailClaim', () => verifyEmailClaim('x' as never)],
  ])('%s rejects a missing options object with a clear error', (_, call) => {
    expect(call).toThrow(/options object/);
  });

  it('IdentitySigner rejects missing options and bad previous secrets', () => {
    expect(() => new IdentitySigner(undefined as never)).toThrow(ConfigurationError);
    expect(() => new IdentitySigner({ secret: SECRET, previousSecrets: 'phs_old' as never })).toThrow(/must be an array/);
    expect(() => new IdentitySigner({ secret: SECRET, previousSecrets: ['phs_ok', ''] })).toThrow(/previousSecrets\[1\] is empty/);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
