import { LIMITS, utf8Length } from "../lib/limits";

/**
 * Cuts `s` to at most `maxBytes` of UTF-8, ending in `…[truncated <n> bytes]` (n = bytes removed), never in the
 * middle of a character. A plugin cannot act on a 400 (it only logs it and the message is lost), so an oversized
 * tool output is stored shortened, the same way transcript import stores it.
 */
export function fitText(s: string, maxBytes: number): string {
  const total = utf8Length(s);
  if (total <= maxBytes) return s;
  // The marker's own length depends on n; reserve room for the largest n this string can give.
  const marker = (n: number) => `…[truncated ${n} bytes]`;
  const budget = Math.max(0, maxBytes - utf8Length(marker(total)));
  let bytes = 0;
  let end = 0;
  while (end < s.length) {
    const c = s.codePointAt(end)!;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + size > budget) break;
    bytes += size;
    end += c >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, end) + marker(total - bytes);
}

/** Content and reasoning cut to their limits, and reasoning further so the message fits one D1 row. */
export function fitBodies(content: string, reasoning: string | undefined, toolCallsBytes: number): { content: string; reasoning: string | undefined } {
  const c = fitText(content, LIMITS.messageContentBytes);
  if (reasoning === undefined) return { content: c, reasoning };
  const room = Math.max(0, Math.min(LIMITS.messageContentBytes, LIMITS.messageRowBytes - utf8Length(c) - toolCallsBytes));
  return { content: c, reasoning: fitText(reasoning, room) };
}
