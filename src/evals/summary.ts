import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { EVAL_STATUSES, sessions, sessionTags, type EvalStatus } from "../db/schema";
import { filterConditions, type SessionFilters } from "../sessions/queries";

/**
 * The two queries of the summary (exported so tests can check their plans): per status, per tag. With filters
 * (the web's Evals chart), both count the eval-ready sessions the filters match, except that the status counts
 * leave the status filter out: each status bar then says how many sessions its link (that status, the other
 * filters kept) would list.
 */
export function summaryQueries(db: Db, workspaceId: string, f: SessionFilters = {}) {
  const statusConds = filterConditions(workspaceId, { ...f, statuses: undefined, evalReady: true });
  const tagConds = filterConditions(workspaceId, { ...f, evalReady: true });
  return [
    db.select({ status: sessions.evalStatus, n: count() }).from(sessions).where(and(...statusConds)).groupBy(sessions.evalStatus),
    db
      .select({ tag: sessionTags.tag, n: count() })
      .from(sessionTags)
      .innerJoin(sessions, eq(sessions.id, sessionTags.sessionId))
      .where(and(eq(sessionTags.workspaceId, workspaceId), ...tagConds))
      .groupBy(sessionTags.tag)
      .orderBy(desc(count()), asc(sessionTags.tag)),
  ] as const;
}

/**
 * Counts over a workspace's eval-ready sessions (optionally narrowed by the list's filters): per status from the
 * (workspace, ready, status, …) index, per tag from session_tags' (workspace, tag, …) key joined to the session by
 * primary key — no full scan.
 */
export async function evalSummary(db: Db, workspaceId: string, f: SessionFilters = {}) {
  const [statusRows, tagRows] = await db.batch(summaryQueries(db, workspaceId, f));
  const byStatus = Object.fromEntries(EVAL_STATUSES.map((s) => [s, 0])) as Record<EvalStatus, number>;
  for (const r of statusRows) byStatus[r.status] = r.n;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { total, byStatus, tags: tagRows.map((r) => ({ tag: r.tag, count: r.n })) };
}
