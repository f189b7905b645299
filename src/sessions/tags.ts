import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { chunk, D1_MAX_PARAMS, type Db } from "../db/client";
import { sessionTags } from "../db/schema";

/** Statements that make `session_tags` hold exactly `tags` for one session (run inside the caller's batch). */
export function replaceTagsStatements(db: Db, workspaceId: string, sessionId: string, tags: string[]): BatchItem<"sqlite">[] {
  const stmts: BatchItem<"sqlite">[] = [db.delete(sessionTags).where(eq(sessionTags.sessionId, sessionId))];
  for (const part of chunk(tags, Math.floor(D1_MAX_PARAMS / 3))) {
    stmts.push(db.insert(sessionTags).values(part.map((tag) => ({ workspaceId, tag, sessionId }))));
  }
  return stmts;
}
