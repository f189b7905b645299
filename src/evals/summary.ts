import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { EVAL_STATUSES, sessions, sessionTags, type EvalStatus } from "../db/schema";

/** The two queries of the summary (exported so tests can check their plans): per status, per tag. */
export function summaryQueries(db: Db, workspaceId: string) {
  return [
    db
      .select({ status: sessions.evalStatus, n: count() })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.evalReady, true)))
      .groupBy(sessions.evalStatus),
    db
      .select({ tag: sessionTags.tag, n: count() })
      .from(sessionTags)
      .innerJoin(sessions, eq(sessions.id, sessionTags.sessionId))
      .where(and(eq(sessionTags.workspaceId, workspaceId), eq(sessions.evalReady, true)))
      .groupBy(sessionTags.tag)
      .orderBy(desc(count()), asc(sessionTags.tag)),
  ] as const;
}

/**
 * Counts over a workspace's eval-ready sessions: per status from the (workspace, ready, status, …) index, per
 * tag from session_tags' (workspace, tag, …) key joined to the session by primary key — no full scan.
 */
export async function evalSummary(db: Db, workspaceId: string) {
  const [statusRows, tagRows] = await db.batch(summaryQueries(db, workspaceId));
  const byStatus = Object.fromEntries(EVAL_STATUSES.map((s) => [s, 0])) as Record<EvalStatus, number>;
  for (const r of statusRows) byStatus[r.status] = r.n;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { total, byStatus, tags: tagRows.map((r) => ({ tag: r.tag, count: r.n })) };
}
