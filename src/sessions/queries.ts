import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { isReviewedOf, messages, sessions, sessionTags, titleSortOf, unknownLastOf, type EvalStatus, type SessionRow, workspaceNumbers } from "../db/schema";
import { decodeCursor, encodeCursor, type Cursor } from "../lib/cursor";
import { presentSession } from "./present";
import { inMatched, matchesSearch, parseSearch, searchCountSql, searchMatchesSql } from "./search";

export interface SessionFilters {
  evalReady?: boolean;
  statuses?: EvalStatus[];
  tags?: string[];
  source?: string;
  model?: string;
  /** Whether a label was ever set (`reviewedAt` not null): "not yet reviewed" is not a reviewer's needs_review. */
  reviewed?: boolean;
  /** Full-text: every word (or "quoted phrase") must be in the title or in a message of the session. */
  q?: string;
}

/**
 * `session carries every tag`: per tag, the set of its sessions read once from session_tags' (workspace, tag) key,
 * never a JSON scan; `sessionId` is the session's id in the query (sessions.id, or a tag row's session_id). `id IN (…)` rather than a correlated EXISTS: SQLite builds the set once and tests each session
 * against it, ~3× faster for a count over 100,000 sessions (a list page keeps its index order either way).
 */
export function hasAllTags(workspaceId: string, tags: string[], sessionId: SQLiteColumn = sessions.id): SQL[] {
  return tags.map(
    (tag) =>
      sql`${sessionId} IN (SELECT ${sessionTags.sessionId} FROM ${sessionTags} WHERE ${sessionTags.workspaceId} = ${workspaceId} AND ${sessionTags.tag} = ${tag})`,
  );
}

/** The WHERE conditions of a filtered view; every one starts from the workspace. */
export function filterConditions(workspaceId: string, f: SessionFilters): SQL[] {
  const conds: SQL[] = [eq(sessions.workspaceId, workspaceId)];
  if (f.evalReady !== undefined) conds.push(eq(sessions.evalReady, f.evalReady));
  if (f.statuses && f.statuses.length > 0) conds.push(inArray(sessions.evalStatus, f.statuses));
  if (f.source !== undefined) conds.push(eq(sessions.source, f.source));
  if (f.model !== undefined) conds.push(eq(sessions.model, f.model));
  // Built like the index sessions_workspace_reviewed_created (migration 0004), so the planner can use it.
  if (f.reviewed !== undefined) conds.push(sql`${isReviewedOf(sessions.reviewedAt)} = ${f.reviewed ? 1 : 0}`);
  if (f.q) conds.push(...matchesSearch(workspaceId, parseSearch(f.q)));
  if (f.tags && f.tags.length > 0) conds.push(...hasAllTags(workspaceId, f.tags));
  return conds;
}

/** The query of one page (limit + 1 rows, to know whether there is a next one); exported for the plan tests. */
export function listQuery(db: Db, workspaceId: string, f: SessionFilters, limit: number, cursor?: Cursor) {
  const conds = filterConditions(workspaceId, f);
  if (cursor) conds.push(sql`(${sessions.createdAt}, ${sessions.id}) < (${cursor.createdAt}, ${cursor.id})`);
  return db
    .select()
    .from(sessions)
    .where(and(...conds))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit + 1);
}

/** Every filter but `q`: a filter added to SessionFilters and not here fails to compile. */
const NON_SEARCH_FILTERS = { evalReady: true, statuses: true, tags: true, source: true, model: true, reviewed: true } satisfies Record<
  Exclude<keyof SessionFilters, "q">,
  true
>;

/** Whether full-text search is the view's only filter (the workspace aside; a web view's sort order is no filter). */
function onlySearch(f: SessionFilters): boolean {
  if (!f.q) return false;
  return Object.keys(NON_SEARCH_FILTERS).every((k) => {
    const v = f[k as keyof typeof NON_SEARCH_FILTERS];
    return v === undefined || (Array.isArray(v) && v.length === 0);
  });
}

/**
 * How many sessions match the filters, whatever the page: the list's `total`. A view filtered by search alone is
 * counted from the full-text index (src/sessions/search.ts `searchCountSql`), one row per workspace number (none:
 * the workspace never had a session, 0).
 */
export function countQuery(db: Db, workspaceId: string, f: SessionFilters) {
  if (onlySearch(f)) {
    const counted = searchCountSql(workspaceId, parseSearch(f.q ?? ""));
    return db
      .select({ n: sql<number>`(${counted})`.mapWith(Number) })
      .from(workspaceNumbers)
      .where(eq(workspaceNumbers.workspaceId, workspaceId));
  }
  return db
    .select({ n: count() })
    .from(sessions)
    .where(and(...filterConditions(workspaceId, f)));
}

export async function countSessions(db: Db, workspaceId: string, f: SessionFilters): Promise<number> {
  return (await countQuery(db, workspaceId, f))[0]?.n ?? 0;
}

/**
 * A view filtered by search alone reads its matching sessions from the index once for both its page and its
 * total, in one statement (`m`, a CTE used twice, so SQLite materializes it): as two statements each would build
 * the set again, ~60 ms per common word at 100,000 sessions. Null for any other view.
 */
function searchOnlySet(db: Db, workspaceId: string, f: SessionFilters) {
  if (!onlySearch(f)) return null;
  const m = db.$with("m", { sr: sql<number>`sr` }).as(searchMatchesSql(workspaceId, parseSearch(f.q ?? "")));
  return {
    m,
    conds: [eq(sessions.workspaceId, workspaceId), inMatched(sql`SELECT sr FROM ${m}`)],
    total: sql<number>`(SELECT count(*) FROM ${m})`.mapWith(Number),
  };
}

type Page = { rows: SessionRow[]; next: Cursor | null };

function toPage(rows: SessionRow[], limit: number): Page {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** A page of sessions, newest first (createdAt, then id, descending), after the keyset `cursor`. */
export async function listSessions(db: Db, workspaceId: string, f: SessionFilters, limit: number, cursor?: Cursor): Promise<Page> {
  return toPage(await listQuery(db, workspaceId, f, limit, cursor), limit);
}

/**
 * A page and the filter's total, read in one D1 batch (one transaction), so the count and the rows agree; the
 * total ignores the cursor, so it is the same on every page.
 */
export async function listSessionsWithTotal(db: Db, workspaceId: string, f: SessionFilters, limit: number, cursor?: Cursor) {
  const set = searchOnlySet(db, workspaceId, f);
  if (set) {
    const conds = [...set.conds];
    if (cursor) conds.push(sql`(${sessions.createdAt}, ${sessions.id}) < (${cursor.createdAt}, ${cursor.id})`);
    const rows = await db
      .with(set.m)
      .select({ session: sessions, total: set.total })
      .from(sessions)
      .where(and(...conds))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit + 1);
    // An empty page carries no total: none matches, or a cursor past the last one.
    const total = rows[0]?.total ?? (cursor ? await countSessions(db, workspaceId, f) : 0);
    return { ...toPage(rows.map((r) => r.session), limit), total };
  }
  const [rows, counted] = await db.batch([listQuery(db, workspaceId, f, limit, cursor), countQuery(db, workspaceId, f)]);
  return { ...toPage(rows, limit), total: counted[0]?.n ?? 0 };
}

export async function getSessionRow(db: Db, workspaceId: string, id: string): Promise<SessionRow | undefined> {
  return db.select().from(sessions).where(and(eq(sessions.id, id), eq(sessions.workspaceId, workspaceId))).get();
}

export async function getMessages(db: Db, workspaceId: string, sessionId: string) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.workspaceId, workspaceId)))
    .orderBy(asc(messages.seq));
}

/** Deletes a session with its messages and tags (one batch); false when it is not this workspace's. */
export async function deleteSession(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const [, , removed] = await db.batch([
    db.delete(messages).where(and(eq(messages.sessionId, id), eq(messages.workspaceId, workspaceId))),
    db.delete(sessionTags).where(and(eq(sessionTags.sessionId, id), eq(sessionTags.workspaceId, workspaceId))),
    db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.workspaceId, workspaceId))).returning({ id: sessions.id }),
  ]);
  return removed.length > 0;
}


/** One page of a list as the API answers it: presented sessions, the opaque next cursor and the filter's total. */
export async function sessionListPage(db: Db, workspaceId: string, f: SessionFilters, limit: number, cursor?: string) {
  const page = await listSessionsWithTotal(db, workspaceId, f, limit, cursor ? decodeCursor(cursor) : undefined);
  return { sessions: page.rows.map(presentSession), nextCursor: page.next ? encodeCursor(page.next) : null, total: page.total };
}

/** The web lists' sortable columns; the API lists keep their one order (newest first) and keyset cursor. */
export const SORT_KEYS = ["created", "title", "messages", "tokens", "cost"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export interface ListOrder {
  key: SortKey;
  dir: SortDir;
}
export const DEFAULT_ORDER: ListOrder = { key: "created", dir: "desc" };

/** A sort key as SQL, built by the same function as its index (src/db/schema.ts, migration 0005). */
export function sortExpr(key: SortKey): SQL | typeof sessions.createdAt {
  switch (key) {
    case "created":
      return sessions.createdAt;
    case "title":
      return titleSortOf(sessions.title, sessions.externalId);
    case "messages":
      return sql`${sessions.messageCount}`;
    case "tokens":
      return unknownLastOf(sessions.totalTokens);
    case "cost":
      return unknownLastOf(sessions.cost);
  }
}

/** ORDER BY of a list in `order`: the key, then id, both in the same direction. */
export function orderTerms(order: ListOrder): SQL[] {
  const by = order.dir === "asc" ? asc : desc;
  return [by(sortExpr(order.key)), by(sessions.id)];
}

/**
 * One page of a sorted list at an offset (the web's numbered pages). The offset is walked over the ids alone, in
 * index order, and only the page's rows are read whole (a "deferred join"), so a deep page costs index entries,
 * not rows. Exported for the plan tests.
 */
export function offsetPageQuery(db: Db, workspaceId: string, f: SessionFilters, order: ListOrder, size: number, offset: number) {
  const ids = offsetIdsQuery(db, workspaceId, f, order, size, offset);
  // The page's rows by primary key, sorted in memory (at most `size` of them). The workspace check stays as a
  // guard, written `+workspace_id` so that it is not an index term: otherwise SQLite prefers to walk the whole
  // workspace in the sort index and test each id against the list (plan test: "read by id").
  return db
    .select()
    .from(sessions)
    .where(and(sql`+${sessions.workspaceId} = ${workspaceId}`, inArray(sessions.id, ids)))
    .orderBy(...orderTerms(order));
}

/** The ids of one sorted page: the walk over the sort key's index that the offset costs. */
export function offsetIdsQuery(db: Db, workspaceId: string, f: SessionFilters, order: ListOrder, size: number, offset: number) {
  return db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(...filterConditions(workspaceId, f)))
    .orderBy(...orderTerms(order))
    .limit(size)
    .offset(offset);
}

/**
 * Page `page` (1-based) of a filtered, sorted list and the filter's total, in one D1 batch. A page past the last
 * answers the last page (a list that shrank since its link was made), so `page` in the result is the one shown.
 */
export async function sessionOffsetPage(db: Db, workspaceId: string, f: SessionFilters, order: ListOrder, size: number, page: number) {
  const { rows, total } = await offsetPageWithTotal(db, workspaceId, f, order, size, (page - 1) * size);
  return numberedPage(db, workspaceId, f, order, size, page, rows, total);
}

/**
 * Page `page` of a view whose total another query counts already (the Evals chart's status bars): only the page
 * is read, beside that count, not a second count of the same sessions.
 */
export async function sessionOffsetPageCounted(
  db: Db,
  workspaceId: string,
  f: SessionFilters,
  order: ListOrder,
  size: number,
  page: number,
  counted: Promise<number>,
) {
  const [rows, total] = await Promise.all([offsetPageQuery(db, workspaceId, f, order, size, (page - 1) * size), counted]);
  return numberedPage(db, workspaceId, f, order, size, page, rows, total);
}

async function numberedPage(db: Db, workspaceId: string, f: SessionFilters, order: ListOrder, size: number, page: number, rows: SessionRow[], total: number) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (page > pages) {
    const last = await offsetPageQuery(db, workspaceId, f, order, size, (pages - 1) * size);
    return { sessions: last.map(presentSession), total, page: pages, pages, size };
  }
  return { sessions: rows.map(presentSession), total, page, pages, size };
}

/** A sorted page at an offset and the filter's total: one statement for a search-only view, else one batch. */
async function offsetPageWithTotal(db: Db, workspaceId: string, f: SessionFilters, order: ListOrder, size: number, offset: number) {
  const set = searchOnlySet(db, workspaceId, f);
  if (!set) {
    const [rows, counted] = await db.batch([offsetPageQuery(db, workspaceId, f, order, size, offset), countQuery(db, workspaceId, f)]);
    return { rows, total: counted[0]?.n ?? 0 };
  }
  const ids = db.select({ id: sessions.id }).from(sessions).where(and(...set.conds)).orderBy(...orderTerms(order)).limit(size).offset(offset);
  const rows = await db
    .with(set.m)
    .select({ session: sessions, total: set.total })
    .from(sessions)
    .where(and(sql`+${sessions.workspaceId} = ${workspaceId}`, inArray(sessions.id, ids)))
    .orderBy(...orderTerms(order));
  // An empty page carries no total: none matches, or a page past the last.
  const total = rows[0]?.total ?? (offset > 0 ? await countSessions(db, workspaceId, f) : 0);
  return { rows: rows.map((r) => r.session), total };
}

/** At most this many sources, models and tags are offered as filter choices. */
export const CHOICES_MAX = 200;

/**
 * The workspace's distinct sources, models and tags, for the lists' filter choices: each a "loose index scan"
 * (the next value after the last one found, from the (workspace, source|model|tag, …) index), so the cost is one
 * index seek per distinct value, whatever the number of sessions. Never another workspace's values.
 */
export async function listChoices(db: Db, workspaceId: string): Promise<{ sources: string[]; models: string[]; tags: string[] }> {
  const loose = (name: string, table: string, column: string) =>
    `${name}(v, n) AS (SELECT (SELECT min(${column}) FROM ${table} WHERE workspace_id = ?1 AND ${column} > ''), 1
      UNION ALL SELECT (SELECT min(${column}) FROM ${table} WHERE workspace_id = ?1 AND ${column} > ${name}.v), n + 1 FROM ${name} WHERE v IS NOT NULL AND n < ${CHOICES_MAX})`;
  const text = `WITH RECURSIVE ${loose("src", "sessions", "source")}, ${loose("mdl", "sessions", "model")}, ${loose("tg", "session_tags", "tag")}
    SELECT 's' AS k, v FROM src WHERE v IS NOT NULL
    UNION ALL SELECT 'm', v FROM mdl WHERE v IS NOT NULL
    UNION ALL SELECT 't', v FROM tg WHERE v IS NOT NULL`;
  const res = await db.$client.prepare(text).bind(workspaceId).all<{ k: string; v: string }>();
  const out = { sources: [] as string[], models: [] as string[], tags: [] as string[] };
  for (const r of res.results) (r.k === "s" ? out.sources : r.k === "m" ? out.models : out.tags).push(r.v);
  return out;
}
