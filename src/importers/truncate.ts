import { LIMITS, utf8Length } from "../lib/limits";
import type { ImportedMessage } from "./types";

/** The longest prefix of `s` whose UTF-8 encoding fits `maxBytes`, never splitting a surrogate pair. */
export function utf8Prefix(s: string, maxBytes: number): string {
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    let size = 1;
    let units = 1;
    if (c >= 0x80 && c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size = 4;
      units = 2;
    } else if (c >= 0x80) size = 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += units;
  }
  return s.slice(0, i);
}

/**
 * `s` cut to at most `maxBytes` of UTF-8, ending `…[truncated <n> bytes]` where n counts the bytes left out, or
 * `s` itself when it fits. The suffix is inside the budget, so the result always passes the 1 MiB check.
 */
export function truncateText(s: string, maxBytes: number): { text: string; cut: boolean } {
  const total = s.length * 3 <= maxBytes ? s.length : utf8Length(s);
  if (s.length * 3 <= maxBytes || total <= maxBytes) return { text: s, cut: false };
  // The suffix's length depends on n, which depends on the suffix: size it for the largest n first.
  const suffixFor = (n: number) => `…[truncated ${n} bytes]`;
  const room = maxBytes - utf8Length(suffixFor(total));
  const kept = utf8Prefix(s, Math.max(0, room));
  return { text: kept + suffixFor(total - utf8Length(kept)), cut: true };
}

/** Tool-call arguments as one JSON text, cut like content when they alone pass the limit. */
function fitArguments(args: unknown, maxBytes: number): { value: unknown; cut: boolean } {
  if (args === undefined) return { value: undefined, cut: false };
  const json = typeof args === "string" ? args : JSON.stringify(args);
  if (json.length * 3 <= maxBytes || utf8Length(json) <= maxBytes) return { value: args, cut: false };
  const { text } = truncateText(json, maxBytes);
  return { value: text, cut: true };
}

const SHARE = LIMITS.messageContentBytes;
/** Room left for the JSON around tool calls (ids, names, quotes and escapes of a cut argument string). */
const CALLS_SLACK = 64 * 1024;

/**
 * A message cut to what one stored message may hold: content, reasoning and tool calls 1 MiB each, and the three
 * together within one D1 row. Content is kept first, then tool calls, then reasoning (never exported).
 * `cut` says whether anything was shortened, for the route's `truncated` count.
 */
export function fitMessage(m: ImportedMessage): { message: ImportedMessage; cut: boolean } {
  let cut = false;
  const content = truncateText(m.content, SHARE);
  cut ||= content.cut;
  // The texts the row holds so far. Their exact UTF-8 size is counted only where 3 bytes per UTF-16 unit (a bound)
  // could change a budget: nearly every message is far below the row's limit, and the scan is a full pass over it.
  const kept: string[] = [content.text];
  const usedBytes = (freeAbove: number): number => {
    let bound = 0;
    for (const t of kept) bound += t.length * 3;
    if (bound <= freeAbove) return bound;
    let exact = 0;
    for (const t of kept) exact += utf8Length(t);
    return exact;
  };

  let toolCalls = m.toolCalls;
  if (toolCalls && toolCalls.length > 0) {
    // min(SHARE, row − used) is SHARE whenever used ≤ row − SHARE, so the bound serves there.
    const budget = Math.min(SHARE, LIMITS.messageRowBytes - usedBytes(LIMITS.messageRowBytes - SHARE)) - CALLS_SLACK;
    const perCall = Math.max(1024, Math.floor(budget / toolCalls.length));
    let json = JSON.stringify(toolCalls);
    if (json.length * 3 > budget && utf8Length(json) > budget) {
      toolCalls = toolCalls.map((call) => {
        const fitted = fitArguments(call.arguments, perCall);
        cut ||= fitted.cut;
        return fitted.cut ? { ...call, arguments: fitted.value as string } : call;
      });
      json = JSON.stringify(toolCalls);
    }
    kept.push(json);
  }

  let reasoning = m.reasoning;
  if (reasoning) {
    const room = Math.max(0, Math.min(SHARE, LIMITS.messageRowBytes - usedBytes(LIMITS.messageRowBytes - 1024 - SHARE) - 1024));
    const r = truncateText(reasoning, room);
    cut ||= r.cut;
    reasoning = r.text;
  }
  if (!cut) return { message: m, cut };
  return { message: { ...m, content: content.text, toolCalls, reasoning }, cut };
}
