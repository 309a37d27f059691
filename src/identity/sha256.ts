/**
 * HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256) in plain JavaScript, with the key's inner and
 * outer states computed once. Signing a short distinct id is then two compressions and no call
 * into native code. Measured inside a loaded HTTP server, that costs about 40% of a node:crypto
 * `createHmac`, whose per-call binding and OpenSSL overhead dominate on inputs this small
 * (bench/identity-in-server.mjs). Every operation is 32-bit arithmetic on fixed indices: nothing
 * branches on, or indexes memory by, the key. Tests compare it with node:crypto byte for byte, at
 * every length across the block boundaries and on random text.
 */

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL_STATE = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
const DIGEST = 32;
const HEX_CODES = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const encoder = new TextEncoder();
// The message schedule, shared: every function here runs start to end without yielding.
const schedule = new Int32Array(64);

/** Runs the compression function over `bytes[0, end)`, a whole number of blocks, into `state`. */
function compress(state: Int32Array, bytes: Uint8Array, end: number): void {
  const w = schedule;
  for (let offset = 0; offset < end; offset += BLOCK) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = state[0]!;
    let b = state[1]!;
    let c = state[2]!;
    let d = state[3]!;
    let e = state[4]!;
    let f = state[5]!;
    let g = state[6]!;
    let h = state[7]!;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
    state[5] = (state[5]! + f) | 0;
    state[6] = (state[6]! + g) | 0;
    state[7] = (state[7]! + h) | 0;
  }
}

/**
 * Appends SHA-256 padding after `bytes[0, length)`, for a message of `hashedLength` bytes in all
 * (more than `length` when earlier blocks were already compressed). Returns where the padded
 * blocks end. `bytes` must have room for `length + 72` bytes.
 */
function pad(bytes: Uint8Array, length: number, hashedLength: number): number {
  let end = length;
  bytes[end++] = 0x80;
  while (end % BLOCK !== BLOCK - 8) bytes[end++] = 0;
  const bits = hashedLength * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  writeWord(bytes, end, high);
  writeWord(bytes, end + 4, bits >>> 0);
  return end + 8;
}

function writeWord(bytes: Uint8Array, at: number, word: number): void {
  bytes[at] = word >>> 24;
  bytes[at + 1] = word >>> 16;
  bytes[at + 2] = word >>> 8;
  bytes[at + 3] = word;
}

function writeDigest(state: Int32Array, bytes: Uint8Array): void {
  for (let i = 0; i < 8; i++) writeWord(bytes, i * 4, state[i]!);
}

/** SHA-256 of `message`: only used to shorten keys longer than a block, as RFC 2104 says. */
export function sha256(message: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(message.length + 72);
  bytes.set(message);
  const state = INITIAL_STATE.slice();
  compress(state, bytes, pad(bytes, message.length, message.length));
  const digest = new Uint8Array(DIGEST);
  writeDigest(state, digest);
  return digest;
}

/** The state after compressing the key XOR `fill` as one block: all HMAC needs of the key. */
function keyedState(key: Uint8Array, fill: number): Int32Array {
  const block = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) block[i] = (key[i] ?? 0) ^ fill;
  const state = INITIAL_STATE.slice();
  compress(state, block, BLOCK);
  return state;
}

// Messages up to this many UTF-16 units reuse one buffer per key; longer ones allocate their own.
const REUSED_BUFFER_UNITS = 1024;

/**
 * Writes `message` as UTF-8 and returns the byte count. ASCII, nearly every distinct id, is copied
 * here; anything else goes to `TextEncoder`, which encodes lone surrogates as U+FFFD like `Buffer`.
 */
function writeUtf8(message: string, bytes: Uint8Array): number {
  const length = message.length;
  for (let i = 0; i < length; i++) {
    const code = message.charCodeAt(i);
    if (code > 0x7f) return encoder.encodeInto(message, bytes).written;
    bytes[i] = code;
  }
  return length;
}

/**
 * The digest as lowercase hex, built in `digits` and turned into one string: concatenating 32
 * two-character pieces leaves about ten times the garbage, which a busy server pays for in GC.
 */
function toHex(state: Int32Array, digits: number[]): string {
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    for (let j = 0; j < 8; j++) digits[i * 8 + j] = HEX_CODES[(word >>> (28 - 4 * j)) & 0xf]!;
  }
  return String.fromCharCode.apply(null, digits);
}

/**
 * A function returning the lowercase hex HMAC-SHA256, under `key`, of the UTF-8 bytes of a
 * message (lone surrogates encoded as U+FFFD, as `Buffer.from` and `TextEncoder` do).
 */
export function createHmacSha256(key: Uint8Array): (message: string) => string {
  const blockKey = key.length > BLOCK ? sha256(key) : key;
  const innerStart = keyedState(blockKey, 0x36);
  const outerStart = keyedState(blockKey, 0x5c);
  const state = new Int32Array(8);
  // The outer hash always covers one block: the 32-byte inner digest, then fixed padding, written once.
  const outerBlock = new Uint8Array(BLOCK);
  pad(outerBlock, DIGEST, BLOCK + DIGEST);
  const reused = new Uint8Array(REUSED_BUFFER_UNITS * 3 + 72);
  const digits = new Array<number>(64).fill(0);
  return (message) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit, and padding at most 72 more.
    const bytes = message.length <= REUSED_BUFFER_UNITS ? reused : new Uint8Array(message.length * 3 + 72);
    const written = writeUtf8(message, bytes);
    state.set(innerStart);
    compress(state, bytes, pad(bytes, written, BLOCK + written));
    writeDigest(state, outerBlock);
    state.set(outerStart);
    compress(state, outerBlock, BLOCK);
    return toHex(state, digits);
  };
}
