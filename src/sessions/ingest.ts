import { and, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { chunk, D1_MAX_PARAMS, type Db } from "../db/client";
import { messages, sessions } from "../db/schema";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { MessageInput, SessionInput } from "./schemas";
import { syncTagsStatements } from "./tags";

type SessionInsert = typeof sessions.$inferInsert;
type MessageInsert = typeof messages.$inferInsert;
type Stmt = BatchItem<"sqlite">;

export interface IngestResult {
  id: string;
  externalId: string;
  messageCount: number;
  created: boolean;
}

/** What is already stored of one session: enough to place incoming messages without reading their content. */
interface Existing {
  id: string;
  seqByExternalId: Map<string, number>;
  nextSeq: number;
}

const excluded = (col: SQLiteColumn) => sql.raw(`excluded."${col.name}"`);

/** `a IS NOT excluded.a OR …`: an upsert only writes (and bumps the version) when a value really differs. */
function anyDiffers(cols: SQLiteColumn[], next: (c: SQLiteColumn) => SQL = excluded): SQL {
  return sql.join(
    cols.map((c) => sql`${c} IS NOT ${next(c)}`),
    sql` OR `,
  );
}

/**
 * On update, a totalTokens the body leaves out is prompt + completion of the row as this upsert leaves it:
 * a count the body omits keeps its stored value, so a partial resend cannot store a total that disagrees
 * with the stored counts. Undefined when the body gives totalTokens or neither count (nothing to derive).
 */
function derivedTotalOnUpdate(input: SessionInput): SQL | undefined {
  if (input.totalTokens !== undefined) return undefined;
  if (input.promptTokens === undefined && input.completionTokens === undefined) return undefined;
  const p = input.promptTokens !== undefined ? excluded(sessions.promptTokens) : sql`${sessions.promptTokens}`;
  const c = input.completionTokens !== undefined ? excluded(sessions.completionTokens) : sql`${sessions.completionTokens}`;
  return sql`CASE WHEN ${p} IS NULL AND ${c} IS NULL THEN NULL ELSE coalesce(${p}, 0) + coalesce(${c}, 0) END`;
}

const LABEL_KEYS = ["evalStatus", "evalNotes", "evalTags", "expectedOutput"] as const;

/** The session columns an ingest body sets; absent fields are left out so a resend never wipes what it omits. */
function sessionValues(input: SessionInput): Partial<SessionInsert> {
  const v: Partial<SessionInsert> = {};
  const copy = <K extends keyof SessionInput & keyof SessionInsert>(k: K) => {
    if (input[k] !== undefined) (v as Record<string, unknown>)[k] = input[k];
  };
  for (const k of [
    "title", "source", "model", "provider", "projectPath", "projectName", "promptTokens", "completionTokens",
    "cacheReadTokens", "cacheWriteTokens", "cost", "durationMs", "gitBranch", "gitCommit", "gitRemote",
    "parentExternalId", "updatedAt", "evalReady", "evalStatus",
    "evalNotes", "evalTags", "expectedOutput",
  ] as const) copy(k);
  if (input.createdAt != null) v.createdAt = input.createdAt;
  if (input.totalTokens != null) v.totalTokens = input.totalTokens;
  else if (input.totalTokens === undefined && (input.promptTokens != null || input.completionTokens != null)) {
    v.totalTokens = (input.promptTokens ?? 0) + (input.completionTokens ?? 0);
  } else if (input.totalTokens === null) v.totalTokens = null;
  return v;
}

function messageRow(m: MessageInput, sessionId: string, workspaceId: string, seq: number, writeId: string): MessageInsert {
  return {
    sessionId,
    seq,
    workspaceId,
    externalId: m.externalId ?? null,
    role: m.role,
    content: m.content,
    toolCalls: m.toolCalls === undefined ? null : JSON.stringify(m.toolCalls),
    toolCallId: m.toolCallId ?? null,
    toolName: m.toolName ?? null,
    reasoning: m.reasoning ?? null,
    model: m.model ?? null,
    promptTokens: m.promptTokens ?? null,
    completionTokens: m.completionTokens ?? null,
    createdAt: m.createdAt ?? null,
    writeId,
  };
}

const MESSAGE_DATA_COLUMNS = [
  messages.externalId, messages.role, messages.content, messages.toolCalls, messages.toolCallId, messages.toolName,
  messages.reasoning, messages.model, messages.promptTokens, messages.completionTokens, messages.createdAt,
];
const MESSAGE_COLUMN_COUNT = 15;

/**
 * Upserts of messages at their seq, in multi-row statements under D1's parameter limit. A row whose values
 * are all unchanged is not written, so its `write_id` keeps the older request's id.
 */
function messageStatements(db: Db, rows: MessageInsert[]): Stmt[] {
  const set: Record<string, SQL> = { writeId: excluded(messages.writeId) };
  for (const c of MESSAGE_DATA_COLUMNS) set[keyOf(c)] = excluded(c);
  return chunk(rows, Math.floor(D1_MAX_PARAMS / MESSAGE_COLUMN_COUNT)).map((part) =>
    db
      .insert(messages)
      .values(part)
      .onConflictDoUpdate({ target: [messages.sessionId, messages.seq], set, setWhere: anyDiffers(MESSAGE_DATA_COLUMNS) }),
  );
}

const SESSION_COLUMNS: Record<string, SQLiteColumn> = getTableColumns(sessions);
/** Column → its property name, which drizzle's `set` objects are keyed by. */
const columnKeys = new Map<SQLiteColumn, string>(
  [...Object.entries(getTableColumns(messages)), ...Object.entries(SESSION_COLUMNS)].map(([k, c]) => [c, k]),
);
function keyOf(c: SQLiteColumn): string {
  const k = columnKeys.get(c);
  if (!k) throw new Error(`unknown column ${c.name}`);
  return k;
}

/** Places incoming messages: by externalId when given (update in place or append), else by position. */
export function assignSeqs(incoming: MessageInput[], existing: Existing | undefined, mode: "position" | "append"): number[] {
  const byExt = existing?.seqByExternalId ?? new Map<string, number>();
  let next = existing?.nextSeq ?? 0;
  const stored = next;
  return incoming.map((m, i) => {
    if (m.externalId !== undefined) {
      const seq = byExt.get(m.externalId);
      if (seq !== undefined) return seq;
      return next++;
    }
    if (mode === "position" && i < stored) return i;
    return next++;
  });
}

/**
 * The final statement of a session's upsert: recount messages and bump `version` only when this request
 * (`writeId`) really changed the session row or one of its messages, so ETags survive identical resends.
 * `target` picks the row; the subqueries follow the row's own id, so an upsert that lost a create race (its
 * planned id never stored, its values written to the winner's row) still counts and versions that row.
 */
function finishStatement(db: Db, target: SQL, writeId: string): Stmt {
  return db
    .update(sessions)
    .set({
      messageCount: sql`coalesce((SELECT max(${messages.seq}) + 1 FROM ${messages} WHERE ${messages.sessionId} = ${sessions.id}), 0)`,
      version: sql`${sessions.version} + CASE WHEN ${sessions.writeId} = ${writeId} OR EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.sessionId} = ${sessions.id} AND ${messages.writeId} = ${writeId}) THEN 1 ELSE 0 END`,
    })
    .where(target);
}

async function loadExisting(db: Db, workspaceId: string, externalIds: string[]): Promise<Map<string, Existing>> {
  const found = new Map<string, Existing>();
  for (const part of chunk(externalIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ id: sessions.id, externalId: sessions.externalId })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), inArray(sessions.externalId, part)));
    for (const r of rows) found.set(r.externalId, { id: r.id, seqByExternalId: new Map(), nextSeq: 0 });
  }
  await loadMessagePositions(db, [...found.values()]);
  return found;
}

/** Reads (seq, externalId) of stored messages — never their content — to place a resend's messages. */
async function loadMessagePositions(db: Db, list: Existing[]): Promise<void> {
  const byId = new Map(list.map((e) => [e.id, e]));
  for (const part of chunk([...byId.keys()], D1_MAX_PARAMS)) {
    const rows = await db
      .select({ sessionId: messages.sessionId, seq: messages.seq, externalId: messages.externalId })
      .from(messages)
      .where(inArray(messages.sessionId, part));
    for (const r of rows) {
      const e = byId.get(r.sessionId)!;
      if (r.externalId !== null) e.seqByExternalId.set(r.externalId, r.seq);
      if (r.seq + 1 > e.nextSeq) e.nextSeq = r.seq + 1;
    }
  }
}

/** Runs a batch, turning a lost race (another request created or changed the same rows) into a 409. */
async function runBatch(db: Db, stmts: Stmt[]): Promise<void> {
  if (stmts.length === 0) return;
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
  } catch (err) {
    const text = String((err as { cause?: unknown })?.cause ?? err);
    if (/UNIQUE constraint|FOREIGN KEY constraint/i.test(text)) {
      throw new ApiError("conflict", "Another request changed the same session at the same time; retry this one.");
    }
    throw err;
  }
}

/**
 * Upserts sessions by externalId with their messages, in one D1 batch (one transaction): either every
 * session of the request is stored or none is.
 */
export async function upsertSessions(db: Db, workspaceId: string, inputs: SessionInput[], now = Date.now()): Promise<IngestResult[]> {
  const existing = await loadExisting(db, workspaceId, inputs.map((s) => s.externalId));
  const writeId = newId("w", now);
  const stmts: Stmt[] = [];
  const plan: { externalId: string; id: string; created: boolean }[] = [];

  for (const input of inputs) {
    const prior = existing.get(input.externalId);
    const id = prior?.id ?? newId("ses", now);
    const values = sessionValues(input);
    const labelled = LABEL_KEYS.some((k) => input[k] !== undefined);
    const changedCols = Object.keys(values).map((k) => SESSION_COLUMNS[k]!);
    const derivedTotal = derivedTotalOnUpdate(input);
    if (derivedTotal && !changedCols.includes(sessions.totalTokens)) changedCols.push(sessions.totalTokens);
    const next = (c: SQLiteColumn) => (c === sessions.totalTokens && derivedTotal ? derivedTotal : excluded(c));
    const set: Record<string, SQL> = { writeId: excluded(sessions.writeId) };
    for (const c of changedCols) set[keyOf(c)] = next(c);
    if (labelled) {
      const labelCols = LABEL_KEYS.filter((k) => input[k] !== undefined).map((k) => SESSION_COLUMNS[k]!);
      set.reviewedAt = sql`CASE WHEN ${anyDiffers(labelCols)} THEN ${now} ELSE ${sessions.reviewedAt} END`;
    }
    const insert = db.insert(sessions).values({
      ...values,
      id,
      workspaceId,
      externalId: input.externalId,
      createdAt: values.createdAt ?? now,
      writeId,
      reviewedAt: labelled ? now : null,
    });
    stmts.push(
      changedCols.length > 0
        ? insert.onConflictDoUpdate({ target: [sessions.workspaceId, sessions.externalId], set, setWhere: anyDiffers(changedCols, next) })
        : insert.onConflictDoNothing({ target: [sessions.workspaceId, sessions.externalId] }),
    );
    if (input.evalTags !== undefined) stmts.push(...syncTagsStatements(db, workspaceId, id, input.evalTags));
    const seqs = assignSeqs(input.messages, prior, "position");
    stmts.push(...messageStatements(db, input.messages.map((m, i) => messageRow(m, id, workspaceId, seqs[i]!, writeId))));
    stmts.push(finishStatement(db, and(eq(sessions.workspaceId, workspaceId), eq(sessions.externalId, input.externalId))!, writeId));
    plan.push({ externalId: input.externalId, id, created: prior === undefined });
  }

  await runBatch(db, stmts);
  // Answer what is stored, not what was planned: a create that lost a race to another request for the same
  // externalId wrote to the winner's row, and its planned id does not exist.
  const stored = await storedByExternalId(db, workspaceId, plan.map((p) => p.externalId));
  return plan.map((p) => {
    const row = stored.get(p.externalId);
    if (!row) throw new ApiError("conflict", "Another request deleted this session at the same time; retry this one.");
    return { externalId: p.externalId, id: row.id, messageCount: row.messageCount, created: p.created && row.id === p.id };
  });
}

/** Appends messages to a stored session (updating those whose externalId is already there). */
export async function appendMessages(db: Db, workspaceId: string, sessionId: string, incoming: MessageInput[], now = Date.now()): Promise<number> {
  const row = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.workspaceId, workspaceId)))
    .get();
  if (!row) throw new ApiError("not_found", "Session not found.");
  const prior: Existing = { id: row.id, seqByExternalId: new Map(), nextSeq: 0 };
  await loadMessagePositions(db, [prior]);
  const writeId = newId("w", now);
  const seqs = assignSeqs(incoming, prior, "append");
  await runBatch(db, [
    ...messageStatements(db, incoming.map((m, i) => messageRow(m, row.id, workspaceId, seqs[i]!, writeId))),
    finishStatement(db, eq(sessions.id, row.id), writeId),
  ]);
  return (await messageCounts(db, [row.id])).get(row.id) ?? 0;
}

async function messageCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunk(ids, D1_MAX_PARAMS)) {
    const rows = await db.select({ id: sessions.id, n: sessions.messageCount }).from(sessions).where(inArray(sessions.id, part));
    for (const r of rows) out.set(r.id, r.n);
  }
  return out;
}

async function storedByExternalId(db: Db, workspaceId: string, externalIds: string[]) {
  const out = new Map<string, { id: string; messageCount: number }>();
  for (const part of chunk(externalIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ id: sessions.id, externalId: sessions.externalId, messageCount: sessions.messageCount })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), inArray(sessions.externalId, part)));
    for (const r of rows) out.set(r.externalId, { id: r.id, messageCount: r.messageCount });
  }
  return out;
}
