import { createClaudeCodeParser } from "./claude-code";
import { createCodexParser } from "./codex";
import { feedLines } from "./lines";
import { parseOpenCode } from "./opencode";
import type { ImportedSession, ImportFormat, LineParser, ParseReport } from "./types";

export { IMPORT_FORMATS, type ImportFormat, type ImportedSession, type LineParser, type ParseReport } from "./types";
export { parseOpenCode } from "./opencode";
export { LineSplitter } from "./lines";

/** The line-based formats and their parsers; OpenCode is one JSON document, parsed whole by `parseOpenCode`. */
export const LINE_PARSERS: Record<Exclude<ImportFormat, "opencode">, () => LineParser> = {
  "claude-code": createClaudeCodeParser,
  codex: createCodexParser,
};

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  "claude-code": "a Claude Code transcript",
  codex: "a Codex rollout",
  opencode: "an OpenCode session document",
};

/** Parses a whole file in memory: what the route does in chunks, for tests and scripts. */
export function parseTranscript(format: ImportFormat, text: string): { sessions: ImportedSession[]; report: ParseReport } {
  if (format === "opencode") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return parseOpenCode(null);
    }
    return parseOpenCode(doc);
  }
  const parser = LINE_PARSERS[format]();
  feedLines(text, (line, n) => parser.line(line, n));
  return { sessions: parser.drain(true), report: parser.report() };
}
