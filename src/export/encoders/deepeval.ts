import { toJson } from "../json";
import type { ExportSession } from "../model";
import { contextCallLines, contextStart, deepEvalMetadata, planExchanges, plannedTools, type TurnOptions } from "../turns";
import { jsonArrayFraming, type Encoder, type EncoderOptions } from "./encoder";

/** A JSON string literal without its quotes: JSON escaping is character by character, so escapes concatenate. */
const inner = (s: string) => toJson(s).slice(1, -1);

/**
 * One session's test cases as text pieces, byte for byte what `toJson(case)` of `buildTurns` gives. Every case
 * repeats earlier messages as `context`, so a session's output grows with the square of its length: the pieces
 * are yielded one context entry at a time (the stream cuts them into chunks), and each message's escaped text is
 * computed once per session and shared by its context entry, its `input`, `actual_output` or tool `output`.
 * Memory is the session plus its escaped copy, never its output. `before()` gives each case's separator.
 */
export function* deepEvalCasePieces(session: ExportSession, opts: TurnOptions, before: () => string): Generator<string> {
  const messages = session.messages;
  const plans = planExchanges(messages);
  if (plans.length === 0) return;
  const escaped: (string | undefined)[] = new Array(messages.length);
  const content = (i: number): string => (escaped[i] ??= inner(messages[i]!.content));
  const contextEntries: (string | undefined)[] = new Array(messages.length);
  const contextEntry = (i: number): string => {
    let entry = contextEntries[i];
    if (entry === undefined) {
      const m = messages[i]!;
      entry = `"${m.role}: ${content(i)}${contextCallLines(m).map((l) => `\\n${inner(l)}`).join("")}"`;
      contextEntries[i] = entry;
    }
    return entry;
  };
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p]!;
    const last = p === plans.length - 1;
    const expected = last && session.expectedOutput !== null ? toJson(session.expectedOutput) : "null";
    yield `${before()}{"input":"${content(plan.userIndex)}","actual_output":"${plan.replies.map(content).join("\\n\\n")}",` +
      `"expected_output":${expected},"context":[`;
    const start = contextStart(plan, opts);
    for (let i = start; i < plan.userIndex; i++) yield (i > start ? "," : "") + contextEntry(i);
    const tools = plannedTools(session, plan)
      .map((t, k) => {
        const output = plan.calls[k]!.output;
        return `{"name":${toJson(t.name)},"input_parameters":${toJson(t.input_parameters)},"output":${output === null ? "null" : `"${content(output)}"`}}`;
      })
      .join(",");
    yield `],"retrieval_context":[],"tools_called":[${tools}],"additional_metadata":${toJson(deepEvalMetadata(session, plan.turn))}}`;
  }
}

/** One session's cases as whole JSON texts (unit tests; the export streams pieces instead). */
export function deepEvalCaseTexts(session: ExportSession, opts: TurnOptions = {}): string[] {
  const texts: string[] = [];
  let current = "";
  let started = false;
  for (const piece of deepEvalCasePieces(session, opts, () => {
    if (started) texts.push(current);
    started = true;
    current = "";
    return "";
  })) {
    current += piece;
  }
  if (started) texts.push(current);
  return texts;
}

/** The `deepeval` format: one JSON array, an object per line inside it, "[]" when nothing matched. */
export function deepEvalEncoder(opts: EncoderOptions = {}): Encoder {
  const framing = jsonArrayFraming();
  return {
    begin: framing.begin,
    session: (session) => deepEvalCasePieces(session, opts, framing.next),
    end: framing.end,
  };
}

/** The `deepeval-jsonl` format: the same objects, each on its own "\n"-terminated line; empty export = empty body. */
export function deepEvalJsonlEncoder(opts: EncoderOptions = {}): Encoder {
  return {
    begin: () => "",
    session: function* (session) {
      let first = true;
      for (const piece of deepEvalCasePieces(session, opts, () => (first ? ((first = false), "") : "\n"))) yield piece;
      if (!first) yield "\n";
    },
    end: () => "",
  };
}
