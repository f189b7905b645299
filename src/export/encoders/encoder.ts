import type { ExportSession } from "../model";
import type { TurnOptions } from "../turns";

/**
 * Turns an export into text a piece at a time, so the stream holds about one chunk of output, never a whole
 * session's (a long session's DeepEval output grows with the square of its length). An instance serves one
 * export: it remembers whether anything was written, to place separators even around sessions that emit nothing.
 * The stream writes `begin()`, then every piece of `session(s)` per session in export order, then `end()`.
 */
export interface Encoder {
  /** Text before the first session ("[" for the JSON arrays, "" otherwise). */
  begin(): string;
  /** One session's text in pieces, separators included; nothing when the session yields nothing in this format. */
  session(session: ExportSession): Iterable<string>;
  /** Text after the last session ("]" or "\n]" for the JSON arrays, "" otherwise). */
  end(): string;
}

/** Per-export options an encoder may use. */
export type EncoderOptions = TurnOptions;

/** A whole session's text from an encoder (tests, and formats whose record is one session). */
export function sessionText(encoder: Encoder, session: ExportSession): string {
  let out = "";
  for (const piece of encoder.session(session)) out += piece;
  return out;
}

/**
 * The JSON-array framing shared by `deepeval` and `deepeval-conversational`: "[", records separated by ",\n",
 * each on its own line, "\n]" — or "[]" when no record was written.
 */
export function jsonArrayFraming() {
  let wrote = false;
  return {
    begin: () => "[",
    /** The separator to put before the next record. */
    next(): string {
      const sep = wrote ? ",\n" : "\n";
      wrote = true;
      return sep;
    },
    end: () => (wrote ? "\n]" : "]"),
  };
}
