import { toJson } from "../json";
import type { ExportSession } from "../model";
import { buildTurns } from "../turns";
import type { Encoder } from "./encoder";

/** The `deepeval` format: one JSON array, an object per line inside it, "[]" when nothing matched. */
export function deepEvalEncoder(): Encoder {
  let wrote = false;
  return {
    begin: () => "[",
    session(session: ExportSession): string {
      let out = "";
      for (const testCase of buildTurns(session)) {
        out += (wrote ? ",\n" : "\n") + toJson(testCase);
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
    session: (session: ExportSession) => buildTurns(session).map((testCase) => `${toJson(testCase)}\n`).join(""),
    end: () => "",
  };
}
