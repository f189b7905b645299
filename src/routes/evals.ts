import { createRoute, z } from "@hono/zod-openapi";
import { reviewerName } from "../auth/keys";
import { bulkLabel, bulkLabelSchema } from "../evals/bulk-label";
import { bulkApply, labelSession } from "../evals/labels";
import { evalSummary } from "../evals/summary";
import { EVAL_STATUSES } from "../db/schema";
import { ApiError } from "../lib/errors";
import { parseIfMatch } from "../lib/etag";
import { LIMITS } from "../lib/limits";
import { boolParam, intParam, searchParam, statusesParam, tagsParam } from "../lib/query";
import { requireJsonBody } from "../middleware/body";
import { requireKey } from "../middleware/auth";
import { etagOf, presentSession } from "../sessions/present";
import { getSessionRow, sessionListPage } from "../sessions/queries";
import { evalFieldsSchema, sessionListSchema, sessionSummarySchema } from "../sessions/schemas";
import { bearerSecurity, commonErrors, createRouter, errorResponses, jsonBody, jsonResponse, notFoundError } from "./router";

const readyBody = z
  .object({
    sessionIds: z.array(z.string().min(1).max(128)).min(1).max(LIMITS.readyIdsMax, `at most ${LIMITS.readyIdsMax} ids`),
    ready: z.boolean().default(true),
  })
  .openapi("MarkReadyInput");

export const bulkResultSchema = z
  .object({ updated: z.number().int(), notFound: z.array(z.string()) })
  .openapi("BulkEvalResult");

const readyRoute = createRoute({
  method: "post",
  path: "/api/evals/ready",
  tags: ["Evals"],
  summary: "Mark (or unmark) sessions eval-ready; labels, reviewedAt and reviewedBy are kept",
  security: bearerSecurity,
  middleware: [requireKey("evals:write"), requireJsonBody()] as const,
  request: { body: jsonBody(readyBody) },
  responses: { 200: jsonResponse(bulkResultSchema, "Applied"), ...commonErrors },
});

const LABEL_FIELDS = Object.keys(evalFieldsSchema.shape);

const labelBody = evalFieldsSchema
  .loose()
  .superRefine((p, ctx) => {
    // Unknown fields are refused one detail each, named by their path (a typo never passes silently).
    const unknown = Object.keys(p).filter((k) => !LABEL_FIELDS.includes(k));
    for (const k of unknown) {
      ctx.addIssue({ code: "custom", path: [k], message: `not a label field; use ${LABEL_FIELDS.join(", ")}` });
    }
    if (unknown.length === 0 && !LABEL_FIELDS.some((k) => (p as Record<string, unknown>)[k] !== undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: `give at least one of ${LABEL_FIELDS.join(", ")}` });
    }
  })
  .openapi("LabelInput", { additionalProperties: false, minProperties: 1 });

const labelRoute = createRoute({
  method: "patch",
  path: "/api/sessions/{id}/eval",
  tags: ["Evals"],
  summary: "Label a session; send If-Match with the ETag you read to avoid overwriting another reviewer",
  security: bearerSecurity,
  middleware: [requireKey("evals:write"), requireJsonBody()] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(128) }),
    headers: z.object({ "if-match": z.string().optional().openapi({ description: 'The ETag you read, e.g. "v3"' }) }),
    body: jsonBody(labelBody),
  },
  responses: {
    200: jsonResponse(sessionSummarySchema, "The labelled session (with its new ETag)"),
    ...commonErrors,
    ...notFoundError,
    412: errorResponses.errorResponse("The session changed since that ETag; nothing was changed"),
  },
});

const bulkLabelRoute = createRoute({
  method: "post",
  path: "/api/evals/label",
  tags: ["Evals"],
  summary: "Bulk labels: set the status, add/remove tags, mark/unmark, for up to 500 sessions in one transaction",
  description:
    "Sessions whose status or tags really change get reviewedAt = now and reviewedBy = this key's name (or prefix); " +
    "a change of evalReady alone leaves both, as POST /api/evals/ready does. A change that would give any session " +
    "more than 64 tags is a 400 and changes none.",
  security: bearerSecurity,
  middleware: [requireKey("evals:write"), requireJsonBody()] as const,
  request: { body: jsonBody(bulkLabelSchema) },
  responses: { 200: jsonResponse(bulkResultSchema, "Applied"), ...commonErrors },
});

const evalsQuery = z.object({
  status: statusesParam.optional(),
  tag: tagsParam.optional(),
  reviewed: boolParam.optional().openapi({ description: "Whether the session was ever labelled (reviewedAt set)" }),
  q: searchParam.optional(),
  limit: intParam(1, LIMITS.listLimitMax).optional().openapi({ type: "integer", example: 50 }),
  cursor: z.string().min(1).max(512).optional(),
});

const listRoute = createRoute({
  method: "get",
  path: "/api/evals",
  tags: ["Evals"],
  summary: "Eval-ready sessions, newest first",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  request: { query: evalsQuery },
  responses: { 200: jsonResponse(sessionListSchema, "A page"), ...commonErrors },
});

const summarySchema = z
  .object({
    total: z.number().int(),
    byStatus: z.object(Object.fromEntries(EVAL_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof EVAL_STATUSES)[number], z.ZodNumber>),
    tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
  })
  .openapi("EvalSummary");

const summaryRoute = createRoute({
  method: "get",
  path: "/api/evals/summary",
  tags: ["Evals"],
  summary: "Counts by status and by tag over eval-ready sessions",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  responses: { 200: jsonResponse(summarySchema, "Counts"), ...commonErrors },
});

export const evalRoutes = createRouter()
  .openapi(readyRoute, async (c) => {
    const { sessionIds, ready } = c.req.valid("json");
    return c.json(await bulkApply(c.var.db, c.var.auth.workspace, { ids: sessionIds }, { evalReady: ready }), 200);
  })
  .openapi(labelRoute, async (c) => {
    const { id } = c.req.valid("param");
    const ifMatch = parseIfMatch(c.req.header("if-match"));
    let version: number | undefined;
    if (ifMatch !== undefined) {
      const current = await getSessionRow(c.var.db, c.var.auth.workspace, id);
      if (!current) throw new ApiError("not_found", "Session not found.");
      if (ifMatch !== "*" && !ifMatch.includes(current.version)) {
        throw new ApiError("precondition_failed", "The session changed since you read it (If-Match is stale); reload it and apply your change again.");
      }
      version = current.version;
    }
    const by = await reviewerName(c.var.db, c.var.auth);
    const row = await labelSession(c.var.db, c.var.auth.workspace, id, c.req.valid("json"), version, by);
    c.header("ETag", etagOf(row));
    return c.json(presentSession(row), 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const filters = { evalReady: true, statuses: q.status, tags: q.tag, reviewed: q.reviewed, q: q.q };
    return c.json(await sessionListPage(c.var.db, c.var.auth.workspace, filters, q.limit ?? LIMITS.listLimitDefault, q.cursor), 200);
  })
  .openapi(bulkLabelRoute, async (c) => {
    const by = await reviewerName(c.var.db, c.var.auth);
    return c.json(await bulkLabel(c.var.db, c.var.auth.workspace, c.req.valid("json"), by), 200);
  })
  .openapi(summaryRoute, async (c) => c.json(await evalSummary(c.var.db, c.var.auth.workspace), 200));
