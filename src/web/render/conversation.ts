import type { MessageOut } from "../../sessions/schemas";
import { utf8Length } from "../../lib/limits";

type ToolCall = NonNullable<MessageOut["toolCalls"]>[number];

/** One tool call of an assistant message with the tool message that answered it, when there is one. */
export interface PairedCall {
  call: ToolCall;
  result?: MessageOut;
}

/** A card of the conversation: a message, its tool calls each beside its result. */
export interface ConversationItem {
  message: MessageOut;
  calls: PairedCall[];
}

/**
 * Pairs each tool call with the tool message whose `toolCallId` names it (the first unclaimed one), so a call and
 * its result are one card. Tool messages nobody called stay cards of their own, in their place.
 */
export function buildConversation(messages: MessageOut[]): ConversationItem[] {
  const byCallId = new Map<string, MessageOut[]>();
  for (const m of messages) {
    if (m.role === "tool" && m.toolCallId) {
      const list = byCallId.get(m.toolCallId);
      if (list) list.push(m);
      else byCallId.set(m.toolCallId, [m]);
    }
  }
  const claimed = new Set<MessageOut>();
  const items: ConversationItem[] = [];
  for (const m of messages) {
    if (claimed.has(m)) continue;
    const calls: PairedCall[] = (m.toolCalls ?? []).map((call) => {
      // Only results that come after the call belong to it.
      const result = call.id ? byCallId.get(call.id)?.find((r) => !claimed.has(r) && r.seq > m.seq) : undefined;
      if (result) claimed.add(result);
      return result ? { call, result } : { call };
    });
    items.push({ message: m, calls });
  }
  return items;
}

const PREVIEW_VALUE_CHARS = 60;

function previewValue(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  const flat = s.replace(/\s+/g, " ");
  return flat.length > PREVIEW_VALUE_CHARS ? `${flat.slice(0, PREVIEW_VALUE_CHARS - 1)}…` : flat;
}

/**
 * A one-line preview of a tool call's arguments, `path: "src/a.ts", limit: 20`, so a folded call says what it
 * did. Arguments sent as a JSON string are read as JSON when they parse.
 */
export function argPreview(args: unknown, max = 120): string {
  let value = args;
  if (typeof args === "string") {
    try {
      value = JSON.parse(args);
    } catch {
      const flat = args.replace(/\s+/g, " ");
      return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
    }
  }
  let text: string;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    text = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${previewValue(v)}`)
      .join(", ");
  } else {
    text = value === undefined ? "" : previewValue(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Tool arguments for reading: pretty JSON, or the text as sent when it is not JSON. */
export function argsText(args: unknown): string {
  if (typeof args === "string") {
    try {
      return JSON.stringify(JSON.parse(args), null, 2);
    } catch {
      return args;
    }
  }
  return JSON.stringify(args ?? {}, null, 2);
}

/** "812 B", "12.3 KB", "1.4 MB" — the size a "show more" states. */
export function sizeLabel(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Texts longer than this (characters or lines) are folded behind "show more". */
export const FOLD = { chars: 2_500, lines: 30 } as const;

/** Whether a text is long enough to fold, and its size label when it is. */
export function foldOf(text: string): { folded: boolean; size: string; lines: number } {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1 && lines <= FOLD.lines; i = text.indexOf("\n", i + 1)) lines++;
  const folded = text.length > FOLD.chars || lines > FOLD.lines;
  return { folded, size: folded ? sizeLabel(utf8Length(text)) : "", lines };
}
