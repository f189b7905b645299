import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { boolParam, intParam, searchParam, statusesParam, tagsParam } from "../lib/query";
import { requireJsonBody } from "../middleware/body";
import { reviewerName } from "../auth/keys";
import { requireKey } from "../middleware/auth";
import { appendMessages, upsertSessions } from "../sessions/ingest";
import { etagOf, presentMessage, presentSession } from "../sessions/present";
import { deleteSession, getMessages, getSessionRow, sessionListPage } from "../sessions/queries";
import {
  appendMessagesSchema,
  batchInputSchema,
  ingestResultSchema,
  sessionInputSchema,
  sessionListSchema,
  sessionSchema,
} from "../sessions/schemas";
import { bearerSecurity, commonErrors, createRouter, ingestErrors, jsonBody, jsonResponse, notFoundError } from "./router";

const idParam = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" } }) });

const ingestRoute = createRoute({
  method: "post",
  path: "/api/sessions",
  tags: ["Sessions"],
  summary: "Upsert one session by externalId, with its messages",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { body: jsonBody(sessionInputSchema) },
  responses: {
    200: jsonResponse(ingestResultSchema, "Updated (or unchanged)"),
    201: jsonResponse(ingestResultSchema, "Created"),
    ...commonErrors,
    ...ingestErrors,
  },
});

const batchRoute = createRoute({
  method: "post",
  path: "/api/sessions/batch",
  tags: ["Sessions"],
  summary: "Upsert up to 100 sessions, all or nothing",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { body: jsonBody(batchInputSchema) },
  responses: {
    200: jsonResponse(z.object({ results: z.array(ingestResultSchema) }), "Every session stored"),
    ...commonErrors,
    ...ingestErrors,
  },
});

const appendRoute = createRoute({
  method: "post",
  path: "/api/sessions/{id}/messages",
  tags: ["Sessions"],
  summary: "Append messages (idempotent by message externalId)",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { params: idParam, body: jsonBody(appendMessagesSchema) },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), messageCount: z.number().int() }), "Appended"),
    ...commonErrors,
    ...ingestErrors,
    ...notFoundError,
  },
});

export const listQuerySchema = z.object({
  evalReady: boolParam.optional(),
  status: statusesParam.optional(),
  tag: tagsParam.optional(),
  source: z.string().min(1).max(128).optional(),
  model: z.string().min(1).max(256).optional(),
  reviewed: boolParam.optional().openapi({ description: "Whether the session was ever labelled (reviewedAt set)" }),
  q: searchParam.optional(),
  limit: intParam(1, LIMITS.listLimitMax).optional().openapi({ type: "integer", example: 50 }),
  cursor: z.string().min(1).max(512).optional().openapi({ description: "nextCursor of the previous page" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/api/sessions",
  tags: ["Sessions"],
  summary: "List sessions, newest first",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(sessionListSchema, "A page of sessions"), ...commonErrors },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/sessions/{id}",
  tags: ["Sessions"],
  summary: "One session with its messages (sends an ETag)",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  request: { params: idParam },
  responses: { 200: jsonResponse(sessionSchema, "The session"), ...commonErrors, ...notFoundError },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/api/sessions/{id}",
  tags: ["Sessions"],
  summary: "Delete a session and its messages",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write")] as const,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, ...commonErrors, ...notFoundError },
});

export const sessionRoutes = createRouter()
  .openapi(ingestRoute, async (c) => {
    const actor = await reviewerName(c.var.db, c.var.auth);
    const [result] = await upsertSessions(c.var.db, c.var.auth.workspace, [c.req.valid("json")], { actor });
    return c.json(result!, result!.created ? 201 : 200);
  })
  .openapi(batchRoute, async (c) => {
    const actor = await reviewerName(c.var.db, c.var.auth);
    const results = await upsertSessions(c.var.db, c.var.auth.workspace, c.req.valid("json").sessions, { actor });
    return c.json({ results }, 200);
  })
  .openapi(appendRoute, async (c) => {
    const { id } = c.req.valid("param");
    const messageCount = await appendMessages(c.var.db, c.var.auth.workspace, id, c.req.valid("json").messages);
    return c.json({ id, messageCount }, 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const filters = { evalReady: q.evalReady, statuses: q.status, tags: q.tag, source: q.source, model: q.model, reviewed: q.reviewed, q: q.q };
    return c.json(await sessionListPage(c.var.db, c.var.auth.workspace, filters, q.limit ?? LIMITS.listLimitDefault, q.cursor), 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await getSessionRow(c.var.db, c.var.auth.workspace, id);
    if (!row) throw new ApiError("not_found", "Session not found.");
    const msgs = await getMessages(c.var.db, c.var.auth.workspace, id);
    c.header("ETag", etagOf(row));
    return c.json({ ...presentSession(row), messages: msgs.map(presentMessage) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deleteSession(c.var.db, c.var.auth.workspace, id))) throw new ApiError("not_found", "Session not found.");
    return c.body(null, 204);
  });
