import type { Db } from "../db/client";
import { ApiError } from "../lib/errors";
import { FORMAT_NAMES, LINE_PARSERS, LineSplitter, parseOpenCode, type ImportedSession, type ImportFormat, type ParseReport } from "./index";
import { IMPORT_LIMITS } from "./limits";
import { SessionSpool } from "./spool";
import { ImportWriter, type ImportedSummary } from "./write";

/** The answer of an import, for POST /api/import and the Sessions page's upload alike. */
export interface ImportResult {
  sessions: ImportedSummary[];
  skipped: Record<string, number>;
  truncated: number;
}

const MiB = 1024 * 1024;

const tooLarge = (limit: number) => new ApiError("payload_too_large", `The transcript is larger than ${limit} bytes (${limit / MiB} MiB).`);

/** The 400 for a file with nothing to import, naming its first bad line. */
function noConversation(format: ImportFormat, report: ParseReport, bytes: number): ApiError {
  const what = FORMAT_NAMES[format];
  if (bytes === 0) {
    return new ApiError("invalid_request", `The body is empty; send ${what}.`, { details: [{ path: "line 1", message: "the body is empty" }] });
  }
  const bad = report.firstBad;
  if (bad) {
    return new ApiError("invalid_request", `This is not ${what}: line ${bad.line} is ${bad.message}.`, {
      details: [{ path: `line ${bad.line}`, message: bad.message }],
    });
  }
  return new ApiError("invalid_request", `There is no conversation in this file (${what} with no messages).`, {
    details: [{ path: "line 1", message: "no user, assistant or tool message in the file" }],
  });
}

/** workerd's BYOB reader, with its `readAtLeast` (fills a view up to at least n bytes, fewer only at the end). */
type ByobReader = ReadableStreamBYOBReader & {
  readAtLeast?: <T extends ArrayBufferView>(min: number, view: T) => Promise<{ done: boolean; value?: T }>;
};

/**
 * Reads a body as it arrives, counting bytes against `limit`, and hands each decoded piece of text on.
 *
 * A request body is a byte stream: it is read into one reused buffer of `IMPORT_LIMITS.readBytes` with workerd's
 * `readAtLeast`, so a 50 MB file is ~200 reads. The default reader delivers it in 4 KiB chunks — 12,000 reads, each
 * a new array, a decoded string, a promise and a parser flush check. A stream that is not a byte stream (one built
 * in JavaScript) is read with the default reader.
 */
async function readText(body: ReadableStream<Uint8Array> | null, limit: number, onText: (text: string) => Promise<void>): Promise<number> {
  if (!body) return 0;
  const decoder = new TextDecoder("utf-8");
  let bytes = 0;
  const take = async (value: Uint8Array) => {
    bytes += value.byteLength;
    if (bytes > limit) throw tooLarge(limit);
    await onText(decoder.decode(value, { stream: true }));
  };
  let byob: ByobReader | null = null;
  try {
    byob = body.getReader({ mode: "byob" }) as ByobReader;
  } catch {
    byob = null;
  }
  if (byob) {
    let buffer = new ArrayBuffer(IMPORT_LIMITS.readBytes);
    try {
      for (;;) {
        const view = new Uint8Array(buffer);
        const { done, value } = byob.readAtLeast ? await byob.readAtLeast(view.byteLength, view) : await byob.read(view);
        if (value) {
          if (value.byteLength > 0) await take(value);
          buffer = value.buffer as ArrayBuffer; // the read took the buffer over; its view hands it back
        }
        if (done) break;
      }
      await onText(decoder.decode());
    } finally {
      byob.releaseLock();
    }
    return bytes;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await take(value);
    }
    await onText(decoder.decode());
  } finally {
    reader.releaseLock();
  }
  return bytes;
}

/** The announced body length, or undefined when the body is streamed without one (chunked). */
function announcedLength(header: string | undefined | null): number | undefined {
  if (header === undefined || header === null || header.trim() === "") return undefined;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export interface ImportRequest {
  format: ImportFormat;
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Length header as sent, when there is one. */
  contentLength: string | undefined | null;
  db: Db;
  workspaceId: string;
}

/**
 * Imports one transcript body into a workspace: the one streaming path behind POST /api/import and the web upload.
 *
 * - With Content-Length (what curl --data-binary @file and a browser's file upload send), the size is known and
 *   checked before anything is read; the runtime delivers exactly that many bytes, so chunks of messages are
 *   written as they are parsed and memory stays bounded whatever the file's size.
 * - Without Content-Length, nothing is written before the stream has ended: the parsed chunks wait deflated in a
 *   `SessionSpool`, so that a body refused as too large (past 100 MiB) leaves the workspace unchanged.
 * - An OpenCode document is parsed whole, after the last byte, then written.
 */
export async function importTranscript(req: ImportRequest): Promise<{ status: 200 | 201; body: ImportResult }> {
  const { format, db, workspaceId } = req;
  const limit = format === "opencode" ? IMPORT_LIMITS.documentBytes : IMPORT_LIMITS.bodyBytes;
  const announced = announcedLength(req.contentLength);
  // A body announced as too large is refused before anything is read or written.
  if (announced !== undefined && announced > limit) throw tooLarge(limit);

  const writer = new ImportWriter(db, workspaceId);
  const spool = announced === undefined && format !== "opencode" ? new SessionSpool(IMPORT_LIMITS.spoolBytes) : null;
  let report: ParseReport;
  let bytes: number;
  let final: ImportedSession[];
  if (format === "opencode") {
    const pieces: string[] = [];
    bytes = await readText(req.body, limit, async (t) => void pieces.push(t));
    let doc: unknown = null;
    try {
      doc = bytes > 0 ? JSON.parse(pieces.join("")) : null;
    } catch {
      doc = undefined;
    }
    pieces.length = 0;
    const parsed = parseOpenCode(doc);
    report = parsed.report;
    final = parsed.sessions;
  } else {
    const parser = LINE_PARSERS[format]();
    let unreadable = 0;
    const splitter = new LineSplitter((line, n) => {
      try {
        parser.line(line, n);
      } catch {
        // A line shaped in a way no parser rule foresaw is skipped like a malformed one, never a 500.
        unreadable++;
      }
    });
    bytes = await readText(req.body, limit, async (text) => {
      splitter.push(text);
      if (parser.pendingBytes() >= IMPORT_LIMITS.flushChars || parser.pendingMessages() >= IMPORT_LIMITS.flushMessages) {
        const chunk = parser.drain(false);
        if (spool) await spool.add(chunk);
        else await writer.write(chunk);
      }
    });
    splitter.end();
    if (parser.report().messages === 0) throw noConversation(format, parser.report(), bytes);
    final = parser.drain(true);
    report = parser.report();
    if (unreadable > 0) report.skipped.malformed = (report.skipped.malformed ?? 0) + unreadable;
  }
  if (report.messages === 0) throw noConversation(format, report, bytes);
  if (spool && spool.records > 0) for await (const chunk of spool.replay()) await writer.write(chunk);
  await writer.write(final);

  const sessions = [...writer.results.values()];
  return { status: sessions.some((s) => s.created) ? 201 : 200, body: { sessions, skipped: report.skipped, truncated: report.truncated } };
}
