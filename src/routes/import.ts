import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { FORMAT_NAMES, IMPORT_FORMATS, LINE_PARSERS, LineSplitter, parseOpenCode, type ImportFormat, type ParseReport } from "../importers";
import { acceptedContentType, IMPORT_CONTENT_TYPES, IMPORT_LIMITS } from "../importers/limits";
import { ImportWriter } from "../importers/write";
import { ApiError } from "../lib/errors";
import { requireKey } from "../middleware/auth";
import { bearerSecurity, commonErrors, createRouter, errorResponses, jsonResponse } from "./router";

const importQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS).openapi({ param: { name: "format", in: "query" }, example: "claude-code" }),
});

const importResultSchema = z
  .object({
    sessions: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        created: z.boolean(),
        messageCount: z.number().int(),
        parentExternalId: z.string().nullable(),
      }),
    ),
    skipped: z.record(z.string(), z.number().int()).openapi({ description: "Lines or parts left out, by kind (`malformed` for lines that are not JSON)" }),
    truncated: z.number().int().openapi({ description: "Messages cut to fit the 1 MiB limit, ending `…[truncated <n> bytes]`" }),
  })
  .openapi("ImportResult");

/** The raw file: no zod schema here, so nothing parses the body before the handler streams it. */
const rawFile = { schema: { type: "string" as const, format: "binary" } };

const importRoute = createRoute({
  method: "post",
  path: "/api/import",
  tags: ["Import"],
  summary: "Import one Claude Code, Codex or OpenCode transcript file as it is on disk",
  description:
    "The body is the file, byte for byte (up to 100 MiB, read as a stream; an OpenCode document up to 32 MiB). " +
    "Sessions are upserted like POST /api/sessions: re-importing a file changes nothing, a longer version appends what is new.",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write")] as const,
  request: {
    query: importQuerySchema,
    body: { required: true, content: Object.fromEntries(IMPORT_CONTENT_TYPES.map((t) => [t, rawFile])) },
  },
  responses: {
    200: jsonResponse(importResultSchema, "Imported; no session was new"),
    201: jsonResponse(importResultSchema, "Imported; at least one session was created"),
    ...commonErrors,
    413: errorResponses.errorResponse("The body is larger than 100 MiB (32 MiB for an OpenCode document)"),
    415: errorResponses.errorResponse("A Content-Type that is not a transcript's"),
  },
});

const tooLarge = (limit: number) =>
  new ApiError("payload_too_large", `The transcript is larger than ${limit} bytes (${limit / (1024 * 1024)} MiB).`);

/** Reads the body as it arrives, counting bytes, and hands each decoded piece of text on. */
async function readText(c: Context<AppEnv>, limit: number, onText: (text: string) => Promise<void>): Promise<number> {
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
      if (bytes > limit) throw tooLarge(limit);
      await onText(decoder.decode(value, { stream: true }));
    }
    await onText(decoder.decode());
  } finally {
    reader.releaseLock();
  }
  return bytes;
}

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

export const importRoutes = createRouter().openapi(importRoute, async (c) => {
  const { format } = c.req.valid("query");
  if (!acceptedContentType(c.req.header("content-type"))) {
    throw new ApiError("unsupported_media_type", `Send the transcript file as the body, with Content-Type ${IMPORT_CONTENT_TYPES.slice(0, 4).join(", ")} or text/plain.`);
  }
  const limit = format === "opencode" ? IMPORT_LIMITS.documentBytes : IMPORT_LIMITS.bodyBytes;
  const announced = Number(c.req.header("content-length") ?? "0");
  // A body announced as too large is refused before anything is read or written.
  if (announced > limit) throw tooLarge(limit);

  const writer = new ImportWriter(c.var.db, c.var.auth.workspace);
  let report: ParseReport;
  let bytes: number;
  let final: Parameters<ImportWriter["write"]>[0];
  if (format === "opencode") {
    const pieces: string[] = [];
    bytes = await readText(c, limit, async (t) => void pieces.push(t));
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
    bytes = await readText(c, limit, async (text) => {
      splitter.push(text);
      if (parser.pendingBytes() >= IMPORT_LIMITS.flushChars || parser.pendingMessages() >= IMPORT_LIMITS.flushMessages) {
        await writer.write(parser.drain(false));
      }
    });
    splitter.end();
    report = parser.report();
    if (report.messages === 0) throw noConversation(format, report, bytes);
    final = parser.drain(true);
    report = parser.report();
    if (unreadable > 0) report.skipped.malformed = (report.skipped.malformed ?? 0) + unreadable;
  }
  if (report.messages === 0) throw noConversation(format, report, bytes);
  await writer.write(final);

  const sessions = [...writer.results.values()];
  const body = { sessions, skipped: report.skipped, truncated: report.truncated };
  return c.json(body, sessions.some((s) => s.created) ? 201 : 200);
});
