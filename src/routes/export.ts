import { createRoute, z } from "@hono/zod-openapi";
import { EXPORT_FORMATS } from "../export/encoders";
import { redactParam } from "../export/redaction";
import { exportResponse } from "../export/respond";
import { SPLIT_DEFAULTS } from "../export/split";
import { LIMITS } from "../lib/limits";
import { intParam, repeatable, statusesParam, tagsParam } from "../lib/query";
import { requireKey } from "../middleware/auth";
import { validationError } from "../middleware/errors";
import { bearerSecurity, commonErrors, createRouter } from "./router";

/** API.md's bound on `contextMessages`. */
const CONTEXT_MESSAGES_MAX = 100_000;

/** A fraction strictly between 0 and 1, as a decimal query parameter. */
const fractionParam = z
  .string()
  .regex(/^(0|[1-9]\d*)?(\.\d+)?$/, "must be a decimal number")
  .transform(Number)
  .pipe(z.number().gt(0, "must be above 0").lt(1, "must be below 1"))
  .openapi({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, example: 0.2 });

/** `split`, `testFraction`, `seed` (API.md "Splits"); shared by the export query and the dataset body's rules. */
export const splitParams = {
  split: z.enum(["train", "test"], "must be train or test").optional(),
  testFraction: fractionParam.optional().openapi({ description: `Share of sessions in test (default ${SPLIT_DEFAULTS.testFraction})` }),
  seed: z.string().min(1, "must not be empty").max(128).optional().openapi({ description: `Split seed (default ${SPLIT_DEFAULTS.seed})` }),
};

/** `testFraction` or `seed` without `split` would be silently ignored: a 400 says so instead. */
export function splitNeedsSide(q: { split?: string; testFraction?: unknown; seed?: unknown }, ctx: z.RefinementCtx): void {
  if (q.split !== undefined) return;
  for (const k of ["testFraction", "seed"] as const) {
    if (q[k] !== undefined) ctx.addIssue({ code: "custom", path: [k], message: "only with split=train or split=test" });
  }
}

/** The parameters that shape an export's output, shared with a dataset's export (API.md "Datasets"). */
export const outputParams = {
  format: z.enum(EXPORT_FORMATS, `must be one of ${EXPORT_FORMATS.join(", ")}`).default("deepeval"),
  limit: intParam(1, LIMITS.exportLimitMax).optional().openapi({ type: "integer", example: 1000 }),
  after: z.string().min(1).max(128).optional().openapi({ description: "Resume after this session id (export order)" }),
  redact: redactParam.optional(),
  contextMessages: intParam(0, CONTEXT_MESSAGES_MAX)
    .optional()
    .openapi({ type: "integer", description: "DeepEval and promptfoo formats: only this many messages before an exchange go to its context (default all)" }),
};

export const exportQuerySchema = z
  .object({
    ...outputParams,
    status: statusesParam.optional(),
    tag: tagsParam.pipe(z.array(z.string()).max(20, "at most 20 tags")).optional(),
    id: repeatable
      .pipe(z.array(z.string().min(1).max(128)).max(LIMITS.exportIdsMax, `at most ${LIMITS.exportIdsMax} ids`))
      .optional()
      .openapi({ type: "string", description: "Only these sessions (repeatable, up to 500)" }),
    ...splitParams,
  })
  .strict()
  .superRefine(splitNeedsSide);

const EXPORT_PARAMS = ["format", "status", "tag", "limit", "after", "id", "redact", "contextMessages", "split", "testFraction", "seed"];

/**
 * zod reports unknown keys as one issue at the object (path ""); the contract wants one detail per bad field, so
 * an unknown parameter (a typo such as `formats`) gets its own detail named after it.
 */
export function namingUnknownParams(err: z.ZodError, params: string[] = EXPORT_PARAMS): z.ZodError {
  const known = params.join(", ");
  return new z.ZodError(
    err.issues.flatMap((issue): z.core.$ZodIssue[] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => ({ code: "custom" as const, input: undefined, path: [...issue.path, k], message: `not an export parameter; use ${known}` }))
        : [issue],
    ),
  );
}

/** The body of an export, as OpenAPI describes it per content type. */
export const exportContent = {
  "application/json": { description: "deepeval: a JSON array of test cases; deepeval-conversational: of ConversationalGoldens", schema: { type: "string" as const } },
  "application/x-ndjson": { description: "deepeval-jsonl, openai or promptfoo: one JSON object per line", schema: { type: "string" as const } },
  "text/plain": { description: "text: readable transcripts", schema: { type: "string" as const } },
};

const dataset = (description: string) => ({ description, schema: { type: "string" as const } });

const exportRoute = createRoute({
  method: "get",
  path: "/api/export",
  tags: ["Export"],
  summary: "Stream eval-ready sessions as a dataset (DeepEval JSON/JSONL/conversational, OpenAI chat JSONL, promptfoo, text)",
  description:
    "Export order is createdAt then id, ascending. Every parameter is validated before the first byte. The body is " +
    "produced a page at a time; a failure after it began aborts the transfer. JSON and text are gzipped by the platform " +
    "for clients that accept it; JSONL is sent uncompressed.",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  request: { query: exportQuerySchema },
  responses: {
    200: {
      description:
        "The dataset, as an attachment; X-Export-Sessions gives the number of sessions matched, X-Export-First-Session " +
        "and X-Export-Last-Session the first and last of them in export order (absent when none): pass the last as " +
        "`after` to fetch the next page of a `limit`ed export",
      headers: z.object({
        "X-Export-Sessions": z.string(),
        "X-Export-First-Session": z.string().optional(),
        "X-Export-Last-Session": z.string().optional(),
        "Content-Disposition": z.string(),
      }),
      content: {
        "application/json": dataset("deepeval: a JSON array of test cases; deepeval-conversational: of ConversationalGoldens"),
        "application/x-ndjson": dataset("deepeval-jsonl, openai or promptfoo: one JSON object per line"),
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
    filters: {
      statuses: q.status,
      tags: q.tag,
      ids: q.id,
      limit: q.limit,
      split: q.split
        ? { split: q.split, testFraction: q.testFraction ?? SPLIT_DEFAULTS.testFraction, seed: q.seed ?? SPLIT_DEFAULTS.seed }
        : undefined,
    },
    afterId: q.after,
    redact: q.redact,
    contextMessages: q.contextMessages,
    requestId: c.var.requestId,
  });
  // A streamed body has no typed-response shape in @hono/zod-openapi; the OpenAPI doc above describes it.
  return c.body(body, 200, headers) as never;
}, (result): undefined => {
  if (!result.success) throw validationError(namingUnknownParams(result.error as z.ZodError), result.target);
  return undefined;
});
