import { createRoute, z } from "@hono/zod-openapi";
import { datasetExportResponse } from "../datasets/export";
import { freezeDataset } from "../datasets/freeze";
import { datasetSessionIds, deleteDataset, getDataset, listDatasets, presentDataset } from "../datasets/store";
import { EVAL_STATUSES } from "../db/schema";
import { notFound } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { requireJsonBody } from "../middleware/body";
import { requireKey } from "../middleware/auth";
import { validationError } from "../middleware/errors";
import { exportContent, namingUnknownParams, outputParams } from "./export";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, notFoundError } from "./router";

const filtersSchema = z
  .object({
    status: z.array(z.enum(EVAL_STATUSES)).optional(),
    tag: z.array(z.string()).optional(),
    id: z.array(z.string()).optional(),
    split: z.enum(["train", "test"]).optional(),
    testFraction: z.number().optional(),
    seed: z.string().optional(),
  })
  .openapi("DatasetFilters");

const createBody = z
  .object({
    name: z.string().trim().min(1, "a name is required").max(128),
    description: z.string().max(2000).nullish(),
    status: z.array(z.enum(EVAL_STATUSES, `must be one of ${EVAL_STATUSES.join(", ")}`)).max(4).optional(),
    tag: z.array(z.string().trim().min(1, "a tag cannot be blank").max(64)).max(20, "at most 20 tags").optional(),
    id: z.array(z.string().min(1).max(128)).max(LIMITS.exportIdsMax, `at most ${LIMITS.exportIdsMax} ids`).optional(),
    split: z.enum(["train", "test"], "must be train or test").optional(),
    testFraction: z.number().gt(0, "must be above 0").lt(1, "must be below 1").optional(),
    seed: z.string().min(1, "must not be empty").max(128).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.split !== undefined) return;
    for (const k of ["testFraction", "seed"] as const) {
      if (b[k] !== undefined) ctx.addIssue({ code: "custom", path: [k], message: "only with split" });
    }
  })
  .openapi("CreateDatasetInput");

const datasetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    sessionCount: z.number().int().openapi({ description: "Sessions frozen at creation" }),
    createdAt: z.number().int(),
    filters: filtersSchema,
  })
  .openapi("Dataset");

const idParams = z.object({ id: z.string().min(1).max(128) });

const createDef = createRoute({
  method: "post",
  path: "/api/datasets",
  tags: ["Datasets"],
  summary: "Freeze the eval-ready sessions matching the filters: ids, message counts and labels as they are now",
  security: bearerSecurity,
  middleware: [requireKey("export:read"), requireJsonBody()] as const,
  request: { body: jsonBody(createBody) },
  responses: { 201: jsonResponse(datasetSchema, "Frozen"), ...commonErrors },
});

const listDef = createRoute({
  method: "get",
  path: "/api/datasets",
  tags: ["Datasets"],
  summary: "This workspace's datasets, newest first",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  responses: { 200: jsonResponse(z.object({ datasets: z.array(datasetSchema) }), "Datasets"), ...commonErrors },
});

const getDef = createRoute({
  method: "get",
  path: "/api/datasets/{id}",
  tags: ["Datasets"],
  summary: "One dataset with its session ids in export order (sessions deleted since are left out)",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  request: { params: idParams },
  responses: {
    200: jsonResponse(datasetSchema.extend({ sessionIds: z.array(z.string()) }).openapi("DatasetWithSessions"), "The dataset"),
    ...commonErrors,
    ...notFoundError,
  },
});

const deleteDef = createRoute({
  method: "delete",
  path: "/api/datasets/{id}",
  tags: ["Datasets"],
  summary: "Delete a dataset (its sessions stay)",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  request: { params: idParams },
  responses: { 204: { description: "Deleted" }, ...commonErrors, ...notFoundError },
});

const datasetExportQuery = z.object(outputParams).strict();
const DATASET_EXPORT_PARAMS = Object.keys(outputParams);

const exportDef = createRoute({
  method: "get",
  path: "/api/datasets/{id}/export",
  tags: ["Datasets"],
  summary: "Stream a dataset's frozen contents in any export format; the same params give the same bytes",
  security: bearerSecurity,
  middleware: [requireKey("export:read")] as const,
  request: { params: idParams, query: datasetExportQuery },
  responses: {
    200: {
      description: "The frozen dataset, as an attachment; headers as on GET /api/export",
      headers: z.object({
        "X-Export-Sessions": z.string(),
        "X-Export-First-Session": z.string().optional(),
        "X-Export-Last-Session": z.string().optional(),
        "Content-Disposition": z.string(),
      }),
      content: exportContent,
    },
    ...commonErrors,
    ...notFoundError,
  },
});

export const datasetRoutes = createRouter()
  .openapi(createDef, async (c) => {
    const { name, description, ...filters } = c.req.valid("json");
    const row = await freezeDataset(c.var.db, c.var.auth.workspace, { name, description, filters });
    return c.json(presentDataset(row), 201);
  })
  .openapi(listDef, async (c) => {
    const rows = await listDatasets(c.var.db, c.var.auth.workspace);
    return c.json({ datasets: rows.map(presentDataset) }, 200);
  })
  .openapi(getDef, async (c) => {
    const row = await getDataset(c.var.db, c.var.auth.workspace, c.req.valid("param").id);
    if (!row) throw notFound("Dataset");
    return c.json({ ...presentDataset(row), sessionIds: await datasetSessionIds(c.var.db, row.id) }, 200);
  })
  .openapi(deleteDef, async (c) => {
    if (!(await deleteDataset(c.var.db, c.var.auth.workspace, c.req.valid("param").id))) throw notFound("Dataset");
    return c.body(null, 204);
  })
  .openapi(
    exportDef,
    async (c) => {
      const q = c.req.valid("query");
      const dataset = await getDataset(c.var.db, c.var.auth.workspace, c.req.valid("param").id);
      if (!dataset) throw notFound("Dataset");
      const { body, headers } = await datasetExportResponse({
        db: c.var.db,
        d1: c.env.DB,
        workspace: c.var.auth.workspace,
        format: q.format,
        redact: q.redact,
        contextMessages: q.contextMessages,
        requestId: c.var.requestId,
        dataset,
        afterId: q.after,
        limit: q.limit,
      });
      // A streamed body has no typed-response shape in @hono/zod-openapi; the OpenAPI doc above describes it.
      return c.body(body, 200, headers) as never;
    },
    (result): undefined => {
      if (!result.success) {
        throw validationError(namingUnknownParams(result.error as z.ZodError, DATASET_EXPORT_PARAMS), result.target);
      }
      return undefined;
    },
  );
