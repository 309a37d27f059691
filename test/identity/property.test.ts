import { createHmac, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdentitySigner, computeIdentityHash, verifyIdentityHash } from '../../src/identity/index.js';
import { createHmacKey as createEdgeKey } from '../../src/identity/hmac.edge.js';
import { createHmacKey as createNodeKey } from '../../src/identity/hmac.node.js';
import { isPythonWhitespace } from '../../src/identity/rules.js';

const bare = (secret: string, id: string) => createHmac('sha256', secret).update(id, 'utf8').digest('hex');

// Any code point (astral and control characters included), as well-formed strings.
const anyText = fc.string({ unit: 'binary', minLength: 0, maxLength: 120 });
const secretText = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 90 })
  .filter((s) => !isPythonWhitespace(s.charCodeAt(0)) && !isPythonWhitespace(s.charCodeAt(s.length - 1)))
  .filter((s) => !s.startsWith('phc_') && !s.startsWith('phx_'));
const serverAcceptedId = anyText.filter(
  (s) => s.length > 0 && !s.includes('\0') && !isPythonWhitespace(s.charCodeAt(0)) && !isPythonWhitespace(s.charCodeAt(s.length - 1)),
);

describe('property: our HMAC equals node:crypto createHmac', () => {
  it('for thousands of random ids and secrets (node and edge keys)', () => {
    fc.assert(
      fc.property(anyText, secretText, (id, secret) => {
        const expected = bare(secret, id);
        expect(createNodeKey(secret).hex(id)).toBe(expected);
        expect(createEdgeKey(secret).hex(id)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('for every id the server accepts, through the public functions', () => {
    fc.assert(
      fc.property(serverAcceptedId, secretText, (id, secret) => {
        const hash = computeIdentityHash(id, secret);
        expect(hash).toBe(bare(secret, id));
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(new IdentitySigner({ secret }).sign(id)).toBe(hash);
        expect(verifyIdentityHash(id, hash, secret)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never verifies a hash with one changed character', () => {
    fc.assert(
      fc.property(serverAcceptedId, fc.nat(63), fc.nat(15), (id, position, digit) => {
        const hash = computeIdentityHash(id, 'phs_prop');
        const replacement = digit.toString(16);
        fc.pre(hash[position] !== replacement);
        const tampered = hash.slice(0, position) + replacement + hash.slice(position + 1);
        expect(verifyIdentityHash(id, tampered, 'phs_prop')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Web Crypto agrees', () => {
  it('crypto.subtle HMAC-SHA256 gives the same hex as computeIdentityHash', async () => {
    const samples = fc.sample(fc.tuple(serverAcceptedId, secretText), 200);
    for (const [id, secret] of samples) {
      const encoder = new TextEncoder();
      const key = await webcrypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const signature = Buffer.from(await webcrypto.subtle.sign('HMAC', key, encoder.encode(id))).toString('hex');
      expect(computeIdentityHash(id, secret)).toBe(signature);
    }
  });
});
