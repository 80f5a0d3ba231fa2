// BLAKE3 (hash and derive_key modes), small and plain, for checking
// inclusion proofs in the page. Written from the BLAKE3 specification; the
// browser test checks it against the Rust blake3 crate.
"use strict";
const BLAKE3 = (() => {
  const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const PERM = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
  const CHUNK_START = 1, CHUNK_END = 2, PARENT = 4, ROOT = 8;
  const DERIVE_KEY_CONTEXT = 32, DERIVE_KEY_MATERIAL = 64;
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));

  function g(s, a, b, c, d, x, y) {
    s[a] = (s[a] + s[b] + x) | 0; s[d] = rotr(s[d] ^ s[a], 16);
    s[c] = (s[c] + s[d]) | 0;     s[b] = rotr(s[b] ^ s[c], 12);
    s[a] = (s[a] + s[b] + y) | 0; s[d] = rotr(s[d] ^ s[a], 8);
    s[c] = (s[c] + s[d]) | 0;     s[b] = rotr(s[b] ^ s[c], 7);
  }

  // The compression function: 16 words of output.
  function compress(cv, m, counter, len, flags) {
    const s = [...cv, IV[0], IV[1], IV[2], IV[3],
               counter >>> 0, Math.floor(counter / 0x100000000) >>> 0, len, flags];
    let w = m.slice();
    for (let r = 0; r < 7; r++) {
      g(s, 0, 4, 8, 12, w[0], w[1]);   g(s, 1, 5, 9, 13, w[2], w[3]);
      g(s, 2, 6, 10, 14, w[4], w[5]);  g(s, 3, 7, 11, 15, w[6], w[7]);
      g(s, 0, 5, 10, 15, w[8], w[9]);  g(s, 1, 6, 11, 12, w[10], w[11]);
      g(s, 2, 7, 8, 13, w[12], w[13]); g(s, 3, 4, 9, 14, w[14], w[15]);
      w = PERM.map((i) => w[i]);
    }
    for (let i = 0; i < 8; i++) { s[i] ^= s[i + 8]; s[i + 8] ^= cv[i]; }
    return s.map((x) => x >>> 0);
  }

  function words(bytes, at, len) {
    const m = new Array(16).fill(0);
    for (let i = 0; i < len; i++) m[i >> 2] |= bytes[at + i] << (8 * (i & 3));
    return m.map((x) => x >>> 0);
  }

  // A chunk's last block, not yet compressed: the root may need it.
  function chunkOutput(key, bytes, at, end, index, flags) {
    let cv = key;
    let pos = at;
    let first = CHUNK_START;
    while (end - pos > 64) {
      cv = compress(cv, words(bytes, pos, 64), index, 64, flags | first).slice(0, 8);
      first = 0;
      pos += 64;
    }
    return { cv, m: words(bytes, pos, end - pos), counter: index, len: end - pos,
             flags: flags | first | CHUNK_END };
  }

  const chaining = (o) => compress(o.cv, o.m, o.counter, o.len, o.flags).slice(0, 8);
  const parent = (key, left, right, flags) =>
    ({ cv: key, m: [...left, ...right], counter: 0, len: 64, flags: flags | PARENT });

  function hashWith(key, flags, bytes) {
    const chunks = Math.max(1, Math.ceil(bytes.length / 1024));
    const stack = [];
    for (let i = 0; i < chunks - 1; i++) {
      let cv = chaining(chunkOutput(key, bytes, i * 1024, (i + 1) * 1024, i, flags));
      for (let t = i + 1; (t & 1) === 0; t >>= 1) {
        cv = chaining(parent(key, stack.pop(), cv, flags));
      }
      stack.push(cv);
    }
    const lastAt = (chunks - 1) * 1024;
    let out = chunkOutput(key, bytes, lastAt, bytes.length, chunks - 1, flags);
    while (stack.length > 0) out = parent(key, stack.pop(), chaining(out), flags);
    const root = compress(out.cv, out.m, out.counter, out.len, out.flags | ROOT);
    const digest = new Uint8Array(32);
    for (let i = 0; i < 32; i++) digest[i] = (root[i >> 2] >>> (8 * (i & 3))) & 0xff;
    return digest;
  }

  const utf8 = (s) => new TextEncoder().encode(s);
  const toWords = (d) => words(d, 0, 32).slice(0, 8);

  return {
    hash: (bytes) => hashWith(IV, 0, bytes),
    deriveKey: (context, material) => {
      const key = hashWith(IV, DERIVE_KEY_CONTEXT, utf8(context));
      return hashWith(toWords(key), DERIVE_KEY_MATERIAL, material);
    },
    hex: (d) => Array.from(d, (b) => b.toString(16).padStart(2, "0")).join(""),
  };
})();
