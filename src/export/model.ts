import type { MessageRow, SessionRow } from "../db/schema";

/** One assistant tool call as the client sent it; `arguments` is an object or a (possibly invalid) JSON string. */
export type ToolCall = { id?: string | null; name: string; arguments: unknown };

/** What the export needs of a message: never `reasoning`, so no encoder can leak it. */
export type ExportMessage = Pick<MessageRow, "role" | "content" | "toolCallId" | "toolName"> & {
  toolCalls: ToolCall[] | null;
};

/** A session's side of a train/test split (API.md "Splits"). */
export type Split = "train" | "test";

/** The session columns an export reads: what the encoders show, and what a dataset freezes. */
export type ExportHead = Pick<
  SessionRow,
  | "id"
  | "externalId"
  | "title"
  | "source"
  | "model"
  | "totalTokens"
  | "cost"
  | "evalStatus"
  | "evalTags"
  | "evalNotes"
  | "expectedOutput"
  | "gitBranch"
  | "gitCommit"
  | "gitRemote"
  | "parentExternalId"
> & {
  /** Set when the export asked for a split: every record then names it in its metadata. */
  split?: Split;
};

/** What the export needs of a session, with its messages in conversation order. */
export type ExportSession = ExportHead & { messages: ExportMessage[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the stored `tool_calls` text (`[{id, name, arguments}]`). Lenient on purpose: ingest wrote it, and one
 * damaged row should cost that message its calls, not abort an export that has already started streaming.
 * Returns null for no calls (null, empty list, unreadable text).
 */
export function parseToolCalls(json: string | null): ToolCall[] | null {
  if (json === null || json === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const calls: ToolCall[] = [];
  for (const item of parsed) {
    if (!isRecord(item) || typeof item.name !== "string") continue;
    const id = typeof item.id === "string" ? item.id : typeof item.id === "number" ? String(item.id) : null;
    calls.push({ id, name: item.name, arguments: item.arguments });
  }
  return calls.length > 0 ? calls : null;
}

/** Whitespace-only content counts as empty everywhere in the export (clients often send "\n" before a tool call). */
export function isBlank(content: string): boolean {
  return content.trim() === "";
}

/** A message's calls, never null, so callers can iterate without checks. */
export function callsOf(message: ExportMessage): ToolCall[] {
  return message.toolCalls ?? [];
}
