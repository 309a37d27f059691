// Our JavaScript SHA-256 and HMAC-SHA256 (src/identity/sha256.ts) against published vectors and
// node:crypto, at every length where padding changes shape, and on random text.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacKey as createEdgeKey } from '../../src/identity/hmac.edge.js';
import { createHmacKey as createNodeKey } from '../../src/identity/hmac.js';
import { createHmacSha256, sha256 } from '../../src/identity/sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bareHmac = (key: Uint8Array | string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('sha256: FIPS 180-4 examples', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('sha256(%j)', (message, digest) => {
    expect(hex(sha256(Buffer.from(message)))).toBe(digest);
  });

  it('one million "a"', () => {
    expect(hex(sha256(Buffer.alloc(1_000_000, 'a')))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('equals node:crypto at every length from 0 to 200 bytes', () => {
    const data = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let length = 0; length <= 200; length++) {
      const part = data.subarray(0, length);
      expect(hex(sha256(part)), `length ${length}`).toBe(createHash('sha256').update(part).digest('hex'));
    }
  });
});

describe('createHmacSha256: RFC 4231 test cases with text data', () => {
  const long = 'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.';
  it.each([
    ['case 1', Buffer.alloc(20, 0x0b), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['case 2', Buffer.from('Jefe'), 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['case 6', Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First', '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    ['case 7', Buffer.alloc(131, 0xaa), long, '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'],
  ])('%s', (_, key, message, mac) => {
    expect(createHmacSha256(key)(message)).toBe(mac);
  });
});

describe('createHmacSha256 equals node:crypto createHmac', () => {
  const keys = [0, 1, 32, 63, 64, 65, 131].map((length) => Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff)));

  it('for ASCII messages of every length from 0 to 300 bytes, with keys around the block size', () => {
    for (const key of keys) {
      const mac = createHmacSha256(key);
      for (let length = 0; length <= 300; length++) {
        const message = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(9).slice(0, length);
        expect(mac(message), `key ${key.length}, length ${length}`).toBe(bareHmac(key, message));
      }
    }
  });

  it('for 2-, 3- and 4-byte UTF-8 characters straddling the block boundaries', () => {
    const mac = createHmacSha256(keys[2]!);
    for (const char of ['é', '€', '😀', '\u2028']) {
      for (let ascii = 0; ascii < 70; ascii++) {
        for (const count of [1, 2, 3]) {
          const message = 'x'.repeat(ascii) + char.repeat(count);
          expect(mac(message)).toBe(bareHmac(keys[2]!, message));
        }
      }
    }
  });

  it('for lone surrogates, encoded as U+FFFD the way Buffer encodes them', () => {
    const mac = createHmacSha256(keys[2]!);
    for (const message of ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF', 'x'.repeat(60) + '\uD83D']) {
      expect(mac(message)).toBe(bareHmac(keys[2]!, message));
    }
  });

  it('for messages longer than the reused buffer, and the same key again afterwards', () => {
    const mac = createHmacSha256(keys[3]!);
    for (const length of [1023, 1024, 1025, 5000]) {
      const message = '€'.repeat(length);
      expect(mac(message)).toBe(bareHmac(keys[3]!, message));
    }
    expect(mac('user_1')).toBe(bareHmac(keys[3]!, 'user_1'));
  });

  it('for random UTF-16 (lone surrogates included) and random keys', () => {
    const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 300 });
    fc.assert(
      fc.property(anyUnits, fc.uint8Array({ maxLength: 150 }), (message, key) => {
        expect(createHmacSha256(key)(message)).toBe(bareHmac(key, message));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the Node and edge keys agree with createHmac on every path', () => {
  const secret = 'phs_paths_secret';
  // The Node key takes JavaScript up to 128 units, OpenSSL over reused buffers up to 2048, then createHmac.
  it.each([0, 1, 55, 56, 127, 128, 129, 130, 2047, 2048, 2049, 6000])('a message of %i units', (length) => {
    for (const unit of ['a', 'ß', '€']) {
      const message = unit.repeat(length);
      const expected = bareHmac(secret, message);
      expect(createNodeKey(secret).hex(message)).toBe(expected);
      expect(createEdgeKey(secret).hex(message)).toBe(expected);
    }
  });

  it('for random text up to 3000 units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (message) => {
        const expected = bareHmac(secret, message);
        expect(createNodeKey(secret).hex(message)).toBe(expected);
        expect(createEdgeKey(secret).hex(message)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
