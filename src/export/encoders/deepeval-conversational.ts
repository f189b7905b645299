import { deepEvalParameters } from "../arguments";
import { toJson } from "../json";
import { callsOf, isBlank, type ExportSession } from "../model";
import type { DeepEvalToolCall } from "../turns";
import { jsonArrayFraming, type Encoder } from "./encoder";

/** A DeepEval `Turn`: role user or assistant only (its loader rejects others). */
export type ConversationalTurn =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; tools_called?: DeepEvalToolCall[] };

/** One `ConversationalGolden` as `add_goldens_from_json_file` reads it (key order as in API.md). */
export interface ConversationalGolden {
  scenario: string;
  expected_outcome: string | null;
  context: string[];
  name: string;
  comments: string | null;
  additional_metadata: {
    session_id: string;
    external_id: string;
    model: string | null;
    source: string | null;
    eval_status: ExportSession["evalStatus"];
    eval_tags: string[];
    git_branch: string | null;
    git_commit: string | null;
    git_remote: string | null;
    parent_external_id: string | null;
    split?: "train" | "test";
  };
  turns: ConversationalTurn[];
}

const SCENARIO_CHARS = 200;

/** The title, else the first user message's first 200 characters (code points), else the session id: never empty. */
function scenarioOf(session: ExportSession): string {
  const title = session.title?.trim();
  if (title) return session.title!;
  const first = session.messages.find((m) => m.role === "user" && !isBlank(m.content));
  if (first) return Array.from(first.content).slice(0, SCENARIO_CHARS).join("");
  return `Session ${session.id}`;
}

/**
 * The session as one multi-turn golden, or null when it has no assistant message (API.md
 * "deepeval-conversational") or no turn at all (its assistant messages are blank and call nothing, and no user
 * spoke: DeepEval's `ConversationalTestCase` refuses empty `turns`). Rules where the contract is silent: system messages after the first user message
 * also go to `context` (DeepEval has no system turn); consecutive user messages stay separate turns; assistant
 * messages before the first user message form an opening assistant turn; an assistant turn with no text and no
 * call is left out; a tool result answers the first unanswered call with its id, and one that answers no call is
 * left out; `tools_called` is present only on assistant turns that called tools.
 */
export function conversationalGolden(session: ExportSession): ConversationalGolden | null {
  if (!session.messages.some((m) => m.role === "assistant")) return null;
  const context: string[] = [];
  const turns: ConversationalTurn[] = [];
  const pending = new Map<string, DeepEvalToolCall[]>();
  let texts: string[] = [];
  let tools: DeepEvalToolCall[] = [];
  const closeAssistant = () => {
    if (texts.length > 0 || tools.length > 0) {
      turns.push({ role: "assistant", content: texts.join("\n\n"), ...(tools.length > 0 ? { tools_called: tools } : {}) });
    }
    texts = [];
    tools = [];
  };
  for (const m of session.messages) {
    if (m.role === "system") context.push(`system: ${m.content}`);
    else if (m.role === "user") {
      closeAssistant();
      turns.push({ role: "user", content: m.content });
    } else if (m.role === "assistant") {
      if (!isBlank(m.content)) texts.push(m.content);
      for (const call of callsOf(m)) {
        const entry: DeepEvalToolCall = { name: call.name, input_parameters: deepEvalParameters(call.arguments), output: null };
        tools.push(entry);
        if (call.id) {
          const queue = pending.get(call.id);
          if (queue) queue.push(entry);
          else pending.set(call.id, [entry]);
        }
      }
    } else if (m.toolCallId) {
      const entry = pending.get(m.toolCallId)?.shift();
      if (entry) entry.output = m.content;
    }
  }
  closeAssistant();
  if (turns.length === 0) return null;
  return {
    scenario: scenarioOf(session),
    expected_outcome: session.expectedOutput,
    context,
    name: session.id,
    comments: session.evalNotes,
    additional_metadata: {
      session_id: session.id,
      external_id: session.externalId,
      model: session.model,
      source: session.source,
      eval_status: session.evalStatus,
      eval_tags: session.evalTags,
      git_branch: session.gitBranch,
      git_commit: session.gitCommit,
      git_remote: session.gitRemote,
      parent_external_id: session.parentExternalId,
      ...(session.split ? { split: session.split } : {}),
    },
    turns,
  };
}

/**
 * The `deepeval-conversational` format: a JSON array with one golden per session. A golden's size is linear in
 * its session, so it is written a turn at a time rather than as one string.
 */
export function deepEvalConversationalEncoder(): Encoder {
  const framing = jsonArrayFraming();
  return {
    begin: framing.begin,
    *session(session) {
      const golden = conversationalGolden(session);
      if (!golden) return;
      const { turns, ...head } = golden;
      yield `${framing.next()}${toJson(head).slice(0, -1)},"turns":[`;
      for (let i = 0; i < turns.length; i++) yield (i > 0 ? "," : "") + toJson(turns[i]);
      yield "]}";
    },
    end: framing.end,
  };
}
