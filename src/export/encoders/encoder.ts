import type { ExportSession } from "../model";

/**
 * Turns an export into text one session at a time, so the stream never holds more than one page. An instance
 * serves one export: it remembers whether anything was written, to place separators even around sessions that
 * emit nothing. The stream writes `begin()`, then `session(s)` per session in export order, then `end()`.
 */
export interface Encoder {
  /** Text before the first session ("[" for the deepeval array, "" otherwise). */
  begin(): string;
  /** One session's text, separators included; "" when the session yields nothing in this format. */
  session(session: ExportSession): string;
  /** Text after the last session ("]" or "\n]" for the deepeval array, "" otherwise). */
  end(): string;
}
