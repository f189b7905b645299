import { toJson } from "../json";
import type { ExportMessage, ExportSession } from "../model";
import { buildTurns, contextCallLines, type DeepEvalCase, type DeepEvalToolCall } from "../turns";
import type { Encoder } from "./encoder";

/**
 * One session's test cases as JSON texts, byte for byte what `toJson(testCase)` gives. Escaping strings is most of
 * the cost of this format, and every case repeats all earlier messages as `context`, so each distinct string is
 * escaped once per session (a message's content serves its context line, its `input`, `actual_output` or tool
 * `output`), and the growing, already-escaped context list is spliced into each case.
 */
export function deepEvalCaseTexts(session: ExportSession): string[] {
  const escaped = new Map<string, string>();
  const json = (s: string): string => {
    let text = escaped.get(s);
    if (text === undefined) {
      text = toJson(s);
      escaped.set(s, text);
    }
    return text;
  };
  // JSON escaping is character by character, so the escape of a joined line is the join of the escapes.
  const inner = (s: string) => json(s).slice(1, -1);
  const contextJson = (m: ExportMessage) =>
    `"${m.role}: ${inner(m.content)}${contextCallLines(m).map((l) => `\\n${inner(l)}`).join("")}"`;
  const toolsJson = (tools: DeepEvalToolCall[]) =>
    `[${tools
      .map((t) => `{"name":${json(t.name)},"input_parameters":${toJson(t.input_parameters)},"output":${t.output === null ? "null" : json(t.output)}}`)
      .join(",")}]`;

  let context = "";
  let contextLines = 0;
  return buildTurns(session).map((c: DeepEvalCase) => {
    for (; contextLines < c.context.length; contextLines++) {
      context += (contextLines > 0 ? "," : "") + contextJson(session.messages[contextLines]!);
    }
    return (
      `{"input":${json(c.input)},"actual_output":${json(c.actual_output)},` +
      `"expected_output":${c.expected_output === null ? "null" : json(c.expected_output)},"context":[${context}],` +
      `"retrieval_context":${toJson(c.retrieval_context)},"tools_called":${toolsJson(c.tools_called)},` +
      `"additional_metadata":${toJson(c.additional_metadata)}}`
    );
  });
}

/** The `deepeval` format: one JSON array, an object per line inside it, "[]" when nothing matched. */
export function deepEvalEncoder(): Encoder {
  let wrote = false;
  return {
    begin: () => "[",
    session(session: ExportSession): string {
      let out = "";
      for (const text of deepEvalCaseTexts(session)) {
        out += (wrote ? ",\n" : "\n") + text;
        wrote = true;
      }
      return out;
    },
    end: () => (wrote ? "\n]" : "]"),
  };
}

/** The `deepeval-jsonl` format: the same objects, each on its own "\n"-terminated line; empty export = empty body. */
export function deepEvalJsonlEncoder(): Encoder {
  return {
    begin: () => "",
    session: (session: ExportSession) => deepEvalCaseTexts(session).map((text) => `${text}\n`).join(""),
    end: () => "",
  };
}
