import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { EVAL_STATUSES, sessions, sessionTags, type EvalStatus } from "../db/schema";
import { filterConditions, hasAllTags, type SessionFilters } from "../sessions/queries";

/** Whether a view's filters are only labels (statuses, reviewed) and tags: then its counts come from session_tags alone. */
const onlyLabelsAndTags = (f: SessionFilters) => !f.q && f.source === undefined && f.model === undefined;
const onlyLabels = (f: SessionFilters) => onlyLabelsAndTags(f) && !f.tags?.length;

/**
 * The summary of a tag's view (a tag chip or bar clicked, statuses or reviewed beside it) from the tag rows'
 * copies of their session's labels, no session read: `a` is each session's row of the first tag (the other tags
 * as sets of sessions), its status counted from the (workspace, ready, tag, status, reviewed) index alone, its
 * tags from `b`, the same session's rows in (session_id, workspace_id, tag). Reading the sessions by id instead
 * costs a row lookup per session of the tag (sql.js at 14,000 sessions: status 75 → 5 ms, tags 107 → 97 ms).
 */
function tagViewQueries(db: Db, workspaceId: string, f: SessionFilters & { tags: string[] }) {
  const a = alias(sessionTags, "a");
  const b = alias(sessionTags, "b");
  const [first, ...others] = f.tags;
  const conds = [eq(a.workspaceId, workspaceId), eq(a.evalReady, true), eq(a.tag, first!)];
  if (f.reviewed !== undefined) conds.push(eq(a.reviewed, f.reviewed));
  conds.push(...hasAllTags(workspaceId, others, a.sessionId));
  // Each status bar says how many sessions its link would list: the status filter is left out of these counts.
  const byStatus = db.select({ status: a.evalStatus, n: count() }).from(a).where(and(...conds)).groupBy(a.evalStatus);
  const withStatus = f.statuses?.length ? [...conds, inArray(a.evalStatus, f.statuses)] : conds;
  const tags = db
    .select({ tag: b.tag, n: count() })
    .from(a)
    .crossJoin(b)
    .where(and(...withStatus, eq(b.sessionId, a.sessionId), eq(b.workspaceId, workspaceId)))
    .groupBy(b.tag)
    .orderBy(desc(count()), asc(b.tag));
  return [byStatus, tags] as const;
}

/**
 * The conditions on the sessions of a filtered chart, naming the index SQLite should narrow by: a tag's sessions
 * (`id IN …`), else a source's or model's. The other terms are written `+column`, so the planner, which has no
 * statistics on D1, does not prefer walking every eval-ready session of the workspace (at 100,000 sessions:
 * tag=… 0.18 → 0.09 s, source + model 0.28 → 0.05 s in sqlite3).
 */
function chartSessionConditions(workspaceId: string, f: SessionFilters): SQL[] {
  // filterConditions starts with the workspace term; the rest are the view's filters.
  const rest = filterConditions(workspaceId, { ...f, evalReady: undefined }).slice(1);
  const ready = sql`+${sessions.evalReady} = 1`;
  if (f.tags?.length) return [sql`+${sessions.workspaceId} = ${workspaceId}`, ready, ...rest];
  if (f.source !== undefined || f.model !== undefined) return [eq(sessions.workspaceId, workspaceId), ready, ...rest];
  return filterConditions(workspaceId, { ...f, evalReady: true });
}

/**
 * The two queries of the summary (exported so tests can check their plans): per status, per tag. With filters
 * (the web's Evals chart), both count the eval-ready sessions the filters match, except that the status counts
 * leave the status filter out: each status bar then says how many sessions its link (that status, the other
 * filters kept) would list. Tags of the whole Evals view, or of some statuses, reviewed or not, are counted from
 * the tag rows' own copies (one covering index, no session read), and so is all of a tag's view with such labels;
 * a search, source or model needs the session.
 */
export function summaryQueries(db: Db, workspaceId: string, f: SessionFilters = {}) {
  if (f.tags?.length && onlyLabelsAndTags(f)) return tagViewQueries(db, workspaceId, { ...f, tags: f.tags });
  const statusConds = chartSessionConditions(workspaceId, { ...f, statuses: undefined });
  const byStatus = db.select({ status: sessions.evalStatus, n: count() }).from(sessions).where(and(...statusConds)).groupBy(sessions.evalStatus);
  const tagCount = { tag: sessionTags.tag, n: count() };
  const order = [desc(count()), asc(sessionTags.tag)];
  if (onlyLabels(f)) {
    const conds = [eq(sessionTags.workspaceId, workspaceId), eq(sessionTags.evalReady, true)];
    if (f.statuses?.length) conds.push(inArray(sessionTags.evalStatus, f.statuses));
    if (f.reviewed !== undefined) conds.push(eq(sessionTags.reviewed, f.reviewed));
    return [byStatus, db.select(tagCount).from(sessionTags).where(and(...conds)).groupBy(sessionTags.tag).orderBy(...order)] as const;
  }
  // Other filters: from the sessions they match (CROSS JOIN keeps sessions as the outer loop, where the filters
  // narrow), each session's tags from the (session_id, workspace_id, tag) index. Driven from the tag rows instead,
  // every tag row of the workspace would look its session up to test the filters (~1 s at 100,000 sessions).
  return [
    byStatus,
    db
      .select(tagCount)
      .from(sessions)
      .crossJoin(sessionTags)
      .where(and(...chartSessionConditions(workspaceId, f), eq(sessionTags.sessionId, sessions.id), eq(sessionTags.workspaceId, workspaceId)))
      .groupBy(sessionTags.tag)
      .orderBy(...order),
  ] as const;
}

/**
 * The summary of a searched view in one statement: the sessions the view matches, its status filter left out, are
 * read once (`m`, materialized: without the keyword SQLite 3.47 copies it into both arms) for both the status bars
 * and the tag counts. As two
 * statements, each built the search's set of sessions again from every entry of its words (~60 ms per common
 * word at 100,000 sessions). Exported for the plan tests.
 */
export function searchedSummarySql(workspaceId: string, f: SessionFilters): SQL {
  const matched = sql.join(chartSessionConditions(workspaceId, { ...f, statuses: undefined }), sql` AND `);
  const withStatus = f.statuses?.length ? sql`WHERE m.st IN (${sql.join(f.statuses.map((st) => sql`${st}`), sql`, `)})` : sql``;
  return sql`WITH m AS MATERIALIZED (SELECT ${sessions.id} AS sid, ${sessions.evalStatus} AS st FROM ${sessions} WHERE ${matched})
    SELECT k, v, n FROM (
      SELECT 's' AS k, m.st AS v, count(*) AS n FROM m GROUP BY m.st
      UNION ALL
      SELECT 't', t.tag, count(*) FROM m CROSS JOIN ${sessionTags} t ON t.session_id = m.sid AND t.workspace_id = ${workspaceId} ${withStatus} GROUP BY t.tag
    ) ORDER BY k, n DESC, v`;
}

async function searchedSummary(db: Db, workspaceId: string, f: SessionFilters) {
  const rows = await db.all<{ k: "s" | "t"; v: string; n: number }>(searchedSummarySql(workspaceId, f));
  return [
    rows.filter((r) => r.k === "s").map((r) => ({ status: r.v as EvalStatus, n: r.n })),
    rows.filter((r) => r.k === "t").map((r) => ({ tag: r.v, n: r.n })),
  ] as const;
}

/**
 * Counts over a workspace's eval-ready sessions (optionally narrowed by the list's filters): per status from the
 * (workspace, ready, status, …) index, per tag from session_tags' (workspace, ready, tag, status, reviewed) index, or,
 * when the filters need more than labels, from the matching sessions' (session_id, workspace_id, tag) entries. No full scan.
 */
export async function evalSummary(db: Db, workspaceId: string, f: SessionFilters = {}) {
  const [statusRows, tagRows] = f.q ? await searchedSummary(db, workspaceId, f) : await db.batch(summaryQueries(db, workspaceId, f));
  const byStatus = Object.fromEntries(EVAL_STATUSES.map((s) => [s, 0])) as Record<EvalStatus, number>;
  for (const r of statusRows) byStatus[r.status] = r.n;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { total, byStatus, tags: tagRows.map((r) => ({ tag: r.tag, count: r.n })) };
}

/** How many sessions the Evals list of `f` holds, from its summary: the status bars leave the status filter out. */
export function listTotalOf(summary: { byStatus: Record<EvalStatus, number> }, f: SessionFilters): number {
  const statuses: readonly EvalStatus[] = f.statuses?.length ? f.statuses : EVAL_STATUSES;
  return statuses.reduce((n: number, s) => n + summary.byStatus[s], 0);
}
