import { toJson } from "../json";
import type { ExportSession } from "../model";
import { buildTurns, type DeepEvalCase } from "../turns";
import type { Encoder } from "./encoder";

/**
 * One session's test cases as JSON texts, byte for byte what `toJson(testCase)` gives. Every case repeats all
 * earlier messages as `context`, so escaping them again per case made DeepEval the slowest format; here each
 * context line is escaped once per session and the growing, already-escaped list is spliced into each case.
 */
export function deepEvalCaseTexts(session: ExportSession): string[] {
  let context = "";
  let contextLines = 0;
  return buildTurns(session).map((c: DeepEvalCase) => {
    for (; contextLines < c.context.length; contextLines++) {
      context += (contextLines > 0 ? "," : "") + toJson(c.context[contextLines]);
    }
    return (
      `{"input":${toJson(c.input)},"actual_output":${toJson(c.actual_output)},` +
      `"expected_output":${toJson(c.expected_output)},"context":[${context}],` +
      `"retrieval_context":${toJson(c.retrieval_context)},"tools_called":${toJson(c.tools_called)},` +
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
