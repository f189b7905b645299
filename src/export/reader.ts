import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { exportKey, exportKeyOf, sessions, type EvalStatus } from "../db/schema";
import { hasAllTags } from "../sessions/queries";
import { parseToolCalls, type ExportHead, type ExportMessage, type ExportSession } from "./model";
import { splitOf, type SplitSpec } from "./split";

export interface ExportFilters {
  statuses?: EvalStatus[];
  tags?: string[];
  /** Only these session ids (still eval-ready only, still filtered). */
  ids?: string[];
  /** Resume strictly after this (createdAt, id) position in export order. */
  after?: { createdAt: number; id: string };
  limit?: number;
  split?: SplitSpec;
}

/** D1 accounting of one export, for logs and the benchmark. */
export interface ReadStats {
  queries: number;
  rowsRead: number;
}

/** A session's columns as one page read gives them: what is exported, plus what paging and grouping need. */
export type SessionHead = ExportHead & { key: string; messageCount: number; contentBytes: number };

/** What an export will hold, decided before its first byte: the headers come from it, the reader is bounded by it. */
export interface ExportExtent {
  count: number;
  /** Export keys of the first and last session (null when empty): the reader never reads past `lastKey`. */
  firstKey: string | null;
  lastKey: string | null;
}

/** Reads one keyset page of heads strictly after `afterKey` (from the start when null), at most `limit`. */
export type HeadPager = (afterKey: string | null, limit: number) => Promise<SessionHead[]>;

/** Sessions read per keyset page (two message groups); only their small columns, messages come per group below. */
export const SESSION_PAGE = 198;
/** At most this many sessions' messages in one query: one bound parameter each plus the workspace; D1 allows 100. */
export const GROUP_SESSIONS = 99;
/** D1 builds SQLite with SQLITE_MAX_COMPOUND_SELECT = 5: a compound SELECT may have at most five terms. */
const COMPOUND_TERMS = 5;
/** A group stops growing past this many messages, so a page of very long sessions stays bounded in memory. */
const GROUP_MESSAGES = 2_000;
/**
 * A group stops growing past this many stored bytes (sessions.content_bytes), and a session larger than this is
 * read in slices of about this size: one D1 read never brings in much more, whatever the sessions' sizes.
 */
export const GROUP_BYTES = 8 * 1024 * 1024;
/** Keys read per query when a split has to be decided in JS before the first byte. */
const KEY_PAGE = 10_000;

/** Export order as one indexed expression: (created_at, id) ascending. */
const EXPORT_KEY = exportKeyOf(sessions.createdAt, sessions.id);

/** The session id inside an export key: the key is decimal digits then the id, and ids start with a letter. */
export const idOfKey = (key: string) => key.replace(/^\d+/, "");

/** The WHERE of the live export (eval-ready, filters, between two export keys); also what a dataset freezes. */
export function conditions(workspaceId: string, f: ExportFilters, afterKey: string | null, untilKey: string | null): SQL[] {
  const conds: SQL[] = [eq(sessions.workspaceId, workspaceId), eq(sessions.evalReady, true)];
  if (f.statuses && f.statuses.length > 0) conds.push(inArray(sessions.evalStatus, f.statuses));
  if (f.ids) conds.push(sql`${sessions.id} IN (SELECT value FROM json_each(${JSON.stringify(f.ids)}))`);
  if (f.tags && f.tags.length > 0) conds.push(...hasAllTags(workspaceId, f.tags));
  // One text key rather than (created_at, id) > (?, ?): its index seek lands past the boundary session instead
  // of re-reading it, so a page costs exactly its sessions in D1 rows.
  if (afterKey !== null) conds.push(sql`${EXPORT_KEY} > ${afterKey}`);
  if (untilKey !== null) conds.push(sql`${EXPORT_KEY} <= ${untilKey}`);
  return conds;
}

/** A session's fields an export writes (titles, labels, metadata): read live here, copied when a dataset freezes. */
export const EXPORTED_SESSION_FIELDS = {
  externalId: sessions.externalId,
  title: sessions.title,
  source: sessions.source,
  model: sessions.model,
  totalTokens: sessions.totalTokens,
  cost: sessions.cost,
  evalStatus: sessions.evalStatus,
  evalTags: sessions.evalTags,
  evalNotes: sessions.evalNotes,
  expectedOutput: sessions.expectedOutput,
  gitBranch: sessions.gitBranch,
  gitCommit: sessions.gitCommit,
  gitRemote: sessions.gitRemote,
  parentExternalId: sessions.parentExternalId,
};

const headColumns = {
  id: sessions.id,
  ...EXPORTED_SESSION_FIELDS,
  messageCount: sessions.messageCount,
  contentBytes: sessions.contentBytes,
  key: sql<string>`${EXPORT_KEY}`.as("export_key"),
};

/** Runs a drizzle query through D1 directly so its `meta.rows_read` can be counted. */
async function allWithMeta(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }, stats: ReadStats): Promise<Record<string, unknown>[]> {
  const { sql: text, params } = query.toSQL();
  return allRaw(d1, text, params, stats);
}

/** One counted D1 read. */
export async function allRaw(d1: D1Database, text: string, params: unknown[], stats: ReadStats): Promise<Record<string, unknown>[]> {
  const res = await d1.prepare(text).bind(...params).all<Record<string, unknown>>();
  stats.queries++;
  stats.rowsRead += res.meta.rows_read ?? 0;
  return res.results;
}

/**
 * What the live export will hold (after filters, `after`, split and `limit`). Without a split it is one query;
 * with one, the side of each matching session is decided here, in pages of keys, keeping only the figures.
 */
export async function liveExtent(db: Db, d1: D1Database, workspaceId: string, f: ExportFilters, stats: ReadStats): Promise<ExportExtent> {
  const afterKey = f.after ? exportKey(f.after.createdAt, f.after.id) : null;
  if (!f.split) {
    const inner = db
      .select({ k: sql<string>`${EXPORT_KEY}`.as("k") })
      .from(sessions)
      .where(and(...conditions(workspaceId, f, afterKey, null)));
    // min/max need no order, and without one SQLite may count on the narrowest index (status, say); the first
    // `limit` sessions do need the export order.
    const limited = (f.limit !== undefined ? inner.orderBy(EXPORT_KEY).limit(f.limit) : inner).as("matched");
    const q = db
      .select({ n: sql<number>`count(*)`.as("n"), first: sql<string>`min(k)`.as("first"), last: sql<string>`max(k)`.as("last") })
      .from(limited);
    const row = (await allWithMeta(d1, q, stats))[0] ?? {};
    return { count: Number(row.n ?? 0), firstKey: (row.first as string | null) ?? null, lastKey: (row.last as string | null) ?? null };
  }
  const split = f.split;
  const limit = f.limit ?? Number.POSITIVE_INFINITY;
  const extent: ExportExtent = { count: 0, firstKey: null, lastKey: null };
  let cursor = afterKey;
  for (;;) {
    const q = db
      .select({ id: sessions.id, k: sql<string>`${EXPORT_KEY}`.as("k") })
      .from(sessions)
      .where(and(...conditions(workspaceId, f, cursor, null)))
      .orderBy(EXPORT_KEY)
      .limit(KEY_PAGE);
    const rows = await allWithMeta(d1, q, stats);
    for (const r of rows) {
      if ((await splitOf(r.id as string, split.testFraction, split.seed)) !== split.split) continue;
      extent.count++;
      extent.firstKey ??= r.k as string;
      extent.lastKey = r.k as string;
      if (extent.count >= limit) return extent;
    }
    if (rows.length < KEY_PAGE) return extent;
    cursor = rows[rows.length - 1]!.k as string;
  }
}

/** Keyset pages of the live export's heads, never past `untilKey`. */
export function liveHeads(db: Db, d1: D1Database, workspaceId: string, f: ExportFilters, untilKey: string | null, stats: ReadStats): HeadPager {
  return async (afterKey, limit) => {
    const q = db
      .select(headColumns)
      .from(sessions)
      .where(and(...conditions(workspaceId, f, afterKey, untilKey)))
      .orderBy(EXPORT_KEY)
      .limit(limit);
    return (await allWithMeta(d1, q, stats)).map(toHead);
  };
}

/** Options of one read: where to start, how many sessions at most, and which side of a split to keep. */
export interface ReadOptions {
  afterKey: string | null;
  limit: number;
  /** Keep only this side (decided per session); `split` also names it in every record. */
  split?: SplitSpec;
  /** Name this side in every record without filtering (a dataset frozen with a split). */
  label?: SplitSpec["split"];
}

/**
 * Walks the export in order (createdAt, then id, ascending) by keyset pages — never OFFSET — and yields groups
 * of complete sessions: one query per page of sessions, one per group of their messages, none per session.
 * Memory holds one page of session heads and one group of messages, a group bounded by bytes as well as counts.
 */
export async function* readExport(d1: D1Database, workspaceId: string, pager: HeadPager, o: ReadOptions, stats: ReadStats): AsyncGenerator<ExportSession[]> {
  let remaining = o.limit;
  let after = o.afterKey;
  while (remaining > 0) {
    // With a split, a page holds sessions of both sides: read full pages and count only the kept ones.
    const pageSize = o.split ? SESSION_PAGE : Math.min(SESSION_PAGE, remaining);
    const page = await pager(after, pageSize);
    if (page.length === 0) return;
    after = page[page.length - 1]!.key;
    let heads = page;
    if (o.split) {
      const split = o.split;
      const sides = await Promise.all(page.map((h) => splitOf(h.id, split.testFraction, split.seed)));
      heads = page.filter((_, i) => sides[i] === split.split).map((h) => ({ ...h, split: split.split }));
    } else if (o.label) {
      const label = o.label;
      heads = page.map((h) => ({ ...h, split: label }));
    }
    heads = heads.slice(0, remaining);
    remaining -= heads.length;
    for (const group of groups(heads)) yield await withMessages(d1, workspaceId, group, stats);
    if (page.length < pageSize) return;
  }
}

export function* groups(heads: SessionHead[]): Generator<SessionHead[]> {
  let group: SessionHead[] = [];
  let messagesInGroup = 0;
  let bytesInGroup = 0;
  for (const h of heads) {
    const full =
      group.length >= GROUP_SESSIONS ||
      messagesInGroup + h.messageCount > GROUP_MESSAGES ||
      bytesInGroup + h.contentBytes > GROUP_BYTES;
    if (group.length > 0 && full) {
      yield group;
      group = [];
      messagesInGroup = 0;
      bytesInGroup = 0;
    }
    group.push(h);
    messagesInGroup += h.messageCount;
    bytesInGroup += h.contentBytes;
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

const MESSAGE_COLUMNS = "session_id, seq, role, content, tool_calls, tool_call_id, tool_name";

function toMessage(r: Record<string, unknown>): ExportMessage {
  return {
    role: r.role as ExportMessage["role"],
    content: r.content as string,
    toolCalls: parseToolCalls(r.tool_calls as string | null),
    toolCallId: r.tool_call_id as string | null,
    toolName: r.tool_name as string | null,
  };
}

/**
 * The messages of one session larger than GROUP_BYTES, in slices of about GROUP_BYTES each (by its average
 * message size), keyset on `seq`; at most `messageCount` messages, the first ones (a dataset's frozen count).
 */
async function sliced(d1: D1Database, workspaceId: string, head: SessionHead, stats: ReadStats): Promise<ExportMessage[]> {
  const perSlice = Math.max(1, Math.floor((head.messageCount * GROUP_BYTES) / Math.max(1, head.contentBytes)));
  const out: ExportMessage[] = [];
  let lastSeq = -1;
  while (out.length < head.messageCount) {
    const n = Math.min(perSlice, head.messageCount - out.length);
    const rows = await allRaw(
      d1,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id = ?1 AND workspace_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4`,
      [head.id, workspaceId, lastSeq, n],
      stats,
    );
    for (const r of rows) out.push(toMessage(r));
    if (rows.length < n) break;
    lastSeq = rows[rows.length - 1]!.seq as number;
  }
  return out;
}

/**
 * One statement for the group's messages: a UNION ALL of per-session range reads, each `LIMIT message_count`, so
 * SQLite stops at each session's last message instead of stepping onto the next key — D1 bills exactly the
 * messages (an `IN (…)` list costs an extra row per session). A compound SELECT without ORDER BY promises no row
 * order, so each session's messages are put in `seq` order here rather than trusted to arrive in it.
 */
async function withMessages(d1: D1Database, workspaceId: string, group: SessionHead[], stats: ReadStats): Promise<ExportSession[]> {
  const bySession = new Map<string, ExportMessage[]>(group.map((g) => [g.id, []]));
  const big = group.length === 1 && group[0]!.contentBytes > GROUP_BYTES && group[0]!.messageCount > 1;
  if (big) bySession.set(group[0]!.id, await sliced(d1, workspaceId, group[0]!, stats));
  const withAny = big ? [] : group.filter((g) => g.messageCount > 0);
  if (withAny.length > 0) {
    // `?1` is the workspace, shared by every term; `?2…` the session ids; each LIMIT is the session's own stored
    // message count, an integer from D1 written into the text — so a group costs 1 + sessions parameters.
    const terms = withAny.map(
      (g, i) =>
        `SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages ` +
        `WHERE session_id = ?${i + 2} AND workspace_id = ?1 ORDER BY seq LIMIT ${Math.trunc(g.messageCount)})`,
    );
    const rows = await allRaw(d1, unionAll(terms), [workspaceId, ...withAny.map((g) => g.id)], stats);
    rows.sort((a, b) => (a.seq as number) - (b.seq as number));
    for (const r of rows) bySession.get(r.session_id as string)?.push(toMessage(r));
  }
  return group.map(({ key: _k, messageCount: _m, contentBytes: _b, ...head }) => ({ ...head, messages: bySession.get(head.id) ?? [] }));
}

/** A head from a D1 row (snake_case columns), shared with the dataset reader, whose frozen rows use the same names. */
export function toHead(r: Record<string, unknown>): SessionHead {
  return {
    id: (r.id ?? r.session_id) as string,
    externalId: r.external_id as string,
    title: r.title as string | null,
    source: r.source as string | null,
    model: r.model as string | null,
    totalTokens: r.total_tokens as number | null,
    cost: r.cost as number | null,
    evalStatus: r.eval_status as EvalStatus,
    evalTags: JSON.parse((r.eval_tags as string) || "[]") as string[],
    evalNotes: (r.eval_notes as string | null) ?? null,
    expectedOutput: r.expected_output as string | null,
    gitBranch: (r.git_branch as string | null) ?? null,
    gitCommit: (r.git_commit as string | null) ?? null,
    gitRemote: (r.git_remote as string | null) ?? null,
    parentExternalId: (r.parent_external_id as string | null) ?? null,
    key: r.export_key as string,
    messageCount: r.message_count as number,
    contentBytes: (r.content_bytes as number | null) ?? 0,
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
