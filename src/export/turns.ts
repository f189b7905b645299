import type { EvalStatus } from "../db/schema";
import { argumentsLine, deepEvalParameters } from "./arguments";
import { callsOf, isBlank, type ExportMessage, type ExportSession, type Split } from "./model";

/** One entry of `tools_called`, shaped like DeepEval's `ToolCall`. */
export interface DeepEvalToolCall {
  name: string;
  input_parameters: Record<string, unknown>;
  output: string | null;
}

/** The `additional_metadata` of every DeepEval-shaped record (also promptfoo's `metadata`). */
export interface DeepEvalMetadata {
  session_id: string;
  external_id: string;
  turn: number;
  model: string | null;
  source: string | null;
  eval_status: EvalStatus;
  eval_tags: string[];
  split?: Split;
}

/** One user→assistant exchange, shaped like DeepEval's `LLMTestCase` JSON (key order as in API.md). */
export interface DeepEvalCase {
  input: string;
  actual_output: string;
  expected_output: string | null;
  context: string[];
  retrieval_context: string[];
  tools_called: DeepEvalToolCall[];
  additional_metadata: DeepEvalMetadata;
}

/** How much of the conversation an exchange repeats as context: `contextMessages` (undefined = all). */
export interface TurnOptions {
  contextMessages?: number;
}

/** A tool call of an exchange, by position: the message and call index, and the tool message that answers it. */
export interface PlannedCall {
  message: number;
  call: number;
  output: number | null;
}

/**
 * One exchange as message indices only, so a whole session's plan costs a few numbers per message and the
 * strings are produced (and escaped) only when the exchange is written.
 */
export interface ExchangePlan {
  userIndex: number;
  /** Assistant messages with non-blank content, in order: their contents joined make `actual_output`. */
  replies: number[];
  calls: PlannedCall[];
  /** 1-based position among the session's emitted exchanges. */
  turn: number;
}

/** The `name(<compact JSON>)` lines an assistant message's tool calls add to its context line (none for others). */
export function contextCallLines(message: ExportMessage): string[] {
  return message.role === "assistant" ? callsOf(message).map((call) => argumentsLine(call.name, call.arguments)) : [];
}

/** `"<role>: <content>"`, then an assistant's tool calls as `name(<compact JSON>)` lines, as context expects. */
export function contextLine(message: ExportMessage): string {
  return [`${message.role}: ${message.content}`, ...contextCallLines(message)].join("\n");
}

/** The first message index an exchange's context holds: all earlier ones, or only the last `contextMessages`. */
export function contextStart(plan: ExchangePlan, opts: TurnOptions): number {
  return opts.contextMessages === undefined ? 0 : Math.max(0, plan.userIndex - opts.contextMessages);
}

/**
 * Plans one session's DeepEval exchanges (API.md "deepeval"). Rules where the contract is silent:
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
export function planExchanges(messages: readonly ExportMessage[]): ExchangePlan[] {
  const pending = new Map<string, PlannedCall[]>();
  const plans: ExchangePlan[] = [];
  let current: (ExchangePlan & { replied: boolean }) | null = null;
  const flush = () => {
    if (!current?.replied) return;
    const { replied: _r, ...plan } = current;
    plans.push({ ...plan, turn: plans.length + 1 });
  };
  messages.forEach((message, index) => {
    if (message.role === "user") {
      flush();
      current = { userIndex: index, replies: [], calls: [], turn: 0, replied: false };
    } else if (message.role === "assistant" && current) {
      if (!isBlank(message.content)) {
        current.replies.push(index);
        current.replied = true;
      }
      callsOf(message).forEach((call, callIndex) => {
        const entry: PlannedCall = { message: index, call: callIndex, output: null };
        current!.calls.push(entry);
        current!.replied = true;
        if (call.id) {
          const queue = pending.get(call.id);
          if (queue) queue.push(entry);
          else pending.set(call.id, [entry]);
        }
      });
    } else if (message.role === "tool" && message.toolCallId) {
      const entry = pending.get(message.toolCallId)?.shift();
      if (entry) entry.output = index;
    }
  });
  flush();
  return plans;
}

/** The metadata every record of an exchange carries; `split` only when the export asked for one. */
export function deepEvalMetadata(session: ExportSession, turn: number): DeepEvalMetadata {
  return {
    session_id: session.id,
    external_id: session.externalId,
    turn,
    model: session.model,
    source: session.source,
    eval_status: session.evalStatus,
    eval_tags: session.evalTags,
    ...(session.split ? { split: session.split } : {}),
  };
}

/** An exchange's tool calls as DeepEval `ToolCall`s. */
export function plannedTools(session: ExportSession, plan: ExchangePlan): DeepEvalToolCall[] {
  return plan.calls.map((c) => {
    const call = callsOf(session.messages[c.message]!)[c.call]!;
    return {
      name: call.name,
      input_parameters: deepEvalParameters(call.arguments),
      output: c.output === null ? null : session.messages[c.output]!.content,
    };
  });
}

/**
 * A session's exchanges as whole objects — the reference the streaming encoder is tested against, and handy for
 * small sessions; the export itself never builds these (see encoders/deepeval.ts).
 */
export function buildTurns(session: ExportSession, opts: TurnOptions = {}): DeepEvalCase[] {
  const messages = session.messages;
  const plans = planExchanges(messages);
  return plans.map((plan, i) => ({
    input: messages[plan.userIndex]!.content,
    actual_output: plan.replies.map((r) => messages[r]!.content).join("\n\n"),
    expected_output: i === plans.length - 1 ? session.expectedOutput : null,
    context: messages.slice(contextStart(plan, opts), plan.userIndex).map(contextLine),
    retrieval_context: [],
    tools_called: plannedTools(session, plan),
    additional_metadata: deepEvalMetadata(session, plan.turn),
  }));
}
