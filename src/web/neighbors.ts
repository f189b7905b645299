import { and, asc, desc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { filterConditions, type SessionFilters } from "../sessions/queries";

/**
 * The sessions just newer (previous) and just older (next) than `current` in a filtered list ordered newest
 * first, so a reviewer can walk a queue. Two indexed one-row lookups.
 */
export async function neighbors(db: Db, workspaceId: string, f: SessionFilters, current: { createdAt: number; id: string }) {
  const base = filterConditions(workspaceId, f);
  const [newer, older] = await db.batch([
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(...base, sql`(${sessions.createdAt}, ${sessions.id}) > (${current.createdAt}, ${current.id})`))
      .orderBy(asc(sessions.createdAt), asc(sessions.id))
      .limit(1),
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(...base, sql`(${sessions.createdAt}, ${sessions.id}) < (${current.createdAt}, ${current.id})`))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(1),
  ]);
  return { prevId: newer[0]?.id ?? null, nextId: older[0]?.id ?? null };
}
