import { and, asc, count, desc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { filterConditions, type SessionFilters } from "../sessions/queries";

/**
 * Where a session sits in a filtered list ordered newest first, so a reviewer can walk it as a queue: the
 * sessions just newer (previous) and just older (next), its 1-based position, the list's size and its first
 * session. One D1 batch of indexed lookups and counts.
 */
export async function queueAround(db: Db, workspaceId: string, f: SessionFilters, current: { createdAt: number; id: string }) {
  const base = filterConditions(workspaceId, f);
  const newerThan = sql`(${sessions.createdAt}, ${sessions.id}) > (${current.createdAt}, ${current.id})`;
  const [newer, older, before, all, first] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base, newerThan)).orderBy(asc(sessions.createdAt), asc(sessions.id)).limit(1),
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(...base, sql`(${sessions.createdAt}, ${sessions.id}) < (${current.createdAt}, ${current.id})`))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base, newerThan)),
    db.select({ n: count() }).from(sessions).where(and(...base)),
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(desc(sessions.createdAt), desc(sessions.id)).limit(1),
  ]);
  const total = all[0]?.n ?? 0;
  return {
    prevId: newer[0]?.id ?? null,
    nextId: older[0]?.id ?? null,
    /** 1-based; the session may have left the list (relabelled), then it is where it would be. */
    index: (before[0]?.n ?? 0) + 1,
    total,
    firstId: first[0]?.id ?? null,
  };
}

/** The first session of a filtered list (newest first), for "start again" after a queue is done. */
export async function firstOfQueue(db: Db, workspaceId: string, f: SessionFilters) {
  const base = filterConditions(workspaceId, f);
  const [first, all] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(desc(sessions.createdAt), desc(sessions.id)).limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base)),
  ]);
  return { firstId: first[0]?.id ?? null, total: all[0]?.n ?? 0 };
}
