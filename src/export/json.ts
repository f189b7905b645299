/**
 * JSON.stringify plus escapes for U+0085, U+2028 and U+2029: valid raw in JSON, but line splitters such as
 * Python's str.splitlines() break on them, which would cut a JSONL record in two.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
