import type { Split } from "./model";

/** A requested split (API.md "Splits"): only the sessions on `split`'s side of `testFraction` under `seed`. */
export interface SplitSpec {
  split: Split;
  testFraction: number;
  seed: string;
}

export const SPLIT_DEFAULTS = { testFraction: 0.2, seed: "evalport" } as const;

const TWO_64 = 2 ** 64;

/**
 * A session's side: `test` when the first 8 bytes of SHA-256(`<seed>:<id>`), as an unsigned big-endian integer
 * over 2^64, are below `testFraction`. Compared exactly in integers (x < f·2^64 ⇔ x < ⌈f·2^64⌉), so the answer
 * never depends on float rounding; it depends on nothing but seed, fraction and id, hence never on filters,
 * order or format.
 */
export async function splitOf(id: string, testFraction: number, seed: string): Promise<Split> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${seed}:${id}`)));
  let x = 0n;
  for (let i = 0; i < 8; i++) x = (x << 8n) | BigInt(digest[i]!);
  return x < BigInt(Math.ceil(testFraction * TWO_64)) ? "test" : "train";
}
