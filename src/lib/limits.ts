/** The contract's limits (API.md "Sessions"), in one place so the validators, the README and the tests agree. */
export const LIMITS = {
  bodyBytes: 10 * 1024 * 1024,
  messageContentBytes: 1024 * 1024,
  /** content + reasoning + toolCalls of one message: D1's 2,000,000-byte row, less room for the other columns. */
  messageRowBytes: 1_900_000,
  messagesPerRequest: 10_000,
  sessionsPerBatch: 100,
  tagsPerSession: 64,
  tagLength: 64,
  listLimitMax: 200,
  listLimitDefault: 50,
  readyIdsMax: 500,
  exportLimitMax: 1_000_000,
  exportIdsMax: 500,
} as const;

/** UTF-8 length of a string without allocating its encoding (a 1 MiB check on every message stays cheap). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
