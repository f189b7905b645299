import { and, count, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { DEFAULT_ORDER, filterConditions, orderTerms, sortExpr, type ListOrder } from "../sessions/queries";
import type { ViewFilters } from "./filters";

/**
 * "Comes after `current` in (key, id) ascending order" (or before it, `greater` false). The key's value is read
 * from the current row in SQL, so it is compared exactly as stored and indexed (lower() and coalesce() as SQLite
 * computes them). Spelled `key >= k AND (key > k OR id > i)` so the planner seeks the key's index at k.
 */
function beyond(order: ListOrder, workspaceId: string, currentId: string, greater: boolean): SQL {
  const key = sortExpr(order.key);
  const k = sql`(SELECT ${key} FROM ${sessions} WHERE ${sessions.workspaceId} = ${workspaceId} AND ${sessions.id} = ${currentId})`;
  return greater
    ? sql`(${key} >= ${k} AND (${key} > ${k} OR ${sessions.id} > ${currentId}))`
    : sql`(${key} <= ${k} AND (${key} < ${k} OR ${sessions.id} < ${currentId}))`;
}

const flip = (o: ListOrder): ListOrder => ({ key: o.key, dir: o.dir === "asc" ? "desc" : "asc" });

/**
 * Where a session sits in a filtered list in the list's own order (`f.order`, newest first by default), so a
 * reviewer walks the queue the list showed: the session just before it (previous) and just after it (next), its
 * 1-based position, the list's size and its first session. One D1 batch of indexed lookups and counts.
 */
export async function queueAround(db: Db, workspaceId: string, f: ViewFilters, current: { id: string }) {
  const order = f.order ?? DEFAULT_ORDER;
  const base = filterConditions(workspaceId, f);
  // In a descending list the sessions shown before this one have greater keys.
  const beforeIt = beyond(order, workspaceId, current.id, order.dir === "desc");
  const afterIt = beyond(order, workspaceId, current.id, order.dir === "asc");
  const [prev, next, before, all, first] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base, beforeIt)).orderBy(...orderTerms(flip(order))).limit(1),
    db.select({ id: sessions.id }).from(sessions).where(and(...base, afterIt)).orderBy(...orderTerms(order)).limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base, beforeIt)),
    db.select({ n: count() }).from(sessions).where(and(...base)),
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(...orderTerms(order)).limit(1),
  ]);
  return {
    prevId: prev[0]?.id ?? null,
    nextId: next[0]?.id ?? null,
    /** 1-based; the session may have left the list (relabelled), then it is where it would be. */
    index: (before[0]?.n ?? 0) + 1,
    total: all[0]?.n ?? 0,
    firstId: first[0]?.id ?? null,
  };
}

/** The first session of a filtered list (in the list's order), for "start again" after a queue is done. */
export async function firstOfQueue(db: Db, workspaceId: string, f: ViewFilters) {
  const base = filterConditions(workspaceId, f);
  const [first, all] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(...orderTerms(f.order ?? DEFAULT_ORDER)).limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base)),
  ]);
  return { firstId: first[0]?.id ?? null, total: all[0]?.n ?? 0 };
}
