import { createRoute, z } from "@hono/zod-openapi";
import { createKey, listKeys, revokeKey, workspaceSchema } from "../auth/keys";
import { SCOPES } from "../db/schema";
import { ApiError } from "../lib/errors";
import { requireJsonBody } from "../middleware/body";
import { requireAdmin } from "../middleware/auth";
import { commonErrors, createRouter, jsonBody, jsonResponse, notFoundError } from "./router";

const adminSecurity = [{ adminToken: [] as string[] }];

const keySchema = z
  .object({
    id: z.string(),
    prefix: z.string().openapi({ example: "osk_3fQ9aB7x" }),
    workspace: z.string(),
    name: z.string().nullable(),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.number(),
    lastUsedAt: z.number().nullable(),
    revokedAt: z.number().nullable(),
  })
  .openapi("ApiKey");

const createdKeySchema = keySchema
  .omit({ lastUsedAt: true, revokedAt: true })
  .extend({ key: z.string().openapi({ description: "The secret; shown this once only" }) })
  .openapi("CreatedApiKey");

export const createKeyBody = z
  .object({
    workspace: workspaceSchema,
    name: z.string().trim().min(1).max(128).nullish(),
    scopes: z.array(z.enum(SCOPES)).min(1).optional().openapi({ description: "Defaults to all four scopes" }),
  })
  .openapi("CreateApiKeyInput");

const createRouteDef = createRoute({
  method: "post",
  path: "/api/admin/keys",
  tags: ["Admin"],
  summary: "Create an API key (the secret is shown once)",
  security: adminSecurity,
  middleware: [requireAdmin(), requireJsonBody()] as const,
  request: { body: jsonBody(createKeyBody) },
  responses: { 201: jsonResponse(createdKeySchema, "Created"), ...commonErrors },
});

const listRouteDef = createRoute({
  method: "get",
  path: "/api/admin/keys",
  tags: ["Admin"],
  summary: "List keys (never their secrets)",
  security: adminSecurity,
  middleware: [requireAdmin()] as const,
  request: { query: z.object({ workspace: workspaceSchema.optional() }) },
  responses: { 200: jsonResponse(z.object({ keys: z.array(keySchema) }), "Keys, newest first"), ...commonErrors },
});

const revokeRouteDef = createRoute({
  method: "delete",
  path: "/api/admin/keys/{id}",
  tags: ["Admin"],
  summary: "Revoke a key (idempotent)",
  security: adminSecurity,
  middleware: [requireAdmin()] as const,
  request: { params: z.object({ id: z.string().min(1).max(128) }) },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), revokedAt: z.number() }), "Revoked"),
    ...commonErrors,
    ...notFoundError,
  },
});

export const adminRoutes = createRouter()
  .openapi(createRouteDef, async (c) => {
    const created = await createKey({ db: c.var.db, kv: c.env.KV, pepper: c.env.KEY_PEPPER }, c.req.valid("json"));
    return c.json(created, 201);
  })
  .openapi(listRouteDef, async (c) => {
    const keys = await listKeys({ db: c.var.db, kv: c.env.KV }, c.req.valid("query").workspace);
    return c.json({ keys }, 200);
  })
  .openapi(revokeRouteDef, async (c) => {
    const revoked = await revokeKey({ db: c.var.db, kv: c.env.KV }, c.req.valid("param").id);
    if (!revoked) throw new ApiError("not_found", "Key not found.");
    return c.json(revoked, 200);
  });
