// The hostile-input suite, identity (the CLI's part is test/cli/strictness.test.ts): what a user can type into the signing functions and the
// CLI. Every input either signs exactly as PostHog's HMAC does or is refused with a ValidationError
// that names the field; options are checked whether or not they take effect on this call.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { IdentitySigner, ValidationError, identityFor } from '../../src/index.js';
import { SECRET } from '../fixtures.js';

const tried = { identity: 0, options: 0 };
afterAll(() => console.log(`hostile inputs: ${tried.identity} distinct ids, ${tried.options} option values`));

const NASTY = [
  '</script><script>alert(1)</script>',
  '\u2028\u2029',
  'a\r\nb',
  '\0',
  '\uD800',
  'e\u0301',
  '😀'.repeat(100),
  ' padded ',
  '',
  'x'.repeat(401),
];

describe('identityFor and IdentitySigner with any distinct id', () => {
  const expected = (id: string) => createHmac('sha256', SECRET).update(id, 'utf8').digest('hex');

  it.each(NASTY)('%j: signed exactly, or refused naming distinctId', (id) => {
    tried.identity++;
    try {
      expect(identityFor(id, { secret: SECRET }).identity_hash).toBe(expected(id));
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('distinctId');
    }
  });

  it('generated ids: the same outcome from identityFor and a prepared signer', () => {
    const signer = new IdentitySigner({ secret: SECRET });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom(...NASTY)), (id) => {
        tried.identity++;
        const outcome = (sign: () => string) => {
          try {
            return sign();
          } catch (error) {
            return error instanceof ValidationError ? `refused:${error.field}` : `crashed:${String(error)}`;
          }
        };
        const a = outcome(() => identityFor(id, { secret: SECRET }).identity_hash);
        expect(a).toBe(outcome(() => signer.identityFor(id).identity_hash));
        expect(a.startsWith('crashed')).toBe(false);
        if (!a.startsWith('refused')) expect(a).toBe(expected(id));
      }),
      { numRuns: 500 },
    );
  });
});

describe('email claim options are checked even when no email is given', () => {
  it.each([
    ['emailTtlSeconds', -5],
    ['emailTtlSeconds', 'abc'],
    ['emailTtlSeconds', 86_401],
    ['emailTtlSeconds', Number.NaN],
    ['now', 'yesterday'],
    ['now', Number.POSITIVE_INFINITY],
    ['now', new Date('nope')],
  ])('%s: %j', (key, value) => {
    tried.options++;
    const attempt = () => identityFor('user_1', { secret: SECRET, [key]: value } as never);
    expect(attempt).toThrow(ValidationError);
    expect(() => new IdentitySigner({ secret: SECRET }).identityFor('user_1', { [key]: value } as never)).toThrow(ValidationError);
  });

  it('generated lifetimes: accepted exactly when a whole number of seconds from 1 to 86400', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -100, max: 90_000 }), fc.double(), fc.string(), fc.constant(null), fc.boolean()), (ttl) => {
        tried.options++;
        const valid = Number.isInteger(ttl) && (ttl as number) >= 1 && (ttl as number) <= 86_400;
        const run = () => identityFor('user_1', { secret: SECRET, emailTtlSeconds: ttl as number });
        if (valid) expect(run).not.toThrow();
        else expect(run).toThrow(ValidationError);
      }),
      { numRuns: 300 },
    );
  });
});
