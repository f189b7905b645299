import { createRoute, z } from "@hono/zod-openapi";
import { EXPORT_FORMATS } from "../export/encoders";
import { exportResponse } from "../export/respond";
import { LIMITS } from "../lib/limits";
import { intParam, repeatable, statusesParam, tagsParam } from "../lib/query";
import { requireKey } from "../middleware/auth";
import { validationError } from "../middleware/errors";
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

/**
 * zod reports unknown keys as one issue at the object (path ""); the contract wants one detail per bad field, so
 * an unknown parameter (a typo such as `formats`) gets its own detail named after it.
 */
function namingUnknownParams(err: z.ZodError): z.ZodError {
  const known = Object.keys(exportQuerySchema.shape).join(", ");
  return new z.ZodError(
    err.issues.flatMap((issue): z.core.$ZodIssue[] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => ({ code: "custom" as const, input: undefined, path: [...issue.path, k], message: `not an export parameter; use ${known}` }))
        : [issue],
    ),
  );
}

const dataset = (description: string) => ({ description, schema: { type: "string" as const } });

const exportRoute = createRoute({
  method: "get",
  path: "/api/export",
  tags: ["Export"],
  summary: "Stream eval-ready sessions as a dataset (DeepEval JSON/JSONL, OpenAI chat JSONL, text)",
  description:
    "Export order is createdAt then id, ascending. Every parameter is validated before the first byte. The body is " +
    "produced a page at a time; a failure after it began aborts the transfer. JSON and text are gzipped by the platform " +
    "for clients that accept it; JSONL is sent uncompressed.",
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
  const { body, headers } = await exportResponse({
    db: c.var.db,
    d1: c.env.DB,
    workspace: c.var.auth.workspace,
    format: q.format,
    filters: { statuses: q.status, tags: q.tag, ids: q.id, limit: q.limit },
    afterId: q.after,
    requestId: c.var.requestId,
  });
  // A streamed body has no typed-response shape in @hono/zod-openapi; the OpenAPI doc above describes it.
  return c.body(body, 200, headers) as never;
}, (result): undefined => {
  if (!result.success) throw validationError(namingUnknownParams(result.error as z.ZodError), result.target);
  return undefined;
});
