import { deepEvalEncoder, deepEvalJsonlEncoder } from "./deepeval";
import { deepEvalConversationalEncoder } from "./deepeval-conversational";
import type { Encoder, EncoderOptions } from "./encoder";
import { openAiEncoder } from "./openai";
import { promptfooEncoder } from "./promptfoo";
import { textEncoder } from "./text";

export type { Encoder, EncoderOptions } from "./encoder";

/** The `format` values of `GET /api/export`, first is the default; usable as a zod enum. */
export const EXPORT_FORMATS = ["deepeval", "deepeval-jsonl", "deepeval-conversational", "openai", "promptfoo", "text"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the route needs to answer for one format: headers, and a fresh encoder per export. */
export interface ExportFormatSpec {
  contentType: string;
  /** File extension without the dot. */
  extension: string;
  createEncoder: (opts?: EncoderOptions) => Encoder;
}

export const FORMAT_SPECS: Record<ExportFormat, ExportFormatSpec> = {
  deepeval: { contentType: "application/json", extension: "json", createEncoder: deepEvalEncoder },
  "deepeval-jsonl": { contentType: "application/x-ndjson", extension: "jsonl", createEncoder: deepEvalJsonlEncoder },
  "deepeval-conversational": { contentType: "application/json", extension: "json", createEncoder: deepEvalConversationalEncoder },
  openai: { contentType: "application/x-ndjson", extension: "jsonl", createEncoder: openAiEncoder },
  promptfoo: { contentType: "application/x-ndjson", extension: "jsonl", createEncoder: promptfooEncoder },
  text: { contentType: "text/plain; charset=utf-8", extension: "txt", createEncoder: textEncoder },
};

/** `evalport-<format>-<YYYY-MM-DD>.<ext>` with the UTC date, as Content-Disposition wants. */
export function exportFilename(format: ExportFormat, now: Date, dataset?: string): string {
  const name = dataset === undefined ? "" : `${dataset.replace(/[^A-Za-z0-9._-]+/g, "_")}-`;
  return `evalport-${name}${format}-${now.toISOString().slice(0, 10)}.${FORMAT_SPECS[format].extension}`;
}
