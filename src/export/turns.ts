import type { EvalStatus } from "../db/schema";
import { argumentsLine, deepEvalParameters } from "./arguments";
import { callsOf, isBlank, type ExportMessage, type ExportSession } from "./model";

/** One entry of `tools_called`, shaped like DeepEval's `ToolCall`. */
export interface DeepEvalToolCall {
  name: string;
  input_parameters: Record<string, unknown>;
  output: string | null;
}

/** One user→assistant exchange, shaped like DeepEval's `LLMTestCase` JSON (key order as in API.md). */
export interface DeepEvalCase {
  input: string;
  actual_output: string;
  expected_output: string | null;
  context: string[];
  retrieval_context: string[];
  tools_called: DeepEvalToolCall[];
  additional_metadata: {
    session_id: string;
    external_id: string;
    turn: number;
    model: string | null;
    source: string | null;
    eval_status: EvalStatus;
    eval_tags: string[];
  };
}

/** The `name(<compact JSON>)` lines an assistant message's tool calls add to its context line (none for others). */
export function contextCallLines(message: ExportMessage): string[] {
  return message.role === "assistant" ? callsOf(message).map((call) => argumentsLine(call.name, call.arguments)) : [];
}

/** `"<role>: <content>"`, then an assistant's tool calls as `name(<compact JSON>)` lines, as context expects. */
export function contextLine(message: ExportMessage): string {
  return [`${message.role}: ${message.content}`, ...contextCallLines(message)].join("\n");
}

interface Exchange {
  userIndex: number;
  texts: string[];
  tools: DeepEvalToolCall[];
  replied: boolean;
}

/**
 * Turns one session into DeepEval exchanges (API.md "deepeval"). Rules where the contract is silent:
 * - Consecutive user messages: only the last one opens an exchange that can be emitted; the earlier ones had no
 *   assistant reply, so they yield nothing and show up in the next exchange's `context` as `user: …` lines.
 * - A reply is any assistant message with non-blank content or at least one tool call. An exchange whose
 *   assistant only called tools is emitted with `actual_output: ""` (the assistant did act); blank assistant
 *   messages without calls are not a reply.
 * - Whitespace-only content counts as empty; other content is kept byte for byte.
 * - A tool message answers the first still-unanswered call with its `toolCallId`, wherever it appears later in
 *   the session; calls without an id, or never answered, keep `output: null`.
 * - Messages before the first user message (system prompt, greetings) only ever appear in `context`.
 */
export function buildTurns(session: ExportSession): DeepEvalCase[] {
  const messages = session.messages;
  const lines = messages.map(contextLine);
  const pending = new Map<string, DeepEvalToolCall[]>();
  const cases: DeepEvalCase[] = [];
  let current: Exchange | null = null;

  const flush = (exchange: Exchange | null): void => {
    if (!exchange?.replied) return;
    const user = messages[exchange.userIndex];
    if (!user) return;
    cases.push({
      input: user.content,
      actual_output: exchange.texts.join("\n\n"),
      expected_output: null,
      context: lines.slice(0, exchange.userIndex),
      retrieval_context: [],
      tools_called: exchange.tools,
      additional_metadata: {
        session_id: session.id,
        external_id: session.externalId,
        turn: cases.length + 1,
        model: session.model,
        source: session.source,
        eval_status: session.evalStatus,
        eval_tags: session.evalTags,
      },
    });
  };

  messages.forEach((message, index) => {
    if (message.role === "user") {
      flush(current);
      current = { userIndex: index, texts: [], tools: [], replied: false };
    } else if (message.role === "assistant" && current) {
      if (!isBlank(message.content)) {
        current.texts.push(message.content);
        current.replied = true;
      }
      for (const call of callsOf(message)) {
        const entry: DeepEvalToolCall = {
          name: call.name,
          input_parameters: deepEvalParameters(call.arguments),
          output: null,
        };
        current.tools.push(entry);
        current.replied = true;
        if (call.id) {
          const queue = pending.get(call.id);
          if (queue) queue.push(entry);
          else pending.set(call.id, [entry]);
        }
      }
    } else if (message.role === "tool" && message.toolCallId) {
      const entry = pending.get(message.toolCallId)?.shift();
      if (entry) entry.output = message.content;
    }
  });
  flush(current);

  const last = cases[cases.length - 1];
  if (last) last.expected_output = session.expectedOutput;
  return cases;
}
