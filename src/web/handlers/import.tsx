import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { FORMAT_NAMES, IMPORT_FORMATS, LINE_PARSERS, LineSplitter, parseOpenCode, type ImportFormat, type ParseReport } from "../../importers";
import { IMPORT_LIMITS } from "../../importers/limits";
import { ImportWriter } from "../../importers/write";
import { ApiError } from "../../lib/errors";
import { toApiError } from "../../middleware/errors";
import { csrfHeader, limitWebBody, signedIn, WEB_BODY_LIMITS, type C } from "../guard";

/** Reads the upload as it arrives, counting bytes, and hands each decoded piece of text on. */
async function readText(c: C, limit: number, onText: (text: string) => Promise<void>): Promise<number> {
  const body = c.req.raw.body;
  if (!body) return 0;
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) throw new ApiError("payload_too_large", `The file is larger than ${limit / (1024 * 1024)} MiB.`);
      await onText(decoder.decode(value, { stream: true }));
    }
    await onText(decoder.decode());
  } finally {
    reader.releaseLock();
  }
  return bytes;
}

function nothingToImport(format: ImportFormat, report: ParseReport, bytes: number): ApiError {
  const what = FORMAT_NAMES[format];
  if (bytes === 0) return new ApiError("invalid_request", `The file is empty; pick ${what}.`, { details: [{ path: "line 1", message: "the file is empty" }] });
  const bad = report.firstBad;
  if (bad) return new ApiError("invalid_request", `This is not ${what}: line ${bad.line} is ${bad.message}.`, { details: [{ path: `line ${bad.line}`, message: bad.message }] });
  return new ApiError("invalid_request", `There is no conversation in this file (${what} with no messages).`, { details: [{ path: "line 1", message: "no messages" }] });
}

/**
 * The Sessions page's upload: the same parsers and the same writer as POST /api/import (src/importers), fed
 * with the signed-in browser's workspace instead of a key; CSRF by header, since the body is the raw file.
 */
async function importUpload(c: C) {
  try {
    await csrfHeader(c, c.var.web.csrf);
    const format = c.req.query("format") ?? "";
    if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError("invalid_request", "Pick the tool that wrote the file: Claude Code, Codex or OpenCode.");
    const f = format as ImportFormat;
    const limit = f === "opencode" ? IMPORT_LIMITS.documentBytes : IMPORT_LIMITS.bodyBytes;
    if (Number(c.req.header("content-length") ?? "0") > limit) throw new ApiError("payload_too_large", `The file is larger than ${limit / (1024 * 1024)} MiB.`);
    const writer = new ImportWriter(c.var.db, c.var.web.workspace);
    let report: ParseReport;
    let bytes: number;
    let final: Parameters<ImportWriter["write"]>[0];
    if (f === "opencode") {
      const pieces: string[] = [];
      bytes = await readText(c, limit, async (t) => void pieces.push(t));
      let doc: unknown = null;
      try {
        doc = bytes > 0 ? JSON.parse(pieces.join("")) : null;
      } catch {
        doc = undefined;
      }
      const parsed = parseOpenCode(doc);
      report = parsed.report;
      final = parsed.sessions;
    } else {
      const parser = LINE_PARSERS[f]();
      let unreadable = 0;
      const splitter = new LineSplitter((line, n) => {
        try {
          parser.line(line, n);
        } catch {
          unreadable++;
        }
      });
      bytes = await readText(c, limit, async (t) => {
        splitter.push(t);
        if (parser.pendingBytes() >= IMPORT_LIMITS.flushChars || parser.pendingMessages() >= IMPORT_LIMITS.flushMessages) await writer.write(parser.drain(false));
      });
      splitter.end();
      if (parser.report().messages === 0) throw nothingToImport(f, parser.report(), bytes);
      final = parser.drain(true);
      report = parser.report();
      if (unreadable > 0) report.skipped.malformed = (report.skipped.malformed ?? 0) + unreadable;
    }
    if (report.messages === 0) throw nothingToImport(f, report, bytes);
    await writer.write(final);
    const sessions = [...writer.results.values()];
    return c.json({ sessions, skipped: report.skipped, truncated: report.truncated }, sessions.some((s) => s.created) ? 201 : 200);
  } catch (err) {
    // The page's script shows this message beside the file; the API's envelope keeps it machine-readable.
    const e = toApiError(err);
    return c.json(e.toBody(), e.status, e.headers);
  }
}

/** POST /import?format=… — the upload behind "Import transcripts" on the Sessions page. */
export const importRoutes = new Hono<AppEnv>();

importRoutes.post("/import", limitWebBody(WEB_BODY_LIMITS.upload), signedIn("sessions:write"), importUpload);
