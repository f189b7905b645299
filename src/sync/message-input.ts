import type { z } from "@hono/zod-openapi";
import type { messageInputSchema } from "../sessions/schemas";
import { fitBodies, fitText } from "./fit";
import { LIMITS, utf8Length } from "../lib/limits";
import { isPlaceholderModel } from "./placeholders";
import type { SyncMessage, SyncPart } from "./schemas";

export type MessageCandidate = z.input<typeof messageInputSchema>;
type ToolCall = NonNullable<MessageCandidate["toolCalls"]>[number];

/** A tool call of the session that no result has answered yet. */
export interface PendingCall {
  id: string;
  name: string;
}

export interface MappedMessage {
  messages: MessageCandidate[];
  /** Results that named no call and found no unanswered one to answer. */
  orphanResults: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Text of a text/thinking part: a string, or (as OpenSync's own reader allows) `{text}` / `{content}`. */
function partText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (isObj(content)) return str(content.text) ?? str(content.content) ?? str(content.thinking);
  return undefined;
}

/** Tool-call arguments as the message model keeps them: an object or a string, anything else as JSON text. */
function toolArguments(v: unknown): ToolCall["arguments"] {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || isObj(v)) return v as ToolCall["arguments"];
  return JSON.stringify(v);
}

/** A tool's output as message content: strings as they are, anything else as JSON text. */
function resultText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  return JSON.stringify(v);
}

interface ParsedCall {
  id?: string;
  name: string;
  arguments: ToolCall["arguments"];
}
interface ParsedResult {
  toolCallId?: string;
  toolName?: string;
  content: string;
  /** Index into `calls` of the call in this message that the result belongs to (a `tool_use` with a result). */
  ofCall?: number;
}

function parseCall(c: unknown): ParsedCall {
  const o = isObj(c) ? c : {};
  return {
    id: str(o.toolCallId) ?? str(o.id) ?? str(o.callID),
    name: str(o.toolName) ?? str(o.name) ?? str(o.tool) ?? "unknown",
    arguments: toolArguments(o.args ?? o.arguments ?? o.input),
  };
}

function parseResult(c: unknown): ParsedResult {
  if (!isObj(c)) return { content: resultText(c) };
  return {
    toolCallId: str(c.toolCallId) ?? str(c.tool_use_id) ?? str(c.callID),
    toolName: str(c.toolName) ?? str(c.name),
    content: resultText(c.result ?? c.output ?? c.content),
  };
}

/** Parts in order: text, reasoning, calls, and results (in the order they must answer). */
function readParts(parts: SyncPart[]) {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const calls: ParsedCall[] = [];
  /** Results interleaved with calls: `afterCalls` is how many calls of this message came before it. */
  const results: (ParsedResult & { afterCalls: number })[] = [];
  for (const p of parts) {
    switch (p.type) {
      case "text": {
        const t = partText(p.content);
        if (t) texts.push(t);
        break;
      }
      case "thinking":
      case "reasoning": {
        const t = partText(p.content);
        if (t) reasoning.push(t);
        break;
      }
      case "tool-call":
      case "tool_call":
      case "toolCall":
        calls.push(parseCall(p.content));
        break;
      case "tool_use": {
        calls.push(parseCall(p.content));
        const o = isObj(p.content) ? p.content : {};
        if (o.result !== undefined && o.result !== null) {
          results.push({ content: resultText(o.result), ofCall: calls.length - 1, afterCalls: calls.length });
        }
        break;
      }
      case "tool-result":
      case "tool_result":
      case "toolResult":
        results.push({ ...parseResult(p.content), afterCalls: calls.length });
        break;
      default:
        // Parts evalport has no place for (files, images, step markers) are accepted and left out.
        break;
    }
  }
  return { texts, reasoning, calls, results };
}

const positive = (v: number | null | undefined) => (typeof v === "number" && v > 0 ? Math.round(v) : undefined);

/**
 * One plugin message as evalport messages: the message itself (text, tool calls, reasoning), then one `tool`
 * message per tool result. A call without an id gets the message's externalId (or `<externalId>#call-<i>` when
 * the message carries several); a result without a `toolCallId` answers the latest call that has no answer yet —
 * in this message, else in `pending` (the session's unanswered calls, oldest first, updated in place).
 */
export function toMessageCandidates(m: SyncMessage, pending: PendingCall[]): MappedMessage {
  const role = m.role === "unknown" ? "assistant" : m.role;
  const { texts, reasoning, calls, results } = readParts(m.parts ?? []);
  const content = m.textContent ? m.textContent : texts.join("\n\n");
  const createdAt = m.createdAt ?? undefined;
  const toolCalls: ToolCall[] = calls.map((c, i) => ({
    id: c.id ?? (calls.length === 1 ? m.externalId : `${m.externalId}#call-${i}`),
    name: c.name,
    ...(c.arguments !== undefined ? { arguments: c.arguments } : {}),
  }));

  const assistantExtras = toolCalls.length > 0 || reasoning.length > 0;
  // A user or system message that only wrapped tool results (Anthropic's shape) adds nothing of its own.
  const shellOnly = role !== "assistant" && content === "" && (results.length > 0 || assistantExtras);

  let orphanResults = 0;
  // A tool-role message answers a call itself, like a result part without a toolCallId.
  let ownCallId: string | undefined;
  let ownToolName: string | undefined;
  if (role === "tool" && !shellOnly) {
    const target = pending.pop();
    if (target) {
      ownCallId = target.id;
      ownToolName = target.name || undefined;
    } else orphanResults++;
  }

  // Walk the results in order, with the calls made before each one becoming answerable as they appear.
  let callsSeen = 0;
  const answered = new Set<number>();
  const local: { index: number; call: PendingCall }[] = [];
  const toolMessages: MessageCandidate[] = results.map((r, k) => {
    for (; callsSeen < r.afterCalls; callsSeen++) local.push({ index: callsSeen, call: { id: toolCalls[callsSeen]!.id!, name: toolCalls[callsSeen]!.name } });
    let target: PendingCall | undefined;
    if (r.ofCall !== undefined) {
      target = { id: toolCalls[r.ofCall]!.id!, name: toolCalls[r.ofCall]!.name };
      answered.add(r.ofCall);
    } else if (r.toolCallId) {
      target = { id: r.toolCallId, name: r.toolName ?? "" };
      const at = local.findIndex((l) => l.call.id === r.toolCallId);
      if (at >= 0) answered.add(local[at]!.index);
      else removePending(pending, r.toolCallId);
    } else {
      const open = local.filter((l) => !answered.has(l.index));
      const last = open[open.length - 1];
      if (last) {
        answered.add(last.index);
        target = last.call;
      } else {
        target = pending.pop();
        if (!target) orphanResults++;
      }
    }
    const toolName = r.toolName ?? (target?.name || undefined);
    return {
      externalId: `${m.externalId}#result-${k}`,
      role: "tool",
      content: fitText(r.content, LIMITS.messageContentBytes),
      ...(target ? { toolCallId: target.id } : {}),
      ...(toolName ? { toolName } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
    };
  });
  toolCalls.forEach((c, i) => {
    if (!answered.has(i)) pending.push({ id: c.id!, name: c.name });
  });

  const callsBytes = toolCalls.length > 0 ? utf8Length(JSON.stringify(toolCalls)) : 0;
  const reasoningText = reasoning.length > 0 ? reasoning.join("\n\n") : undefined;
  const base = {
    ...(m.model && !isPlaceholderModel(m.model) ? { model: m.model } : {}),
    ...(positive(m.promptTokens) !== undefined ? { promptTokens: positive(m.promptTokens) } : {}),
    ...(positive(m.completionTokens) !== undefined ? { completionTokens: positive(m.completionTokens) } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
  };
  const out: MessageCandidate[] = [];
  if (role === "assistant") {
    const fitted = fitBodies(content, reasoningText, callsBytes);
    out.push({
      externalId: m.externalId,
      role,
      content: fitted.content,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      ...(fitted.reasoning !== undefined ? { reasoning: fitted.reasoning } : {}),
      ...base,
    });
  } else {
    if (!shellOnly) {
      out.push({
        externalId: m.externalId,
        role,
        content: fitText(content, LIMITS.messageContentBytes),
        ...(ownCallId ? { toolCallId: ownCallId } : {}),
        ...(ownToolName ? { toolName: ownToolName } : {}),
        ...base,
      });
    }
    if (assistantExtras) {
      const fitted = fitBodies("", reasoningText, callsBytes);
      out.push({
        externalId: `${m.externalId}#assistant`,
        role: "assistant",
        content: "",
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        ...(fitted.reasoning !== undefined ? { reasoning: fitted.reasoning } : {}),
        ...(createdAt !== undefined ? { createdAt } : {}),
      });
    }
  }
  out.push(...toolMessages);
  return { messages: out, orphanResults };
}

function removePending(pending: PendingCall[], id: string): void {
  const at = pending.findIndex((p) => p.id === id);
  if (at >= 0) pending.splice(at, 1);
}

/** The unanswered calls of stored messages (in conversation order), to answer results that name no call. */
export function pendingCalls(rows: { role: string; toolCalls: string | null; toolCallId: string | null }[]): PendingCall[] {
  const open: PendingCall[] = [];
  for (const r of rows) {
    if (r.role === "tool" && r.toolCallId) {
      removePending(open, r.toolCallId);
    } else if (r.toolCalls) {
      try {
        const calls = JSON.parse(r.toolCalls) as unknown;
        if (Array.isArray(calls)) {
          for (const c of calls) if (isObj(c) && typeof c.id === "string") open.push({ id: c.id, name: typeof c.name === "string" ? c.name : "" });
        }
      } catch {
        // Stored tool calls are written as JSON by ingest; an unreadable row has no calls to answer.
      }
    }
  }
  return open;
}
