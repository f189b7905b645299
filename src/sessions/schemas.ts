import { z } from "@hono/zod-openapi";
import { EVAL_STATUSES, MESSAGE_ROLES } from "../db/schema";
import { LIMITS, utf8Length } from "../lib/limits";
import { timestampInput } from "../lib/time";

const shortText = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const evalStatusSchema = z.enum(EVAL_STATUSES).openapi({ example: "golden" });

/** Tags: trimmed, blank rejected, de-duplicated case-sensitively with their first position kept. */
export const evalTagsSchema = z
  .array(z.string().trim().min(1, "a tag cannot be blank").max(LIMITS.tagLength))
  .transform((tags) => [...new Set(tags)])
  .pipe(z.array(z.string()).max(LIMITS.tagsPerSession, `at most ${LIMITS.tagsPerSession} tags per session`))
  .openapi({ example: ["auth", "debugging"] });

/**
 * A JSON object passed through as it came: z.record would copy it key by key, and a `__proto__` key (an own
 * property after JSON.parse) would set the copy's prototype instead of being kept.
 */
const argumentsObject = z
  .custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "must be an object or a JSON string")
  .openapi({ type: "object", additionalProperties: true });

export const toolCallSchema = z
  .object({
    id: z.string().min(1).max(256).optional(),
    name: z.string().min(1).max(256),
    arguments: z
      .union([argumentsObject, z.string()])
      .optional()
      .openapi({ description: "An object, or a JSON string; stored and returned as sent" }),
  })
  .openapi("ToolCall");

const messageContent = z
  .string()
  .refine((s) => utf8Length(s) <= LIMITS.messageContentBytes, {
    message: `content is larger than ${LIMITS.messageContentBytes} bytes (1 MiB) of UTF-8`,
  });

export const messageInputSchema = z
  .object({
    externalId: z.string().min(1).max(256).optional().openapi({ example: "msg_01" }),
    role: z.enum(MESSAGE_ROLES),
    content: messageContent.openapi({ example: "Why does login redirect forever?" }),
    toolCalls: z.array(toolCallSchema).max(1000).optional(),
    toolCallId: z.string().min(1).max(256).optional(),
    toolName: shortText(256).nullish(),
    reasoning: z.string().nullish(),
    model: shortText(256).nullish(),
    promptTokens: count.nullish(),
    completionTokens: count.nullish(),
    createdAt: timestampInput.nullish(),
  })
  .superRefine((m, ctx) => {
    if (m.toolCalls !== undefined && m.role !== "assistant") {
      ctx.addIssue({ code: "custom", path: ["toolCalls"], message: "toolCalls is allowed on assistant messages only" });
    }
    if (m.toolCallId !== undefined && m.role !== "tool") {
      ctx.addIssue({ code: "custom", path: ["toolCallId"], message: "toolCallId is allowed on tool messages only" });
    }
    if (m.reasoning != null && m.role !== "assistant") {
      ctx.addIssue({ code: "custom", path: ["reasoning"], message: "reasoning is allowed on assistant messages only" });
    }
    // D1 stores at most 2,000,000 bytes in one row: reasoning and tool calls get the content's 1 MiB each, and
    // the three together must fit one row.
    const reasoningBytes = m.reasoning ? utf8Length(m.reasoning) : 0;
    const callsBytes = m.toolCalls ? utf8Length(JSON.stringify(m.toolCalls)) : 0;
    if (reasoningBytes > LIMITS.messageContentBytes) {
      ctx.addIssue({ code: "custom", path: ["reasoning"], message: "reasoning is larger than 1 MiB of UTF-8" });
    }
    if (callsBytes > LIMITS.messageContentBytes) {
      ctx.addIssue({ code: "custom", path: ["toolCalls"], message: "toolCalls are larger than 1 MiB of UTF-8 as JSON" });
    }
    if (utf8Length(m.content) + reasoningBytes + callsBytes > LIMITS.messageRowBytes) {
      ctx.addIssue({ code: "custom", path: [], message: `content, reasoning and toolCalls together exceed ${LIMITS.messageRowBytes} bytes` });
    }
  })
  .openapi("MessageInput");

/** Rejects a request naming the same message externalId twice: which one should win is not knowable. */
function uniqueMessageIds(messages: { externalId?: string }[], ctx: z.RefinementCtx, prefix: (string | number)[]) {
  const seen = new Set<string>();
  messages.forEach((m, i) => {
    if (m.externalId === undefined) return;
    if (seen.has(m.externalId)) {
      ctx.addIssue({ code: "custom", path: [...prefix, i, "externalId"], message: "duplicate message externalId in this request" });
    }
    seen.add(m.externalId);
  });
}

export const messagesArraySchema = z
  .array(messageInputSchema)
  .max(LIMITS.messagesPerRequest, `at most ${LIMITS.messagesPerRequest} messages per request`);

/** The label fields, as accepted on ingest and on PATCH …/eval. */
export const evalFieldsSchema = z.object({
  evalReady: z.boolean().optional(),
  evalStatus: evalStatusSchema.optional(),
  evalNotes: z.string().max(100_000).nullish(),
  evalTags: evalTagsSchema.optional(),
  expectedOutput: messageContent.nullish(),
});

export const sessionInputSchema = z
  .object({
    externalId: z.string().min(1).max(256).openapi({ example: "claude-7f3a" }),
    title: shortText(1000).nullish().openapi({ example: "Fix the login redirect bug" }),
    source: shortText(128).nullish().openapi({ example: "claude-code" }),
    model: shortText(256).nullish().openapi({ example: "claude-sonnet-4-20250514" }),
    provider: shortText(128).nullish(),
    projectPath: shortText(4096).nullish(),
    projectName: shortText(256).nullish(),
    promptTokens: count.nullish(),
    completionTokens: count.nullish(),
    cacheReadTokens: count.nullish(),
    cacheWriteTokens: count.nullish(),
    totalTokens: count.nullish(),
    cost: z.number().nonnegative().nullish().openapi({ description: "USD" }),
    durationMs: count.nullish(),
    gitBranch: shortText(256).nullish().openapi({ example: "main" }),
    gitCommit: shortText(64).nullish().openapi({ example: "3f2a9c1e5b7d" }),
    gitRemote: shortText(1024).nullish().openapi({ example: "github.com/acme/app" }),
    parentExternalId: z.string().min(1).max(256).nullish().openapi({ description: "The session that started this one (a subagent run)" }),
    createdAt: timestampInput.nullish(),
    updatedAt: timestampInput.nullish(),
    messages: messagesArraySchema.default([]),
  })
  .extend(evalFieldsSchema.shape)
  .superRefine((s, ctx) => uniqueMessageIds(s.messages, ctx, ["messages"]))
  .openapi("SessionInput");

export const batchInputSchema = z
  .object({
    sessions: z
      .array(sessionInputSchema)
      .min(1)
      .max(LIMITS.sessionsPerBatch, `at most ${LIMITS.sessionsPerBatch} sessions per batch`),
  })
  .superRefine((b, ctx) => {
    const total = b.sessions.reduce((n, s) => n + s.messages.length, 0);
    if (total > LIMITS.messagesPerRequest) {
      ctx.addIssue({
        code: "custom",
        path: ["sessions"],
        message: `at most ${LIMITS.messagesPerRequest} messages per request (this batch has ${total})`,
      });
    }
    const seen = new Map<string, number>();
    b.sessions.forEach((s, i) => {
      if (seen.has(s.externalId)) {
        ctx.addIssue({ code: "custom", path: ["sessions", i, "externalId"], message: `same externalId as sessions.${seen.get(s.externalId)}` });
      } else seen.set(s.externalId, i);
    });
  })
  .openapi("SessionBatchInput");

export const appendMessagesSchema = z
  .object({ messages: messagesArraySchema.min(1) })
  .superRefine((b, ctx) => uniqueMessageIds(b.messages, ctx, ["messages"]))
  .openapi("AppendMessagesInput");

export type SessionInput = z.infer<typeof sessionInputSchema>;
export type MessageInput = z.infer<typeof messageInputSchema>;
export type EvalFieldsInput = z.infer<typeof evalFieldsSchema>;

// ---- responses ----

export const messageSchema = z
  .object({
    seq: z.number().int(),
    externalId: z.string().nullable(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    toolCalls: z.array(toolCallSchema).nullable(),
    toolCallId: z.string().nullable(),
    toolName: z.string().nullable(),
    reasoning: z.string().nullable(),
    model: z.string().nullable(),
    promptTokens: z.number().nullable(),
    completionTokens: z.number().nullable(),
    createdAt: z.number().nullable(),
  })
  .openapi("Message");

export const sessionSummarySchema = z
  .object({
    id: z.string().openapi({ example: "ses_01JD8X4T2M7Q3N5P6R8S9TVWXY" }),
    externalId: z.string(),
    title: z.string().nullable(),
    source: z.string().nullable(),
    model: z.string().nullable(),
    provider: z.string().nullable(),
    projectPath: z.string().nullable(),
    projectName: z.string().nullable(),
    promptTokens: z.number().nullable(),
    completionTokens: z.number().nullable(),
    cacheReadTokens: z.number().nullable(),
    cacheWriteTokens: z.number().nullable(),
    totalTokens: z.number().nullable(),
    cost: z.number().nullable(),
    durationMs: z.number().nullable(),
    gitBranch: z.string().nullable(),
    gitCommit: z.string().nullable(),
    gitRemote: z.string().nullable(),
    parentExternalId: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number().nullable(),
    messageCount: z.number().int(),
    evalReady: z.boolean(),
    evalStatus: evalStatusSchema,
    evalNotes: z.string().nullable(),
    evalTags: z.array(z.string()),
    expectedOutput: z.string().nullable(),
    reviewedAt: z.number().nullable(),
    reviewedBy: z.string().nullable().openapi({ description: "Who made the last label change: an API key's name (or prefix), or webhook:<name or id>" }),
  })
  .openapi("SessionSummary");

export const sessionSchema = sessionSummarySchema.extend({ messages: z.array(messageSchema) }).openapi("Session");

export const sessionListSchema = z
  .object({
    sessions: z.array(sessionSummarySchema),
    nextCursor: z.string().nullable(),
    total: z.number().int().openapi({ description: "Sessions matching the filters (the same on every page)" }),
  })
  .openapi("SessionList");

export const ingestResultSchema = z
  .object({ id: z.string(), externalId: z.string(), messageCount: z.number().int(), created: z.boolean() })
  .openapi("IngestResult");

export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type SessionOut = z.infer<typeof sessionSchema>;
export type MessageOut = z.infer<typeof messageSchema>;
