/** Deterministic fake credentials of the real shapes (never real keys): a seeded PRNG over each vendor's charset. */
const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const B64 = B62 + "+/";

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fake(length: number, seed: number, charset = B62): string {
  const next = prng(seed);
  let s = "";
  while (s.length < length) s += charset[Math.floor(next() * charset.length)];
  // Every class present, as in real random tokens of these lengths.
  return charset === B62 || charset === B64 ? "a1Z" + s.slice(3) : s;
}

export const hex = (n: number, seed: number) => fake(n, seed, HEX).replace(/^./, "a").replace(/.$/, "7");
export const b64 = (n: number, seed: number) => fake(n, seed, B64);
export const upper32 = (n: number, seed: number) => fake(n, seed, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
