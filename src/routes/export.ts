import { createRoute, z } from "@hono/zod-openapi";
import { EXPORT_FORMATS, exportFilename, FORMAT_SPECS } from "../export/encoders";
import { countExport, positionOf, readExport, type ReadStats } from "../export/reader";
import { exportStream } from "../export/stream";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { intParam, repeatable, statusesParam, tagsParam } from "../lib/query";
import { requireKey } from "../middleware/auth";
import { bearerSecurity, commonErrors, createRouter } from "./router";

export const exportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS, `must be one of ${EXPORT_FORMATS.join(", ")}`).default("deepeval"),
    status: statusesParam.optional(),
    tag: tagsParam.pipe(z.array(z.string()).max(20, "at most 20 tags")).optional(),
    limit: intParam(1, LIMITS.exportLimitMax).optional().openapi({ type: "integer", example: 1000 }),
    after: z.string().min(1).max(128).optional().openapi({ description: "Resume after this session id (export order)" }),
    id: repeatable
      .pipe(z.array(z.string().min(1).max(128)).max(LIMITS.exportIdsMax, `at most ${LIMITS.exportIdsMax} ids`))
      .optional()
      .openapi({ type: "string", description: "Only these sessions (repeatable, up to 500)" }),
  })
  .strict();

const dataset = (description: string) => ({ description, schema: { type: "string" as const } });

const exportRoute = createRoute({
  method: "get",
  path: "/api/export",
  tags: ["Export"],
  summary: "Stream eval-ready sessions as a dataset (DeepEval JSON/JSONL, OpenAI chat JSONL, text)",
  description:
    "Export order is createdAt then id, ascending. Every parameter is validated before the first byte. The body is " +
    "produced a page at a time; a failure after it began aborts the transfer. Compressed with gzip when the client accepts it.",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  request: { query: exportQuerySchema },
  responses: {
    200: {
      description: "The dataset, as an attachment; X-Export-Sessions gives the number of sessions matched",
      headers: z.object({ "X-Export-Sessions": z.string(), "Content-Disposition": z.string() }),
      content: {
        "application/json": dataset("deepeval: a JSON array of test cases"),
        "application/x-ndjson": dataset("deepeval-jsonl or openai: one JSON object per line"),
        "text/plain": dataset("text: readable transcripts"),
      },
    },
    ...commonErrors,
  },
});

export const exportRoutes = createRouter().openapi(exportRoute, async (c) => {
  const q = c.req.valid("query");
  const { workspace } = c.var.auth;
  let after: { createdAt: number; id: string } | undefined;
  if (q.after !== undefined) {
    after = await positionOf(c.var.db, workspace, q.after);
    if (!after) {
      throw new ApiError("invalid_request", "`after` is not a session id of this workspace.", {
        details: [{ path: "after", message: "unknown session id" }],
      });
    }
  }
  const filters = { statuses: q.status, tags: q.tag, ids: q.id, after, limit: q.limit };
  const stats: ReadStats = { queries: 0, rowsRead: 0 };
  const started = Date.now();
  const total = await countExport(c.var.db, c.env.DB, workspace, filters, stats);
  const spec = FORMAT_SPECS[q.format];
  const body = exportStream(readExport(c.var.db, c.env.DB, workspace, filters, stats), spec.createEncoder(), {
    onDone: (outcome, error) =>
      // One line per export, for operators and the benchmark; no content, no key.
      console.log(
        JSON.stringify({
          event: "export",
          requestId: c.var.requestId,
          workspace,
          format: q.format,
          sessions: total,
          outcome,
          queries: stats.queries,
          rowsRead: stats.rowsRead,
          ms: Date.now() - started,
          ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
        }),
      ),
  });
  const headers: Record<string, string> = {
    "Content-Type": spec.contentType,
    "Content-Disposition": `attachment; filename="${exportFilename(q.format, new Date())}"`,
    "X-Export-Sessions": String(total),
    "Cache-Control": "no-store",
    Vary: "Accept-Encoding",
  };
  // The runtime gzips a body whose Content-Encoding says gzip, chunk by chunk, for every format alike.
  if (/\bgzip\b/i.test(c.req.header("accept-encoding") ?? "")) headers["Content-Encoding"] = "gzip";
  // A streamed body has no typed-response shape in @hono/zod-openapi; the OpenAPI doc above describes it.
  return c.body(body, 200, headers) as never;
});
