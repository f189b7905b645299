import { createRoute } from "@hono/zod-openapi";
import { requireJsonBody } from "../middleware/body";
import { requireKey } from "../middleware/auth";
import { validationError } from "../middleware/errors";
import { syncMessages, syncSessions, type ItemOutcome } from "../sync/apply";
import {
  syncBatchResultSchema,
  syncBatchSchema,
  syncListSchema,
  syncMessageOkSchema,
  syncMessageSchema,
  syncOkSchema,
  syncSessionSchema,
  type SyncBatchError,
  type SyncMessage,
  type SyncSession,
} from "../sync/schemas";
import { listExternalIds } from "../sync/store";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse } from "./router";

/**
 * OpenSync's sync routes, so its plugins (claude-code-sync, opencode-sync-plugin, codex-sync, droid-sync,
 * pi-opensync) work against evalport by changing their URL. Payloads are mapped in `src/sync/` and written through
 * the one ingest path; every answer, errors included, is JSON because the plugins call `response.json()` on it.
 */

const sessionRoute = createRoute({
  method: "post",
  path: "/sync/session",
  tags: ["OpenSync"],
  summary: "Create or update a session (partial: zero, empty and machine-made values keep what is stored)",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { body: jsonBody(syncSessionSchema) },
  responses: { 200: jsonResponse(syncOkSchema, "Stored"), ...commonErrors },
});

const messageRoute = createRoute({
  method: "post",
  path: "/sync/message",
  tags: ["OpenSync"],
  summary: "Add or update one message by externalId; creates its session when it does not exist yet",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { body: jsonBody(syncMessageSchema) },
  responses: { 200: jsonResponse(syncMessageOkSchema, "Stored"), ...commonErrors },
});

const batchRoute = createRoute({
  method: "post",
  path: "/sync/batch",
  tags: ["OpenSync"],
  summary: "Sessions, then messages, each applied on its own; refused items are listed in errors",
  security: bearerSecurity,
  middleware: [requireKey("sessions:write"), requireJsonBody()] as const,
  request: { body: jsonBody(syncBatchSchema) },
  responses: { 200: jsonResponse(syncBatchResultSchema, "Applied what could be; errors name the rest"), ...commonErrors },
});

const listRoute = createRoute({
  method: "get",
  path: "/sync/sessions/list",
  tags: ["OpenSync"],
  summary: "The externalIds of every session of the key's workspace",
  security: bearerSecurity,
  middleware: [requireKey("sessions:read")] as const,
  responses: { 200: jsonResponse(syncListSchema, "Every session's externalId, oldest first"), ...commonErrors },
});

/** Throws a single-item route's refusal as the contract's error. */
function only(outcome: ItemOutcome | undefined): string {
  if (!outcome) throw new Error("no outcome");
  if (!outcome.ok) throw outcome.error;
  return outcome.sessionId;
}

export const syncRoutes = createRouter()
  .openapi(sessionRoute, async (c) => {
    const [outcome] = await syncSessions(c.var.db, c.var.auth.workspace, [c.req.valid("json")]);
    return c.json({ ok: true as const, sessionId: only(outcome) }, 200);
  })
  .openapi(messageRoute, async (c) => {
    const body = c.req.valid("json");
    const [outcome] = await syncMessages(c.var.db, c.var.auth.workspace, [body]);
    only(outcome);
    return c.json({ ok: true as const, messageId: body.externalId }, 200);
  })
  .openapi(batchRoute, async (c) => {
    const body = c.req.valid("json");
    const errors: SyncBatchError[] = [];
    const sessions: { index: number; item: SyncSession }[] = [];
    const messages: { index: number; item: SyncMessage }[] = [];
    (body.sessions ?? []).forEach((raw, index) => {
      const r = syncSessionSchema.safeParse(raw);
      if (r.success) sessions.push({ index, item: r.data });
      else errors.push({ index, kind: "session", message: validationError(r.error).message });
    });
    (body.messages ?? []).forEach((raw, index) => {
      const r = syncMessageSchema.safeParse(raw);
      if (r.success) messages.push({ index, item: r.data });
      else errors.push({ index, kind: "message", message: validationError(r.error).message });
    });
    const { db } = c.var;
    const ws = c.var.auth.workspace;
    let sessionCount = 0;
    let messageCount = 0;
    // Sessions first, then messages, as OpenSync applies a batch.
    (await syncSessions(db, ws, sessions.map((s) => s.item))).forEach((o, k) => {
      if (o.ok) sessionCount++;
      else errors.push({ index: sessions[k]!.index, kind: "session", message: o.error.message });
    });
    (await syncMessages(db, ws, messages.map((m) => m.item))).forEach((o, k) => {
      if (o.ok) messageCount++;
      else errors.push({ index: messages[k]!.index, kind: "message", message: o.error.message });
    });
    errors.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === "session" ? -1 : 1));
    return c.json({ ok: true as const, sessions: sessionCount, messages: messageCount, errors }, 200);
  })
  .openapi(listRoute, async (c) => c.json({ sessionIds: await listExternalIds(c.var.db, c.var.auth.workspace) }, 200));
