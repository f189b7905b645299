import { z } from "@hono/zod-openapi";
import { LIMITS } from "../lib/limits";
import { timestampInput } from "../lib/time";

/**
 * The bodies OpenSync's plugins send (claude-code-sync, opencode-sync-plugin, codex-sync, droid-sync, pi-opensync).
 * Only the fields evalport has a place for are named; anything else is accepted and ignored (zod strips it).
 * Nulls are accepted wherever a value is optional: a plugin's `undefined` sometimes reaches the wire as `null`.
 */

const count = z.number().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);

export const syncSessionSchema = z
  .object({
    externalId: z.string().min(1).max(256).nullish().openapi({ example: "7f3a2c1e-…" }),
    sessionId: z.string().min(1).max(256).nullish().openapi({ description: "Accepted instead of externalId" }),
    title: text(1000).nullish(),
    projectPath: text(4096).nullish(),
    projectName: text(256).nullish(),
    model: text(256).nullish(),
    provider: text(128).nullish(),
    source: text(128).nullish().openapi({ example: "claude-code" }),
    promptTokens: count.nullish(),
    completionTokens: count.nullish(),
    cacheReadTokens: count.nullish(),
    cacheWriteTokens: count.nullish(),
    totalTokens: count.nullish(),
    cost: z.number().nonnegative().nullish(),
    durationMs: count.nullish(),
    gitBranch: text(256).nullish(),
    gitCommit: text(64).nullish(),
    gitRemote: text(1024).nullish(),
    parentExternalId: text(256).nullish(),
    createdAt: timestampInput.nullish(),
    updatedAt: timestampInput.nullish(),
  })
  .superRefine((s, ctx) => {
    if (!s.externalId && !s.sessionId) {
      ctx.addIssue({ code: "custom", path: ["externalId"], message: "externalId (or sessionId) is required" });
    }
  })
  .openapi("SyncSession");

/** A message part as the plugins send it: `content` is a string or an object, depending on `type`. */
export const syncPartSchema = z
  .object({
    type: z.string().min(1).max(64).openapi({ example: "tool-call" }),
    content: z.unknown().openapi({ description: "text/thinking/reasoning: a string; tool-call: {toolName, args, toolCallId?}; tool-result: a string or {toolCallId?, toolName?, result}; tool_use: {toolName, args, result?}" }),
  })
  .openapi("SyncPart");

export const SYNC_ROLES = ["user", "assistant", "system", "tool", "unknown"] as const;

export const syncMessageSchema = z
  .object({
    sessionExternalId: z.string().min(1).max(256),
    externalId: z.string().min(1).max(256),
    role: z.enum(SYNC_ROLES),
    textContent: z.string().nullish(),
    parts: z.array(syncPartSchema).max(1000).nullish(),
    model: text(256).nullish(),
    promptTokens: count.nullish(),
    completionTokens: count.nullish(),
    durationMs: count.nullish(),
    source: text(128).nullish(),
    createdAt: timestampInput.nullish(),
  })
  .openapi("SyncMessage");

/** The batch is checked for shape only; each item is checked (and applied) on its own, as OpenSync does. */
export const syncBatchSchema = z
  .object({
    sessions: z.array(z.unknown()).max(LIMITS.messagesPerRequest).nullish(),
    messages: z.array(z.unknown()).max(LIMITS.messagesPerRequest).nullish(),
  })
  .openapi("SyncBatch");

export const syncOkSchema = z.object({ ok: z.literal(true), sessionId: z.string() }).openapi("SyncSessionResult");
export const syncMessageOkSchema = z
  .object({ ok: z.literal(true), messageId: z.string().openapi({ description: "The message's externalId, as sent" }) })
  .openapi("SyncMessageResult");
export const syncBatchResultSchema = z
  .object({
    ok: z.literal(true),
    sessions: z.number().int(),
    messages: z.number().int(),
    errors: z.array(z.object({ index: z.number().int(), kind: z.enum(["session", "message"]), message: z.string() })),
  })
  .openapi("SyncBatchResult");
export const syncListSchema = z.object({ sessionIds: z.array(z.string()) }).openapi("SyncSessionList");

export type SyncSession = z.infer<typeof syncSessionSchema>;
export type SyncMessage = z.infer<typeof syncMessageSchema>;
export type SyncPart = z.infer<typeof syncPartSchema>;
export type SyncBatchError = z.infer<typeof syncBatchResultSchema>["errors"][number];
