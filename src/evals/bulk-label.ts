import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { evalStatusSchema } from "../sessions/schemas";
import type { BulkResult } from "./labels";

const tagList = z
  .array(z.string().trim().min(1, "a tag cannot be blank").max(LIMITS.tagLength))
  .max(LIMITS.tagsPerSession, `at most ${LIMITS.tagsPerSession} tags`)
  .transform((tags) => [...new Set(tags)]);

/** POST /api/evals/label: one change applied to many sessions. */
export const bulkLabelSchema = z
  .object({
    sessionIds: z.array(z.string().min(1).max(128)).min(1).max(LIMITS.readyIdsMax, `at most ${LIMITS.readyIdsMax} ids`),
    evalStatus: evalStatusSchema.optional(),
    addTags: tagList.optional().openapi({ description: "Appended (in this order) to each session's tags it lacks" }),
    removeTags: tagList.optional().openapi({ description: "Taken out of each session's tags" }),
    evalReady: z.boolean().optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.evalStatus === undefined && !b.addTags?.length && !b.removeTags?.length && b.evalReady === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "give at least one change: evalStatus, addTags, removeTags or evalReady" });
    }
    const removed = new Set(b.removeTags ?? []);
    (b.addTags ?? []).forEach((t, i) => {
      if (removed.has(t)) ctx.addIssue({ code: "custom", path: ["addTags", i], message: `"${t}" is in both addTags and removeTags` });
    });
  })
  .openapi("BulkLabelInput");

export type BulkLabelInput = z.infer<typeof bulkLabelSchema>;

/**
 * A session's tags after a bulk change: the removed ones taken out, then each added one it lacks appended, order
 * kept. The same rule as the SQL in `bulkLabel`, which applies it inside the transaction; this one checks limits.
 */
export function nextTags(current: string[], add: string[] = [], remove: string[] = []): string[] {
  const gone = new Set(remove);
  const kept = current.filter((t) => !gone.has(t));
  const have = new Set(kept);
  for (const t of add) {
    if (!have.has(t)) {
      have.add(t);
      kept.push(t);
    }
  }
  return kept;
}

/**
 * The whole change as one UPDATE … FROM over the named sessions of the workspace: the new tags are computed from
 * each row as it is inside the transaction (a concurrent PATCH is never overwritten with a stale list). Sessions
 * whose status or tags really change get `reviewedAt`/`reviewedBy`; a change of `evalReady` alone does not (as
 * POST /api/evals/ready); rows that would not change are not written, so their ETag stays.
 * ?1 workspace, ?2 ids (JSON), ?3 status, ?4 ready (0/1/NULL), ?5 add (JSON), ?6 remove (JSON), ?7 now, ?8 by.
 */
const BULK_LABEL_SQL = `
UPDATE sessions SET
  eval_status = n.status,
  eval_ready = n.ready,
  eval_tags = n.tags,
  reviewed_at = CASE WHEN n.labelled THEN max(?7, coalesce(sessions.reviewed_at, 0) + 1) ELSE sessions.reviewed_at END,
  reviewed_by = CASE WHEN n.labelled THEN ?8 ELSE sessions.reviewed_by END,
  version = sessions.version + 1
FROM (
  SELECT c.sid, c.status, c.ready, c.tags,
    (c.status IS NOT c.old_status OR c.tags IS NOT c.old_tags) AS labelled,
    c.ready IS NOT c.old_ready AS marked
  FROM (
    SELECT s.id AS sid, coalesce(?3, s.eval_status) AS status, s.eval_status AS old_status,
      coalesce(?4, s.eval_ready) AS ready, s.eval_ready AS old_ready, json(s.eval_tags) AS old_tags,
      (SELECT json_group_array(v ORDER BY g, k) FROM (
         SELECT value AS v, 0 AS g, key AS k FROM json_each(s.eval_tags) WHERE value NOT IN (SELECT value FROM json_each(?6))
         UNION ALL
         SELECT value, 1, key FROM json_each(?5) WHERE value NOT IN (SELECT value FROM json_each(s.eval_tags))
      )) AS tags
    FROM sessions s
    WHERE s.workspace_id = ?1 AND s.id IN (SELECT value FROM json_each(?2))
  ) AS c
) AS n
WHERE sessions.id = n.sid AND (n.labelled OR n.marked)`;

/** session_tags follows: removed tags out, added ones in, for the workspace's named sessions only. */
const UNTAG_SQL = `DELETE FROM session_tags WHERE workspace_id = ?1 AND session_id IN (SELECT value FROM json_each(?2))
  AND tag IN (SELECT value FROM json_each(?3))`;
const TAG_SQL = `INSERT OR IGNORE INTO session_tags (workspace_id, tag, session_id)
  SELECT ?1, a.value, s.id FROM sessions s, json_each(?3) a
  WHERE s.workspace_id = ?1 AND s.id IN (SELECT value FROM json_each(?2))`;

/**
 * Applies a bulk label change to every named session of the workspace, all or nothing: a change that would give
 * any session more than the tag limit is a 400 and changes none. `updated` counts the distinct sessions found.
 */
export async function bulkLabel(db: Db, workspaceId: string, input: BulkLabelInput, by: string | null, now = Date.now()): Promise<BulkResult> {
  const ids = [...new Set(input.sessionIds)];
  const idsJson = JSON.stringify(ids);
  const rows = await db
    .select({ id: sessions.id, evalTags: sessions.evalTags })
    .from(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), sql`${sessions.id} IN (SELECT value FROM json_each(${idsJson}))`));
  const found = new Set(rows.map((r) => r.id));
  const notFound = ids.filter((id) => !found.has(id));
  if (rows.length === 0) return { updated: 0, notFound };

  const add = input.addTags ?? [];
  const remove = input.removeTags ?? [];
  const over = rows.find((r) => nextTags(r.evalTags, add, remove).length > LIMITS.tagsPerSession);
  if (over) {
    throw new ApiError("invalid_request", `Session ${over.id} would have more than ${LIMITS.tagsPerSession} tags; nothing was changed.`, {
      details: [{ path: "addTags", message: `session ${over.id} would have more than ${LIMITS.tagsPerSession} tags` }],
    });
  }
  const d1 = db.$client;
  const ready = input.evalReady === undefined ? null : input.evalReady ? 1 : 0;
  const addJson = JSON.stringify(add);
  const removeJson = JSON.stringify(remove);
  const stmts = [d1.prepare(BULK_LABEL_SQL).bind(workspaceId, idsJson, input.evalStatus ?? null, ready, addJson, removeJson, now, by)];
  if (remove.length > 0) stmts.push(d1.prepare(UNTAG_SQL).bind(workspaceId, idsJson, removeJson));
  if (add.length > 0) stmts.push(d1.prepare(TAG_SQL).bind(workspaceId, idsJson, addJson));
  await d1.batch(stmts);
  return { updated: rows.length, notFound };
}
