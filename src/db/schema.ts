import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  check,
  type SQLiteColumn,
} from "drizzle-orm/sqlite-core";

/** The four label values; the CHECK below and every zod enum come from this list. */
export const EVAL_STATUSES = ["golden", "correct", "incorrect", "needs_review"] as const;
export type EvalStatus = (typeof EVAL_STATUSES)[number];

export const MESSAGE_ROLES = ["system", "user", "assistant", "tool"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const SCOPES = ["sessions:read", "sessions:write", "evals:write", "export:read"] as const;
export type Scope = (typeof SCOPES)[number];

const statusList = EVAL_STATUSES.map((s) => `'${s}'`).join(", ");
const roleList = MESSAGE_ROLES.map((s) => `'${s}'`).join(", ");

/**
 * `created_at + 10^16` (17 digits for any non-negative safe integer) then `id`, as text: sorts as (created_at, id),
 * the export order. Queries must spell it exactly like this to use the index below; `exportKey()` builds the same
 * text in JS (with BigInt: 10^16 + t is beyond 2^53).
 */
export const exportKeyOf = (createdAt: SQLiteColumn, id: SQLiteColumn) => sql`(${createdAt} + 10000000000000000) || ${id}`;
export const exportKey = (createdAt: number, id: string) => (BigInt(createdAt) + 10_000_000_000_000_000n).toString() + id;

/**
 * The web lists' sort keys (migration 0005), as SQL over a session's columns: the index definitions below and the
 * list queries (src/sessions/queries.ts `sortExpr`) both build them here, so their spelling cannot drift apart (the
 * planner uses an expression index only for the very same expression, literals inline). An untitled session sorts
 * by its external id and unknown tokens or cost as -1, so every key is non-null and (key, id) is a total order.
 */
export const titleSortOf = (title: SQLiteColumn, externalId: SQLiteColumn) => sql`lower(coalesce(nullif(${title}, ''), ${externalId}))`;
export const unknownLastOf = (column: SQLiteColumn) => sql`coalesce(${column}, -1)`;
/** Whether a session has been labelled (migration 0004's `reviewed` index, and the `reviewed=` filter). */
export const isReviewedOf = (reviewedAt: SQLiteColumn) => sql`(${reviewedAt} IS NOT NULL)`;

/**
 * One conversation with a coding assistant. `write_id` is the id of the last ingest request that really
 * changed the row or one of its messages; it lets one D1 batch bump `version` only when something changed,
 * so a sync client re-sending the same session never invalidates a reviewer's ETag.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    externalId: text("external_id").notNull(),
    title: text("title"),
    source: text("source"),
    model: text("model"),
    provider: text("provider"),
    projectPath: text("project_path"),
    projectName: text("project_name"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    cacheReadTokens: integer("cache_read_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    totalTokens: integer("total_tokens"),
    cost: real("cost"),
    durationMs: integer("duration_ms"),
    gitBranch: text("git_branch"),
    gitCommit: text("git_commit"),
    gitRemote: text("git_remote"),
    /** externalId of the session that started this one (a subagent run); not a foreign key: the parent may come later. */
    parentExternalId: text("parent_external_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at"),
    messageCount: integer("message_count").notNull().default(0),
    evalReady: integer("eval_ready", { mode: "boolean" }).notNull().default(false),
    evalStatus: text("eval_status", { enum: EVAL_STATUSES }).notNull().default("needs_review"),
    evalNotes: text("eval_notes"),
    /** The tags in the order the labeller gave them; `session_tags` holds the same set for indexed filtering. */
    evalTags: text("eval_tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    expectedOutput: text("expected_output"),
    reviewedAt: integer("reviewed_at"),
    /** Who made the last label change: an API key's name (or prefix), or `webhook:<name or id>`. */
    reviewedBy: text("reviewed_by"),
    /** UTF-8 bytes of the messages' content, tool calls and reasoning: lets an export bound a read by bytes. */
    contentBytes: integer("content_bytes").notNull().default(0),
    version: integer("version").notNull().default(1),
    writeId: text("write_id"),
  },
  (t) => [
    uniqueIndex("sessions_workspace_external").on(t.workspaceId, t.externalId),
    index("sessions_workspace_created").on(t.workspaceId, t.createdAt, t.id),
    index("sessions_workspace_ready_created").on(t.workspaceId, t.evalReady, t.createdAt, t.id),
    // The export's keyset: one text key in export order, so each page seeks exactly past the last session it
    // sent (a (created_at, id) row-value seek re-reads that boundary row, one D1 row per page).
    index("sessions_workspace_ready_export_key").on(t.workspaceId, t.evalReady, exportKeyOf(t.createdAt, t.id)),
    index("sessions_workspace_ready_status_created").on(
      t.workspaceId,
      t.evalReady,
      t.evalStatus,
      t.createdAt,
      t.id,
    ),
    index("sessions_workspace_source_created").on(t.workspaceId, t.source, t.createdAt, t.id),
    index("sessions_workspace_model_created").on(t.workspaceId, t.model, t.createdAt, t.id),
    // A session's children in start order (the review page's family line): the order is in the index too, else
    // the planner walks the workspace by created_at to get it (migration 0007).
    index("sessions_workspace_parent_created").on(t.workspaceId, t.parentExternalId, t.createdAt, t.id).where(sql`parent_external_id IS NOT NULL`),
    index("sessions_workspace_reviewed_created").on(t.workspaceId, isReviewedOf(t.reviewedAt), t.createdAt, t.id),
    // Counts of eval-ready sessions by status and reviewed (the Evals chart's bars of a reviewed view, its
    // reviewed= totals) from index entries alone: reviewed_at as a plain column, which the 0004 expression index
    // cannot give back (migration 0007). Partial, so only views of eval-ready sessions can pick it.
    index("sessions_ready_workspace_status_reviewed").on(t.workspaceId, t.evalStatus, t.reviewedAt).where(sql`eval_ready = 1`),
    // Sortable list columns, for the whole workspace and for its eval-ready sessions (migration 0005).
    index("sessions_workspace_title_sort").on(t.workspaceId, titleSortOf(t.title, t.externalId), t.id),
    index("sessions_workspace_messages_sort").on(t.workspaceId, t.messageCount, t.id),
    index("sessions_workspace_tokens_sort").on(t.workspaceId, unknownLastOf(t.totalTokens), t.id),
    index("sessions_workspace_cost_sort").on(t.workspaceId, unknownLastOf(t.cost), t.id),
    index("sessions_workspace_ready_title_sort").on(t.workspaceId, t.evalReady, titleSortOf(t.title, t.externalId), t.id),
    index("sessions_workspace_ready_messages_sort").on(t.workspaceId, t.evalReady, t.messageCount, t.id),
    index("sessions_workspace_ready_tokens_sort").on(t.workspaceId, t.evalReady, unknownLastOf(t.totalTokens), t.id),
    index("sessions_workspace_ready_cost_sort").on(t.workspaceId, t.evalReady, unknownLastOf(t.cost), t.id),
    check("sessions_eval_status_check", sql.raw(`eval_status IN (${statusList})`)),
  ],
);

/**
 * A small number per workspace, given at its first session (migration 0008). A session's rowid is
 * `n × 2^23 + k` (k = 1, 2, … within the workspace), so each workspace owns one contiguous range of rowids, and
 * of full-text rowids (`session rowid × 2^20 + seq`): a search reads only its own workspace's part of the index
 * (src/sessions/search.ts). Limits: 2^20 − 1 workspaces, 2^23 − 1 sessions ever numbered in one.
 */
export const workspaceNumbers = sqliteTable("workspace_numbers", {
  n: integer("n").primaryKey(),
  workspaceId: text("workspace_id").notNull().unique(),
});

/** A session's messages in conversation order (`seq` from 0). */
export const messages = sqliteTable(
  "messages",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    workspaceId: text("workspace_id").notNull(),
    externalId: text("external_id"),
    role: text("role", { enum: MESSAGE_ROLES }).notNull(),
    content: text("content").notNull(),
    /** `[{id, name, arguments}]` exactly as sent; `arguments` stays an object or a string. */
    toolCalls: text("tool_calls"),
    toolCallId: text("tool_call_id"),
    toolName: text("tool_name"),
    reasoning: text("reasoning"),
    model: text("model"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    createdAt: integer("created_at"),
    writeId: text("write_id"),
    /** UTF-8 bytes of content + tool calls + reasoning, computed by SQLite on write. */
    bytes: integer("bytes").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seq] }),
    // "Did this write change a message of the session?" and the session's byte total, without reading bodies.
    index("messages_session_write").on(t.sessionId, t.writeId, t.bytes),
    uniqueIndex("messages_session_external")
      .on(t.sessionId, t.externalId)
      .where(sql`external_id IS NOT NULL`),
    check("messages_role_check", sql.raw(`role IN (${roleList})`)),
  ],
);

/**
 * One row per (session, tag) so tag filters and counts use an index instead of scanning JSON. `evalReady`,
 * `evalStatus` and `reviewed` are copies of the session's, kept by triggers (migration 0006; never written by the code), so the
 * Evals chart counts tags from one covering index without looking each session up.
 */
export const sessionTags = sqliteTable(
  "session_tags",
  {
    workspaceId: text("workspace_id").notNull(),
    tag: text("tag").notNull(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    evalReady: integer("eval_ready", { mode: "boolean" }).notNull().default(false),
    evalStatus: text("eval_status", { enum: EVAL_STATUSES }).notNull().default("needs_review"),
    /** The session's `reviewed_at IS NOT NULL`. */
    reviewed: integer("reviewed", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.tag, t.sessionId] }),
    // A session's tags, index only (deletes by session, the trigger of 0006, a filtered view's tag counts).
    index("session_tags_session_tag").on(t.sessionId, t.workspaceId, t.tag),
    index("session_tags_workspace_ready_tag").on(t.workspaceId, t.evalReady, t.tag, t.evalStatus, t.reviewed),
  ],
);

/** Key metadata for listing; the hot-path lookup is KV `key:<hash>`. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name"),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<Scope[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_keys_hash").on(t.keyHash),
    index("api_keys_workspace_created").on(t.workspaceId, t.createdAt),
  ],
);

/**
 * Inbound webhook endpoints. The secret must be usable to verify HMACs, so it is stored (never returned after
 * creation); deleting keeps the row with `deleted_at` so a late delivery answers 404, not a new endpoint.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name"),
    secret: text("secret").notNull(),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("webhooks_workspace_created").on(t.workspaceId, t.createdAt)],
);

export type SessionRow = typeof sessions.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;

/**
 * Webhook replay memory (migration 0004): one row per applied delivery, inserted in the same D1 batch as the
 * labels it applied, so concurrent copies of one delivery cannot all apply; swept after 24 hours by the cron.
 * (The FTS5 tables and triggers of that migration are not expressible in drizzle and live in the SQL only.)
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookId: text("webhook_id").notNull(),
    deliveryId: text("delivery_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.deliveryId] }), index("webhook_deliveries_received").on(t.receivedAt)],
);

/** Failed admin-token attempts per client address in a one-minute window (migration 0004; src/auth/admin-failures.ts). */
export const adminFailures = sqliteTable("admin_failures", {
  client: text("client").primaryKey(),
  windowStart: integer("window_start").notNull(),
  failures: integer("failures").notNull(),
});

/** The filters a dataset was frozen with, as the request gave them (split defaults filled in). */
export type DatasetFilters = {
  status?: EvalStatus[];
  tag?: string[];
  id?: string[];
  split?: "train" | "test";
  testFraction?: number;
  seed?: string;
};

/** A frozen, versioned export (API.md "Datasets"); its sessions are in `dataset_sessions`. */
export const datasets = sqliteTable(
  "datasets",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    filters: text("filters", { mode: "json" }).$type<DatasetFilters>().notNull(),
    /** Sessions frozen at creation; sessions deleted since drop out of exports and `sessionIds`. */
    sessionCount: integer("session_count").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("datasets_workspace_created").on(t.workspaceId, t.createdAt, t.id)],
);

/**
 * One session as a dataset froze it: the exported session columns and labels at that moment and its message
 * count then; keyed by the export order so a dataset export pages like the live one.
 */
export const datasetSessions = sqliteTable(
  "dataset_sessions",
  {
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    exportKey: text("export_key").notNull(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    messageCount: integer("message_count").notNull(),
    contentBytes: integer("content_bytes").notNull(),
    externalId: text("external_id").notNull(),
    title: text("title"),
    source: text("source"),
    model: text("model"),
    totalTokens: integer("total_tokens"),
    cost: real("cost"),
    evalStatus: text("eval_status", { enum: EVAL_STATUSES }).notNull(),
    evalTags: text("eval_tags", { mode: "json" }).$type<string[]>().notNull(),
    evalNotes: text("eval_notes"),
    expectedOutput: text("expected_output"),
    gitBranch: text("git_branch"),
    gitCommit: text("git_commit"),
    gitRemote: text("git_remote"),
    parentExternalId: text("parent_external_id"),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.exportKey] }), index("dataset_sessions_session").on(t.sessionId)],
);

export type DatasetRow = typeof datasets.$inferSelect;
