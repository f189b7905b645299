import { createRoute, z } from "@hono/zod-openapi";
import { IMPORT_FORMATS } from "../importers";
import { importTranscript } from "../importers/import-body";
import { acceptedContentType, IMPORT_CONTENT_TYPES } from "../importers/limits";
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

export const importRoutes = createRouter().openapi(importRoute, async (c) => {
  const { format } = c.req.valid("query");
  if (!acceptedContentType(c.req.header("content-type"))) {
    throw new ApiError("unsupported_media_type", `Send the transcript file as the body, with Content-Type ${IMPORT_CONTENT_TYPES.slice(0, 4).join(", ")} or text/plain.`);
  }
  const { status, body } = await importTranscript({
    format,
    body: c.req.raw.body,
    contentLength: c.req.header("content-length"),
    db: c.var.db,
    workspaceId: c.var.auth.workspace,
  });
  return c.json(body, status);
});
