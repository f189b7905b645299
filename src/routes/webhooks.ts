import { createRoute, z } from "@hono/zod-openapi";
import { bulkApply } from "../evals/labels";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { requireJsonBody } from "../middleware/body";
import { requireKey } from "../middleware/auth";
import { validationError } from "../middleware/errors";
import { evalStatusSchema, evalTagsSchema } from "../sessions/schemas";
import { verifyDelivery } from "../webhooks/signature";
import { claimDeliveryStatements, createWebhook, deleteWebhook, findLiveWebhook, listWebhooks, seenDelivery } from "../webhooks/store";
import { bulkResultSchema } from "./evals";
import { bearerSecurity, commonErrors, createRouter, errorResponses, jsonBody, jsonResponse, notFoundError } from "./router";

const webhookSchema = z
  .object({ id: z.string(), name: z.string().nullable(), url: z.string().url(), createdAt: z.number() })
  .openapi("Webhook");

const createBody = z.object({ name: z.string().trim().min(1).max(128).nullish() }).openapi("CreateWebhookInput");

const createRouteDef = createRoute({
  method: "post",
  path: "/api/webhooks",
  tags: ["Webhooks"],
  summary: "Create an inbound webhook (the whsec_ secret is shown once)",
  security: bearerSecurity,
  middleware: [requireKey("evals:write"), requireJsonBody()] as const,
  request: { body: { required: false, content: { "application/json": { schema: createBody } } } },
  responses: {
    201: jsonResponse(z.object({ id: z.string(), url: z.string().url(), secret: z.string() }).openapi("CreatedWebhook"), "Created"),
    ...commonErrors,
  },
});

const listRouteDef = createRoute({
  method: "get",
  path: "/api/webhooks",
  tags: ["Webhooks"],
  summary: "List this workspace's webhooks (never their secrets)",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  responses: { 200: jsonResponse(z.object({ webhooks: z.array(webhookSchema) }), "Webhooks, newest first"), ...commonErrors },
});

const deleteRouteDef = createRoute({
  method: "delete",
  path: "/api/webhooks/{id}",
  tags: ["Webhooks"],
  summary: "Delete a webhook; later deliveries answer 404",
  security: bearerSecurity,
  middleware: [requireKey("evals:write")] as const,
  request: { params: z.object({ id: z.string().min(1).max(128) }) },
  responses: { 204: { description: "Deleted" }, ...commonErrors, ...notFoundError },
});

const idList = z.array(z.string().min(1).max(256)).max(LIMITS.readyIdsMax, `at most ${LIMITS.readyIdsMax} ids`);

export const deliveryBody = z
  .object({
    sessionIds: idList.optional(),
    externalIds: idList.optional(),
    ready: z.boolean().default(true),
    evalStatus: evalStatusSchema.optional(),
    evalTags: evalTagsSchema.optional(),
  })
  .refine((b) => (b.sessionIds?.length ?? 0) + (b.externalIds?.length ?? 0) > 0, {
    message: "name at least one session in sessionIds or externalIds",
    path: ["sessionIds"],
  })
  .openapi("EvalReadyDelivery");

/** Documented here but served by a plain handler: the body must not be parsed before the signature is checked. */
const deliveryRouteDef = createRoute({
  method: "post",
  path: "/api/webhooks/{id}/eval-ready",
  tags: ["Webhooks"],
  summary: "Signed delivery (Standard Webhooks): mark sessions eval-ready, optionally set status and tags",
  description:
    "Authenticated by signature only: headers webhook-id, webhook-timestamp (Unix seconds, within 5 minutes) and " +
    "webhook-signature `v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>` (space-separated list allowed). A delivery " +
    "already applied under the same webhook-id in the last 24 hours answers {\"duplicate\": true}.",
  request: {
    params: z.object({ id: z.string().min(1).max(128) }),
    headers: z.object({
      "webhook-id": z.string().optional(),
      "webhook-timestamp": z.string().optional(),
      "webhook-signature": z.string().optional(),
    }),
    body: { content: { "application/json": { schema: deliveryBody } } },
  },
  responses: {
    200: jsonResponse(z.union([bulkResultSchema, z.object({ duplicate: z.literal(true) })]), "Applied, or a duplicate"),
    400: errorResponses.errorResponse("Invalid body (signature was valid)"),
    401: errorResponses.errorResponse("Missing or bad signature headers, or timestamp more than 5 minutes off"),
    ...notFoundError,
  },
});

const origin = (url: string) => new URL(url).origin;

export const webhookRoutes = createRouter();webhookRoutes
  .openapi(createRouteDef, async (c) => {
    const created = await createWebhook(c.var.db, c.var.auth.workspace, c.req.valid("json").name ?? null, origin(c.req.url));
    return c.json({ id: created.id, url: created.url, secret: created.secret }, 201);
  })
  .openapi(listRouteDef, async (c) => c.json({ webhooks: await listWebhooks(c.var.db, c.var.auth.workspace, origin(c.req.url)) }, 200))
  .openapi(deleteRouteDef, async (c) => {
    if (!(await deleteWebhook(c.var.db, c.var.auth.workspace, c.req.valid("param").id))) throw new ApiError("not_found", "Webhook not found.");
    return c.body(null, 204);
  })
  .post("/api/webhooks/:id/eval-ready", async (c) => {
    // In order: endpoint, signature on the raw bytes, replay, then the body.
    const hook = await findLiveWebhook(c.var.db, c.req.param("id"));
    if (!hook) throw new ApiError("not_found", "Webhook not found.");
    const raw = await c.req.text();
    const verified = verifyDelivery(hook.secret, raw, c.req.raw.headers);
    if (!verified.ok) throw new ApiError("unauthorized", `Webhook signature rejected: ${verified.reason}.`);
    if (verified.id.length > 256) throw new ApiError("unauthorized", "Webhook signature rejected: webhook-id is longer than 256 characters.");
    const now = Date.now();
    if (await seenDelivery(c.var.db, hook.id, verified.id, now)) return c.json({ duplicate: true as const }, 200);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ApiError("invalid_request", "The delivery body is not valid JSON.", { details: [{ path: "", message: "malformed JSON" }] });
    }
    const parsed = deliveryBody.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error);
    const b = parsed.data;
    // The delivery id is claimed in the same transaction as the labels: of concurrent copies one commits, the
    // others fail on the claim, change nothing, and answer as the duplicates they are.
    let result;
    try {
      result = await bulkApply(
        c.var.db,
        hook.workspaceId,
        { ids: b.sessionIds, externalIds: b.externalIds },
        { evalReady: b.ready, evalStatus: b.evalStatus, evalTags: b.evalTags },
        { by: `webhook:${hook.name ?? hook.id}`, now, prelude: [...claimDeliveryStatements(c.var.db, hook.id, verified.id, now)] },
      );
    } catch (err) {
      if (await seenDelivery(c.var.db, hook.id, verified.id, now)) return c.json({ duplicate: true as const }, 200);
      throw err;
    }
    return c.json(result, 200);
  });

webhookRoutes.openAPIRegistry.registerPath(deliveryRouteDef);
