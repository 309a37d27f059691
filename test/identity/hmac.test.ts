// Both HMAC keys (node:crypto and @noble/hashes) against published vectors and createHmac, at every
// length where the inner block or a reused buffer changes shape, and on random text.
import { createHash, createHmac } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacKey as createEdgeKey } from '../../src/identity/hmac.edge.js';
import { createHmacKey as createNodeKey } from '../../src/identity/hmac.node.js';

const IMPLEMENTATIONS = [
  ['node:crypto', createNodeKey],
  ['@noble/hashes', createEdgeKey],
] as const;
const bareHmac = (key: string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('the SHA-256 bundled into the edge build: FIPS 180-4 examples', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('sha256(%j)', (message, digest) => {
    expect(Buffer.from(sha256(Buffer.from(message))).toString('hex')).toBe(digest);
    expect(createHash('sha256').update(message).digest('hex')).toBe(digest);
  });
});

describe.each(IMPLEMENTATIONS)('createHmacKey on %s', (_, createHmacKey) => {
  // RFC 4231 cases whose key and data are valid UTF-8 text, the only keys a secret string can be.
  it.each([
    ['case 1', '\x0b'.repeat(20), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['case 2', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ])('RFC 4231 %s', (_, key, message, mac) => {
    expect(createHmacKey(key).hex(message)).toBe(mac);
  });

  it('equals createHmac for every message length from 0 to 300 bytes, with keys around the block size', () => {
    for (const keyLength of [0, 1, 32, 47, 63, 64, 65, 131]) {
      const secret = 'phs_abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4).slice(0, keyLength);
      const key = createHmacKey(secret);
      for (let length = 0; length <= 300; length++) {
        const message = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(9).slice(0, length);
        expect(key.hex(message), `key ${keyLength}, length ${length}`).toBe(bareHmac(secret, message));
      }
    }
  });

  it('equals createHmac for non-ASCII secrets, short and longer than a block', () => {
    for (const secret of ['clé-secrète', '🔑'.repeat(20), 'ß'.repeat(40)]) {
      expect(createHmacKey(secret).hex('user_1')).toBe(bareHmac(secret, 'user_1'));
    }
  });

  it('equals createHmac for 2-, 3- and 4-byte UTF-8 characters straddling the block boundaries', () => {
    const key = createHmacKey('phs_utf8');
    for (const char of ['é', '€', '😀', '\u2028']) {
      for (let ascii = 0; ascii < 70; ascii++) {
        for (const count of [1, 2, 3]) {
          const message = 'x'.repeat(ascii) + char.repeat(count);
          expect(key.hex(message)).toBe(bareHmac('phs_utf8', message));
        }
      }
    }
  });

  it('encodes lone surrogates as U+FFFD, the way createHmac does', () => {
    const key = createHmacKey('phs_surrogates');
    for (const message of ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF', `${'x'.repeat(60)}\uD83D`]) {
      expect(key.hex(message)).toBe(bareHmac('phs_surrogates', message));
    }
  });

  // Each key writes short messages into one reused buffer (2048 units on Node, 512 on the edge).
  it.each([0, 1, 55, 56, 511, 512, 513, 2047, 2048, 2049, 6000])(
    'equals createHmac at a message of %i units, then again for a short one',
    (length) => {
      const key = createHmacKey('phs_paths');
      for (const unit of ['a', 'ß', '€']) {
        const message = unit.repeat(length);
        expect(key.hex(message)).toBe(bareHmac('phs_paths', message));
        expect(key.hex('user_1')).toBe(bareHmac('phs_paths', 'user_1'));
      }
    },
  );

  it('equals createHmac for 3- and 4-byte characters at every length up to past each reused buffer', () => {
    const key = createHmacKey('phs_widest');
    for (let length = 0; length <= 700; length++) {
      for (const message of ['€'.repeat(length), '😀'.repeat(length >> 1)])
        expect(key.hex(message), `length ${length}`).toBe(bareHmac('phs_widest', message));
    }
    for (let length = 2040; length <= 2056; length++) expect(key.hex('€'.repeat(length))).toBe(bareHmac('phs_widest', '€'.repeat(length)));
  });

  it('equals createHmac for random UTF-16 (lone surrogates included) and random secrets', () => {
    const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 300 });
    fc.assert(
      fc.property(anyUnits, fc.string({ unit: 'binary', maxLength: 100 }), (message, secret) => {
        expect(createHmacKey(secret).hex(message)).toBe(bareHmac(secret, message));
      }),
      { numRuns: 1500 },
    );
  });
});
