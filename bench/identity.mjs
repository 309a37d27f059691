// npm run bench: the identity hot path against a bare createHmac loop, measured in the same run.
import { createHmac, webcrypto } from 'node:crypto';
import { IdentitySigner, computeIdentityHash } from '../dist/identity/index.js';
import * as edge from '../dist/edge/identity.js';
import { measure, report } from './harness.mjs';

const SECRET = `phs_${'k'.repeat(43)}`; // the length of a real Secret API key
const IDS = Array.from({ length: 1024 }, (_, i) => (i % 2 ? `user_${100000 + i}` : crypto.randomUUID()));
const pick = (i) => IDS[i & 1023];

const signer = new IdentitySigner({ secret: SECRET });
const edgeSigner = new edge.IdentitySigner({ secret: SECRET });
const encoder = new TextEncoder();
const webKey = await webcrypto.subtle.importKey('raw', encoder.encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const toHex = (buffer) => Buffer.from(buffer).toString('hex');

// Same answers before any timing, so no case is fast because it is wrong.
for (const id of IDS.slice(0, 16)) {
  const expected = createHmac('sha256', SECRET).update(id).digest('hex');
  const answers = [
    computeIdentityHash(id, SECRET),
    signer.sign(id),
    edge.computeIdentityHash(id, SECRET),
    edgeSigner.sign(id),
    toHex(await webcrypto.subtle.sign('HMAC', webKey, encoder.encode(id))),
  ];
  if (answers.some((a) => a !== expected)) throw new Error(`benchmark cases disagree for ${id}`);
}

console.log(`Node ${process.version}, ${IDS.length} distinct ids, secret of ${SECRET.length} chars`);

const node = await measure({
  'bare createHmac(...).digest("hex")': (i) => createHmac('sha256', SECRET).update(pick(i)).digest('hex'),
  computeIdentityHash: (i) => computeIdentityHash(pick(i), SECRET),
  'IdentitySigner.sign': (i) => signer.sign(pick(i)),
});
report('Node build', node, 'bare createHmac(...).digest("hex")', { computeIdentityHash: 1.2, 'IdentitySigner.sign': 1.2 });

const edgeResults = await measure({
  'Web Crypto subtle.sign, cached key (async)': async (i) => toHex(await webcrypto.subtle.sign('HMAC', webKey, encoder.encode(pick(i)))),
  'edge build computeIdentityHash (sync)': (i) => edge.computeIdentityHash(pick(i), SECRET),
  'edge build IdentitySigner.sign (sync)': (i) => edgeSigner.sign(pick(i)),
});
report('Edge build (@noble/hashes) beside Web Crypto, both run here on Node', edgeResults, 'Web Crypto subtle.sign, cached key (async)', {
  'edge build computeIdentityHash (sync)': 20,
  'edge build IdentitySigner.sign (sync)': 20,
});
