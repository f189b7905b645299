import { and, count, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { DEFAULT_ORDER, filterConditions, orderTerms, sortExpr, type ListOrder } from "../sessions/queries";
import type { ViewFilters } from "./filters";

/** Where a session sits in its list: the sessions around it, its 1-based position, the list's size and first. */
export interface QueuePosition {
  prevId: string | null;
  nextId: string | null;
  /** 1-based; the session may have left the list (relabelled), then it is where it would be. */
  index: number;
  total: number;
  firstId: string | null;
}

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
 * The position by index seeks, in one D1 batch: the neighbours and the first are one index step each; the counts
 * walk the list's index from the session to each end (before + after), and the list's size is those two plus the
 * session itself when it is in the list, so the index is walked once in all, not once more for a total. Right for
 * every list without a search; exported so tests can check both ways give one answer.
 */
export async function queueBySeeks(db: Db, workspaceId: string, f: ViewFilters, currentId: string): Promise<QueuePosition> {
  const order = f.order ?? DEFAULT_ORDER;
  const base = filterConditions(workspaceId, f);
  // In a descending list the sessions shown before this one have greater keys.
  const beforeIt = beyond(order, workspaceId, currentId, order.dir === "desc");
  const afterIt = beyond(order, workspaceId, currentId, order.dir === "asc");
  const [prev, next, before, after, itself, first] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base, beforeIt)).orderBy(...orderTerms(flip(order))).limit(1),
    db.select({ id: sessions.id }).from(sessions).where(and(...base, afterIt)).orderBy(...orderTerms(order)).limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base, beforeIt)),
    db.select({ n: count() }).from(sessions).where(and(...base, afterIt)),
    db.select({ n: count() }).from(sessions).where(and(...base, eq(sessions.id, currentId))),
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(...orderTerms(order)).limit(1),
  ]);
  const n = (r: { n: number }[]) => r[0]?.n ?? 0;
  return {
    prevId: prev[0]?.id ?? null,
    nextId: next[0]?.id ?? null,
    index: n(before) + 1,
    total: n(before) + n(after) + n(itself),
    firstId: first[0]?.id ?? null,
  };
}

/**
 * The position from the list's sessions computed once: one statement whose CTE `m` holds the matching sessions'
 * ids and sort keys, and the five answers read from it. A search's full-text sets are built per statement
 * (SQLite materializes each `IN (SELECT … MATCH …)` in full, ~50 ms per common word at 100,000 sessions), so five
 * statements built them five times. Without a current session (`null`) the answers around it are empty.
 */
export async function queueFromMatches(db: Db, workspaceId: string, f: ViewFilters, currentId: string | null): Promise<QueuePosition> {
  const order = f.order ?? DEFAULT_ORDER;
  const dir = sql.raw(order.dir === "asc" ? "ASC" : "DESC");
  const back = sql.raw(order.dir === "asc" ? "DESC" : "ASC");
  // Shown before the current session: in a descending list a greater (key, id), in an ascending one a smaller.
  const cmp = sql.raw(order.dir === "asc" ? "<" : ">");
  const inv = sql.raw(order.dir === "asc" ? ">" : "<");
  const before = sql`(m.k ${cmp} cur.k OR (m.k = cur.k AND m.id ${cmp} cur.id))`;
  const after = sql`(m.k ${inv} cur.k OR (m.k = cur.k AND m.id ${inv} cur.id))`;
  const rows = await db.all<{ total: number; firstId: string | null; before: number; prevId: string | null; nextId: string | null }>(sql`
    WITH m AS MATERIALIZED (SELECT ${sessions.id} AS id, ${sortExpr(order.key)} AS k FROM ${sessions} WHERE ${and(...filterConditions(workspaceId, f))}),
    cur AS (SELECT ${sessions.id} AS id, ${sortExpr(order.key)} AS k FROM ${sessions} WHERE ${sessions.workspaceId} = ${workspaceId} AND ${sessions.id} = ${currentId})
    SELECT (SELECT count(*) FROM m) AS total,
      (SELECT id FROM m ORDER BY k ${dir}, id ${dir} LIMIT 1) AS firstId,
      (SELECT count(*) FROM m, cur WHERE ${before}) AS before,
      (SELECT m.id FROM m, cur WHERE ${before} ORDER BY m.k ${back}, m.id ${back} LIMIT 1) AS prevId,
      (SELECT m.id FROM m, cur WHERE ${after} ORDER BY m.k ${dir}, m.id ${dir} LIMIT 1) AS nextId`);
  const r = rows[0];
  return { prevId: r?.prevId ?? null, nextId: r?.nextId ?? null, index: (r?.before ?? 0) + 1, total: r?.total ?? 0, firstId: r?.firstId ?? null };
}

/**
 * Where a session sits in a filtered list in the list's own order (`f.order`, newest first by default), so a
 * reviewer walks the queue the list showed: the session just before it (previous) and just after it (next), its
 * 1-based position, the list's size and its first session. A searched list computes its matches once; any other
 * seeks the list's index.
 */
export function queueAround(db: Db, workspaceId: string, f: ViewFilters, current: { id: string }): Promise<QueuePosition> {
  return f.q ? queueFromMatches(db, workspaceId, f, current.id) : queueBySeeks(db, workspaceId, f, current.id);
}

/** The first session of a filtered list (in the list's order), for "start again" after a queue is done. */
export async function firstOfQueue(db: Db, workspaceId: string, f: ViewFilters) {
  if (f.q) {
    const q = await queueFromMatches(db, workspaceId, f, null);
    return { firstId: q.firstId, total: q.total };
  }
  const base = filterConditions(workspaceId, f);
  const [first, all] = await db.batch([
    db.select({ id: sessions.id }).from(sessions).where(and(...base)).orderBy(...orderTerms(f.order ?? DEFAULT_ORDER)).limit(1),
    db.select({ n: count() }).from(sessions).where(and(...base)),
  ]);
  return { firstId: first[0]?.id ?? null, total: all[0]?.n ?? 0 };
}
