import { openAiArguments } from "../arguments";
import { toJson } from "../json";
import { callsOf, isBlank, type ExportSession } from "../model";
import type { Encoder } from "./encoder";

export interface OpenAiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A chat fine-tuning message: only the keys OpenAI accepts, never `name` or reasoning. */
export type OpenAiMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: OpenAiToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

/** Every id in the session, so generated call ids can never collide with, or be answered by, a real one. */
function takenIds(session: ExportSession): Set<string> {
  const taken = new Set<string>();
  for (const message of session.messages) {
    if (message.toolCallId) taken.add(message.toolCallId);
    for (const call of callsOf(message)) if (call.id) taken.add(call.id);
  }
  return taken;
}

/**
 * The session as fine-tuning messages, or null when it would be invalid training data (no assistant message).
 * Rules where API.md is silent: a call without an id gets `call_<message index>_<call index>` (suffixed `_<n>` if
 * taken) and stays unanswered; unanswered calls are kept (valid: the model learns to emit the call); a tool message
 * without a `toolCallId`, or whose id no earlier call carries, is left out; whitespace-only content counts as empty.
 */
export function openAiMessages(session: ExportSession): OpenAiMessage[] | null {
  if (!session.messages.some((m) => m.role === "assistant")) return null;
  const taken = takenIds(session);
  const called = new Set<string>();
  const out: OpenAiMessage[] = [];
  session.messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "user") {
      out.push({ role: message.role, content: message.content });
    } else if (message.role === "assistant") {
      const toolCalls = callsOf(message).map((call, callIndex): OpenAiToolCall => {
        let id = call.id;
        if (!id) {
          const base = `call_${index}_${callIndex}`;
          id = base;
          for (let n = 1; taken.has(id); n++) id = `${base}_${n}`;
          taken.add(id);
        }
        called.add(id);
        return { id, type: "function", function: { name: call.name, arguments: openAiArguments(call.arguments) } };
      });
      if (toolCalls.length === 0) {
        out.push({ role: "assistant", content: message.content });
      } else {
        const content = isBlank(message.content) ? null : message.content;
        out.push({ role: "assistant", content, tool_calls: toolCalls });
      }
    } else if (message.toolCallId && called.has(message.toolCallId)) {
      out.push({ role: "tool", tool_call_id: message.toolCallId, content: message.content });
    }
  });
  return out;
}

/** The `openai` format: one `{"messages":[...]}` line per session that has an assistant message. */
export function openAiEncoder(): Encoder {
  return {
    begin: () => "",
    *session(session: ExportSession) {
      const messages = openAiMessages(session);
      if (messages) yield `${toJson({ messages })}\n`;
    },
    end: () => "",
  };
}
