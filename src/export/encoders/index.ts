import { deepEvalEncoder, deepEvalJsonlEncoder } from "./deepeval";
import type { Encoder } from "./encoder";
import { openAiEncoder } from "./openai";
import { textEncoder } from "./text";

export type { Encoder } from "./encoder";

/** The `format` values of `GET /api/export`, first is the default; usable as a zod enum. */
export const EXPORT_FORMATS = ["deepeval", "deepeval-jsonl", "openai", "text"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the route needs to answer for one format: headers, and a fresh encoder per export. */
export interface ExportFormatSpec {
  contentType: string;
  /** File extension without the dot. */
  extension: string;
  createEncoder: () => Encoder;
}

export const FORMAT_SPECS: Record<ExportFormat, ExportFormatSpec> = {
  deepeval: { contentType: "application/json", extension: "json", createEncoder: deepEvalEncoder },
  "deepeval-jsonl": { contentType: "application/x-ndjson", extension: "jsonl", createEncoder: deepEvalJsonlEncoder },
  openai: { contentType: "application/x-ndjson", extension: "jsonl", createEncoder: openAiEncoder },
  text: { contentType: "text/plain; charset=utf-8", extension: "txt", createEncoder: textEncoder },
};

/** `evalport-<format>-<YYYY-MM-DD>.<ext>` with the UTC date, as Content-Disposition wants. */
export function exportFilename(format: ExportFormat, now: Date): string {
  return `evalport-${format}-${now.toISOString().slice(0, 10)}.${FORMAT_SPECS[format].extension}`;
}
