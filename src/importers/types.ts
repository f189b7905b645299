import type { z } from "@hono/zod-openapi";
import type { messageInputSchema, sessionInputSchema } from "../sessions/schemas";

/** What a parser produces: the ingest schemas' own input shapes, validated before anything is written. */
export type ImportedMessage = z.input<typeof messageInputSchema>;
export type ImportedSession = z.input<typeof sessionInputSchema>;
export type ImportedToolCall = NonNullable<ImportedMessage["toolCalls"]>[number];

export const IMPORT_FORMATS = ["claude-code", "codex", "opencode"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The first line that made a file unusable, for the 400's `details`. */
export interface BadLine {
  line: number;
  message: string;
}

/** How a parse went, beside the sessions: what was left out and why. */
export interface ParseReport {
  skipped: Record<string, number>;
  truncated: number;
  /** Messages produced in all; 0 means the file had no conversation in it. */
  messages: number;
  /** The first line that was malformed or not of the named format, if any. */
  firstBad?: BadLine;
}

/**
 * An incremental parser of one line-based transcript: fed line by line, it hands back session inputs whenever
 * asked, so the route can write a large file in chunks and never hold it whole.
 */
export interface LineParser {
  line(text: string, lineNo: number): void;
  /** Bytes of message text waiting to be drained, so the caller knows when to write a chunk. */
  pendingBytes(): number;
  pendingMessages(): number;
  /**
   * The sessions with their waiting messages. Before the end (`final` false) a message that later lines may still
   * extend is held back and only fields that never change are sent, so a re-import rewrites nothing; the final
   * drain sends every session with all its fields.
   */
  drain(final: boolean): ImportedSession[];
  report(): ParseReport;
}
