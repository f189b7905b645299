import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { chunk, D1_MAX_PARAMS, type Db } from "../db/client";
import { sessions, type EvalStatus, type SessionRow } from "../db/schema";
import { ApiError } from "../lib/errors";
import type { EvalFieldsInput } from "../sessions/schemas";
import { syncTagsStatements } from "../sessions/tags";

type Stmt = BatchItem<"sqlite">;

/** The label fields a reviewer can set (PATCH …/eval, ingest); absent fields stay as they are. */
export type LabelPatch = EvalFieldsInput;

/** `reviewed_at` moves forward on every label change, even two changes in the same millisecond. */
const nextReviewedAt = (now: number) => sql`max(${now}, coalesce(${sessions.reviewedAt}, 0) + 1)`;

/**
 * Whether any column this patch sets would really change, so an identical re-apply keeps the ETag. With
 * `labelsOnly`, `evalReady` is left out: marking or unmarking is not a label change and keeps `reviewedAt`.
 */
function differs(patch: LabelPatch, labelsOnly = false): SQL {
  const parts: SQL[] = [];
  if (patch.evalReady !== undefined && !labelsOnly) parts.push(sql`${sessions.evalReady} IS NOT ${patch.evalReady ? 1 : 0}`);
  if (patch.evalStatus !== undefined) parts.push(sql`${sessions.evalStatus} IS NOT ${patch.evalStatus}`);
  if (patch.evalNotes !== undefined) parts.push(sql`${sessions.evalNotes} IS NOT ${patch.evalNotes}`);
  if (patch.expectedOutput !== undefined) parts.push(sql`${sessions.expectedOutput} IS NOT ${patch.expectedOutput}`);
  if (patch.evalTags !== undefined) parts.push(sql`${sessions.evalTags} IS NOT ${JSON.stringify(patch.evalTags)}`);
  return parts.length > 0 ? sql.join(parts, sql` OR `) : sql`0`;
}

const isLabelChange = (p: LabelPatch) =>
  p.evalStatus !== undefined || p.evalNotes !== undefined || p.evalTags !== undefined || p.expectedOutput !== undefined;

/**
 * PATCH …/eval: sets the given fields, `reviewedAt` and `reviewedBy` (the reviewer: `reviewerName()` of the key),
 * bumps the version; with `ifMatchVersion`, only when the session is still at that version (412 otherwise, nothing
 * changed). Returns the updated row.
 */
export async function labelSession(
  db: Db,
  workspaceId: string,
  id: string,
  patch: LabelPatch,
  ifMatchVersion?: number,
  reviewedBy: string | null = null,
  now = Date.now(),
): Promise<SessionRow> {
  const where = [eq(sessions.id, id), eq(sessions.workspaceId, workspaceId)];
  if (ifMatchVersion !== undefined) where.push(eq(sessions.version, ifMatchVersion));
  const update = db
    .update(sessions)
    .set({ ...patch, reviewedAt: nextReviewedAt(now), reviewedBy, version: sql`${sessions.version} + 1` })
    .where(and(...where))
    .returning();
  const stmts: Stmt[] = [update];
  if (patch.evalTags !== undefined) {
    stmts.push(...syncTagsStatements(db, workspaceId, id, patch.evalTags));
  }
  const [rows] = (await db.batch(stmts as [Stmt, ...Stmt[]])) as [SessionRow[], ...unknown[]];
  const row = rows[0];
  if (!row) {
    if (ifMatchVersion !== undefined) {
      const exists = await db.select({ v: sessions.version }).from(sessions).where(and(eq(sessions.id, id), eq(sessions.workspaceId, workspaceId))).get();
      if (exists) throw new ApiError("precondition_failed", "The session changed since you read it (If-Match is stale); reload it and apply your change again.");
    }
    throw new ApiError("not_found", "Session not found.");
  }
  return row;
}

export interface BulkResult {
  updated: number;
  notFound: string[];
}

export interface BulkOptions {
  /** Who makes the change; set as `reviewedBy` on the sessions whose labels really change. */
  by?: string | null;
  now?: number;
  /**
   * Statements run first in the same batch (one transaction): if one fails (a webhook delivery id already
   * claimed), nothing of this call is applied. They run even when no session is found.
   */
  prelude?: Stmt[];
}

/**
 * Applies one patch to many sessions of a workspace, named by server id or externalId, in one batch.
 * Marking ready or not leaves `reviewedAt` and `reviewedBy` alone; a status or tags change (webhooks) sets them.
 * Ids of other workspaces are simply not found.
 */
export async function bulkApply(
  db: Db,
  workspaceId: string,
  target: { ids?: string[]; externalIds?: string[] },
  patch: LabelPatch,
  opts: BulkOptions = {},
): Promise<BulkResult> {
  const now = opts.now ?? Date.now();
  const prelude = opts.prelude ?? [];
  const ids = [...new Set(target.ids ?? [])];
  const externalIds = [...new Set(target.externalIds ?? [])];
  const found = new Map<string, { id: string; externalId: string }>();
  const lookups: [typeof sessions.id | typeof sessions.externalId, string[]][] = [
    [sessions.id, ids],
    [sessions.externalId, externalIds],
  ];
  for (const [col, values] of lookups) {
    for (const part of chunk(values, D1_MAX_PARAMS - 1)) {
      const rows = await db
        .select({ id: sessions.id, externalId: sessions.externalId })
        .from(sessions)
        .where(and(eq(sessions.workspaceId, workspaceId), inArray(col, part)));
      for (const r of rows) found.set(r.id, r);
    }
  }
  const foundIds = new Set(found.keys());
  const foundExternal = new Set([...found.values()].map((r) => r.externalId));
  const notFound = [...ids.filter((i) => !foundIds.has(i)), ...externalIds.filter((e) => !foundExternal.has(e))];
  if (foundIds.size === 0) {
    if (prelude.length > 0) await db.batch(prelude as [Stmt, ...Stmt[]]);
    return { updated: 0, notFound };
  }

  const set: Record<string, unknown> = {
    ...patch,
    version: sql`${sessions.version} + CASE WHEN ${differs(patch)} THEN 1 ELSE 0 END`,
  };
  if (isLabelChange(patch)) {
    set.reviewedAt = sql`CASE WHEN ${differs(patch, true)} THEN ${nextReviewedAt(now)} ELSE ${sessions.reviewedAt} END`;
    set.reviewedBy = sql`CASE WHEN ${differs(patch, true)} THEN ${opts.by ?? null} ELSE ${sessions.reviewedBy} END`;
  }
  const stmts: Stmt[] = [...prelude];
  for (const part of chunk([...foundIds], D1_MAX_PARAMS - 20)) {
    stmts.push(db.update(sessions).set(set).where(and(eq(sessions.workspaceId, workspaceId), inArray(sessions.id, part))));
  }
  if (patch.evalTags !== undefined) {
    for (const id of foundIds) stmts.push(...syncTagsStatements(db, workspaceId, id, patch.evalTags));
  }
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  return { updated: foundIds.size, notFound };
}
