import type { MessageRow } from "../db/schema";
import type { MessageCandidate } from "./message-input";

/** The stored columns of a message that a resend may leave out. */
export type StoredMessage = Pick<
  MessageRow,
  "externalId" | "role" | "content" | "toolCalls" | "toolCallId" | "toolName" | "reasoning" | "model" | "promptTokens" | "completionTokens" | "createdAt"
>;

/**
 * A resent message over its stored version: what the resend leaves out or sends empty keeps the stored value
 * (OpenSync patches messages the same way), so a plugin re-sending a message with fewer parts loses nothing.
 * Ingest writes whole rows, which is why the stored values are put back here.
 */
export function mergeStored(m: MessageCandidate, stored: StoredMessage | undefined): MessageCandidate {
  if (!stored) return m;
  const out: MessageCandidate = { ...m };
  if (out.content === "" && stored.content !== "") out.content = stored.content;
  if (out.model == null && stored.model !== null) out.model = stored.model;
  if (out.promptTokens == null && stored.promptTokens !== null) out.promptTokens = stored.promptTokens;
  if (out.completionTokens == null && stored.completionTokens !== null) out.completionTokens = stored.completionTokens;
  if (out.createdAt == null && stored.createdAt !== null) out.createdAt = stored.createdAt;
  if (out.role === "assistant") {
    if (out.toolCalls === undefined && stored.toolCalls !== null) out.toolCalls = JSON.parse(stored.toolCalls) as MessageCandidate["toolCalls"];
    if (out.reasoning == null && stored.reasoning !== null) out.reasoning = stored.reasoning;
  }
  if (out.role === "tool") {
    if (out.toolCallId === undefined && stored.toolCallId !== null) out.toolCallId = stored.toolCallId;
    if (out.toolName == null && stored.toolName !== null) out.toolName = stored.toolName;
  }
  return out;
}

/**
 * One entry per externalId, at the position it first appeared: a later copy in the same request updates the earlier
 * one as a resend would (ingest would otherwise place the same id twice).
 */
export function dedupeByExternalId(list: MessageCandidate[]): MessageCandidate[] {
  const at = new Map<string, number>();
  const out: MessageCandidate[] = [];
  for (const m of list) {
    const i = m.externalId === undefined ? undefined : at.get(m.externalId);
    if (i === undefined) {
      if (m.externalId !== undefined) at.set(m.externalId, out.length);
      out.push(m);
    } else {
      out[i] = mergeStored(m, asStored(out[i]!));
    }
  }
  return out;
}

/** A candidate seen as if it were stored, so a later copy in the same request merges over it. */
function asStored(m: MessageCandidate): StoredMessage {
  return {
    externalId: m.externalId ?? null,
    role: m.role,
    content: m.content,
    toolCalls: m.toolCalls ? JSON.stringify(m.toolCalls) : null,
    toolCallId: m.toolCallId ?? null,
    toolName: m.toolName ?? null,
    reasoning: m.reasoning ?? null,
    model: m.model ?? null,
    promptTokens: m.promptTokens ?? null,
    completionTokens: m.completionTokens ?? null,
    createdAt: typeof m.createdAt === "number" ? m.createdAt : null,
  };
}
