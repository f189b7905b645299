import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { isReviewedOf, sessions, sessionTags } from "../db/schema";

/**
 * Statements, run in the same batch right after the UPDATE or upsert that set `eval_tags`, that make
 * `session_tags` hold exactly `tags` for one session. They write only when the session is this workspace's and its `eval_tags` now equal `tags`,
 * i.e. the UPDATE before them applied (or the session already carried these very tags, when rewriting them is a
 * no-op). So an unknown id (no foreign-key failure), another workspace's session (its tag rows stay untouched)
 * and a lost If-Match race (the winner's tags stay indexed) change nothing.
 */
export function syncTagsStatements(db: Db, workspaceId: string, sessionId: string, tags: string[]): BatchItem<"sqlite">[] {
  const json = JSON.stringify(tags);
  const guard = sql`EXISTS (SELECT 1 FROM ${sessions} WHERE ${sessions.id} = ${sessionId} AND ${sessions.workspaceId} = ${workspaceId} AND ${sessions.evalTags} = ${json})`;
  // Query builders, not db.run(sql): drizzle's D1 batch cannot bind a raw statement's parameters.
  return [
    db.delete(sessionTags).where(and(eq(sessionTags.sessionId, sessionId), guard)),
    // Every column, in the table's order (drizzle lists them all): the session's eval_ready / eval_status /
    // reviewed given here, so migration 0006's insert trigger only checks them.
    db
      .insert(sessionTags)
      .select(
        sql`SELECT ${workspaceId}, value, ${sessionId}, ${sessions.evalReady}, ${sessions.evalStatus}, ${isReviewedOf(sessions.reviewedAt)} FROM json_each(${json}), ${sessions} WHERE ${sessions.id} = ${sessionId} AND ${guard}`,
      ),
  ];
}
