import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { exportKey, exportKeyOf, sessions, type EvalStatus } from "../db/schema";
import { hasAllTags } from "../sessions/queries";
import { parseToolCalls, type ExportMessage, type ExportSession } from "./model";

export interface ExportFilters {
  statuses?: EvalStatus[];
  tags?: string[];
  /** Only these session ids (still eval-ready only, still filtered). */
  ids?: string[];
  /** Resume strictly after this (createdAt, id) position in export order. */
  after?: { createdAt: number; id: string };
  limit?: number;
}

/** D1 accounting of one export, for logs and the benchmark. */
export interface ReadStats {
  queries: number;
  rowsRead: number;
}

/** Sessions read per keyset page (two message groups); only their small columns, messages come per group below. */
export const SESSION_PAGE = 198;
/** At most this many sessions' messages in one query: one bound parameter each plus the workspace; D1 allows 100. */
export const GROUP_SESSIONS = 99;
/** D1 builds SQLite with SQLITE_MAX_COMPOUND_SELECT = 5: a compound SELECT may have at most five terms. */
const COMPOUND_TERMS = 5;
/** A group stops growing past this many messages, so a page of very long sessions stays bounded in memory. */
const GROUP_MESSAGES = 2_000;

/** Export order as one indexed expression: (created_at, id) ascending. */
const EXPORT_KEY = exportKeyOf(sessions.createdAt, sessions.id);

function conditions(workspaceId: string, f: ExportFilters): SQL[] {
  const conds: SQL[] = [eq(sessions.workspaceId, workspaceId), eq(sessions.evalReady, true)];
  if (f.statuses && f.statuses.length > 0) conds.push(inArray(sessions.evalStatus, f.statuses));
  if (f.ids) conds.push(sql`${sessions.id} IN (SELECT value FROM json_each(${JSON.stringify(f.ids)}))`);
  if (f.tags && f.tags.length > 0) conds.push(...hasAllTags(workspaceId, f.tags));
  // One text key rather than (created_at, id) > (?, ?): its index seek lands past the boundary session instead
  // of re-reading it, so a page costs exactly its sessions in D1 rows.
  if (f.after) conds.push(sql`${EXPORT_KEY} > ${exportKey(f.after.createdAt, f.after.id)}`);
  return conds;
}

const sessionColumns = {
  id: sessions.id,
  externalId: sessions.externalId,
  title: sessions.title,
  source: sessions.source,
  model: sessions.model,
  totalTokens: sessions.totalTokens,
  cost: sessions.cost,
  evalStatus: sessions.evalStatus,
  evalTags: sessions.evalTags,
  expectedOutput: sessions.expectedOutput,
  createdAt: sessions.createdAt,
  messageCount: sessions.messageCount,
};

type SessionHead = Omit<ExportSession, "messages"> & { createdAt: number; messageCount: number };

/** Runs a drizzle query through D1 directly so its `meta.rows_read` can be counted. */
async function allWithMeta<T>(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }, stats: ReadStats): Promise<Record<string, unknown>[]> {
  const { sql: text, params } = query.toSQL();
  const res = await d1.prepare(text).bind(...params).all<Record<string, unknown>>();
  stats.queries++;
  stats.rowsRead += res.meta.rows_read ?? 0;
  return res.results as T & Record<string, unknown>[];
}

/** How many sessions the export will contain (after filters, `after` and `limit`), for X-Export-Sessions. */
export async function countExport(db: Db, d1: D1Database, workspaceId: string, f: ExportFilters, stats: ReadStats): Promise<number> {
  const inner = db.select({ one: sql`1` }).from(sessions).where(and(...conditions(workspaceId, f)));
  const limited = f.limit !== undefined ? inner.limit(f.limit) : inner;
  const q = db.select({ n: count() }).from(limited.as("matched"));
  const rows = await allWithMeta(d1, q, stats);
  // The single column is named after its expression by D1 (`count(*)`), so read it by position.
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

/**
 * Walks the export in order (createdAt, then id, ascending) by keyset pages — never OFFSET — and yields groups
 * of complete sessions: one query per page of sessions, one per group of their messages, none per session.
 * Memory holds one page of session heads and one group of messages at a time.
 */
export async function* readExport(
  db: Db,
  d1: D1Database,
  workspaceId: string,
  f: ExportFilters,
  stats: ReadStats,
): AsyncGenerator<ExportSession[]> {
  let remaining = f.limit ?? Number.POSITIVE_INFINITY;
  let after = f.after;
  while (remaining > 0) {
    const pageSize = Math.min(SESSION_PAGE, remaining);
    const q = db
      .select(sessionColumns)
      .from(sessions)
      .where(and(...conditions(workspaceId, { ...f, after })))
      .orderBy(EXPORT_KEY)
      .limit(pageSize);
    const heads = (await allWithMeta(d1, q, stats)).map(toHead);
    if (heads.length === 0) return;
    remaining -= heads.length;
    const last = heads[heads.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
    for (const group of groups(heads)) yield await withMessages(d1, workspaceId, group, stats);
    if (heads.length < pageSize) return;
  }
}

function* groups(heads: SessionHead[]): Generator<SessionHead[]> {
  let group: SessionHead[] = [];
  let messagesInGroup = 0;
  for (const h of heads) {
    if (group.length > 0 && (group.length >= GROUP_SESSIONS || messagesInGroup + h.messageCount > GROUP_MESSAGES)) {
      yield group;
      group = [];
      messagesInGroup = 0;
    }
    group.push(h);
    messagesInGroup += h.messageCount;
  }
  if (group.length > 0) yield group;
}

/**
 * `UNION ALL` of `terms` within D1's five-terms-per-compound limit: terms are wrapped five at a time in
 * `SELECT * FROM (…)` (a sub-select starts its own count), recursively, so the group stays one statement.
 */
function unionAll(terms: string[]): string {
  if (terms.length <= COMPOUND_TERMS) return terms.join(" UNION ALL ");
  const wrapped: string[] = [];
  for (let i = 0; i < terms.length; i += COMPOUND_TERMS) {
    wrapped.push(`SELECT * FROM (${terms.slice(i, i + COMPOUND_TERMS).join(" UNION ALL ")})`);
  }
  return unionAll(wrapped);
}

/**
 * One statement for the group's messages: a UNION ALL of per-session range reads, each `LIMIT message_count`, so
 * SQLite stops at each session's last message instead of stepping onto the next key — D1 bills exactly the
 * messages (an `IN (…)` list costs an extra row per session). A compound SELECT without ORDER BY promises no row
 * order, so each session's messages are put in `seq` order here rather than trusted to arrive in it.
 */
async function withMessages(d1: D1Database, workspaceId: string, group: SessionHead[], stats: ReadStats): Promise<ExportSession[]> {
  const bySession = new Map<string, ExportMessage[]>(group.map((g) => [g.id, []]));
  const withAny = group.filter((g) => g.messageCount > 0);
  if (withAny.length > 0) {
    // `?1` is the workspace, shared by every term; `?2…` the session ids; each LIMIT is the session's own stored
    // message count, an integer from D1 written into the text — so a group costs 1 + sessions parameters.
    const terms = withAny.map(
      (g, i) =>
        "SELECT * FROM (SELECT session_id, seq, role, content, tool_calls, tool_call_id, tool_name FROM messages " +
        `WHERE session_id = ?${i + 2} AND workspace_id = ?1 ORDER BY seq LIMIT ${Math.trunc(g.messageCount)})`,
    );
    const text = unionAll(terms);
    const params = [workspaceId, ...withAny.map((g) => g.id)];
    const res = await d1.prepare(text).bind(...params).all<Record<string, unknown>>();
    stats.queries++;
    stats.rowsRead += res.meta.rows_read ?? 0;
    const rows = [...res.results].sort((a, b) => (a.seq as number) - (b.seq as number));
    for (const r of rows) {
      bySession.get(r.session_id as string)?.push({
        role: r.role as ExportMessage["role"],
        content: r.content as string,
        toolCalls: parseToolCalls(r.tool_calls as string | null),
        toolCallId: r.tool_call_id as string | null,
        toolName: r.tool_name as string | null,
      });
    }
  }
  return group.map(({ createdAt: _c, messageCount: _m, ...head }) => ({ ...head, messages: bySession.get(head.id) ?? [] }));
}

function toHead(r: Record<string, unknown>): SessionHead {
  return {
    id: r.id as string,
    externalId: r.external_id as string,
    title: r.title as string | null,
    source: r.source as string | null,
    model: r.model as string | null,
    totalTokens: r.total_tokens as number | null,
    cost: r.cost as number | null,
    evalStatus: r.eval_status as EvalStatus,
    evalTags: JSON.parse((r.eval_tags as string) || "[]") as string[],
    expectedOutput: r.expected_output as string | null,
    createdAt: r.created_at as number,
    messageCount: r.message_count as number,
  };
}

/** Looks up the export position of `after` in this workspace; undefined when the id is unknown there. */
export async function positionOf(db: Db, workspaceId: string, id: string) {
  return db
    .select({ createdAt: sessions.createdAt, id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.id, id)))
    .get();
}
