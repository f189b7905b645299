import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { sessions, sessionTags } from "../db/schema";

/**
 * Statements that make `session_tags` hold exactly `tags` for one session, run inside the caller's batch.
 * The tags travel as one JSON parameter (json_each), so any number of them fits D1's parameter limit.
 * With `onlyAtVersion`, nothing is written unless the session is at that version — the label update before
 * it in the same batch succeeded — so a lost If-Match race leaves the tags untouched too.
 */
export function replaceTagsStatements(
  db: Db,
  workspaceId: string,
  sessionId: string,
  tags: string[],
  onlyAtVersion?: number,
): BatchItem<"sqlite">[] {
  const guard: SQL =
    onlyAtVersion === undefined
      ? sql`1`
      : sql`(SELECT ${sessions.version} FROM ${sessions} WHERE ${sessions.id} = ${sessionId}) = ${onlyAtVersion}`;
  // Query builders, not db.run(sql): drizzle's D1 batch binds a raw statement's parameters to a prepared
  // statement it never made (SQLiteRaw has no `stmt`), so a raw item with parameters throws inside a batch.
  return [
    db.delete(sessionTags).where(and(eq(sessionTags.sessionId, sessionId), guard)),
    db
      .insert(sessionTags)
      .select(sql`SELECT ${workspaceId}, value, ${sessionId} FROM json_each(${JSON.stringify(tags)}) WHERE ${guard}`),
  ];
}
