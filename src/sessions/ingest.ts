import type { Db } from "../db/client";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import { utf8Length } from "../lib/limits";
import {
  APPEND_RESULT,
  DELETE_TAGS,
  finishSql,
  INSERT_SESSIONS,
  NUMBER_WORKSPACE,
  WORKSPACE_SESSIONS_MAX,
  INSERT_TAGS,
  UPDATE_SESSIONS,
  UPSERT_RESULT,
  upsertMessagesSql,
  type SessionInputColumn,
} from "./ingest-sql";
import type { MessageInput, SessionInput } from "./schemas";

export interface IngestResult {
  id: string;
  externalId: string;
  messageCount: number;
  created: boolean;
}

export interface IngestOptions {
  now?: number;
  /** Who is writing (an API key's name or prefix): becomes `reviewedBy` when the body changes labels. */
  actor?: string | null;
}

/**
 * D1 caps a string (so one bound JSON parameter) at 2,000,000 bytes: JSON arrays are cut below that, and a
 * message too large for it travels alone with its bodies bound as their own parameters.
 */
const JSON_PARAM_BYTES = 1_900_000;

/** Input field → column, for the fields that are copied as they are (see `sessionJson` for the others). */
const SESSION_FIELDS: [keyof SessionInput, SessionInputColumn][] = [
  ["title", "title"], ["source", "source"], ["model", "model"], ["provider", "provider"],
  ["projectPath", "project_path"], ["projectName", "project_name"], ["promptTokens", "prompt_tokens"],
  ["completionTokens", "completion_tokens"], ["cacheReadTokens", "cache_read_tokens"],
  ["cacheWriteTokens", "cache_write_tokens"], ["cost", "cost"], ["durationMs", "duration_ms"],
  ["gitBranch", "git_branch"], ["gitCommit", "git_commit"], ["gitRemote", "git_remote"],
  ["parentExternalId", "parent_external_id"], ["updatedAt", "updated_at"], ["evalStatus", "eval_status"],
  ["evalNotes", "eval_notes"], ["expectedOutput", "expected_output"],
];
const LABEL_FIELDS = ["evalStatus", "evalNotes", "evalTags", "expectedOutput"] as const;

/**
 * One session as the statements read it: only the fields the body gives (absent fields keep their stored values,
 * so a sync client's resend never wipes what it omits), with the id this request would create it under.
 */
function sessionJson(input: SessionInput, id: string): Record<string, unknown> {
  const v: Record<string, unknown> = { id, external_id: input.externalId };
  for (const [field, col] of SESSION_FIELDS) if (input[field] !== undefined) v[col] = input[field];
  if (input.createdAt != null) v.created_at = input.createdAt;
  if (input.evalReady !== undefined) v.eval_ready = input.evalReady ? 1 : 0;
  if (input.evalTags !== undefined) v.eval_tags = JSON.stringify(input.evalTags);
  if (input.totalTokens !== undefined) v.total_tokens = input.totalTokens;
  else if (input.promptTokens !== undefined || input.completionTokens !== undefined) v.derive_total = 1;
  if (LABEL_FIELDS.some((k) => input[k] !== undefined)) v.labelled = 1;
  return v;
}

interface MessagePiece {
  json: string;
  /** Bodies bound as their own parameters when the message is too large for the JSON array. */
  solo?: [string, string | null, string | null];
}

/** One message as the statements read it; `where` names its session, `position` is set for positional placement. */
function messagePiece(m: MessageInput, where: Record<string, string>, position: number | undefined): MessagePiece {
  const toolCalls = m.toolCalls === undefined ? undefined : JSON.stringify(m.toolCalls);
  const v: Record<string, unknown> = {
    ...where,
    x: m.externalId,
    i: m.externalId === undefined ? position : undefined,
    r: m.role,
    ti: m.toolCallId,
    tn: m.toolName,
    m: m.model,
    pt: m.promptTokens,
    ct: m.completionTokens,
    at: m.createdAt,
  };
  const bodies = { c: m.content, tc: toolCalls, re: m.reasoning ?? undefined };
  const json = JSON.stringify({ ...v, ...bodies });
  // Three UTF-8 bytes per UTF-16 unit at most: exact counting is only needed near the limit.
  if (json.length * 3 <= JSON_PARAM_BYTES || utf8Length(json) <= JSON_PARAM_BYTES) return { json };
  return { json: JSON.stringify(v), solo: [m.content, toolCalls ?? null, m.reasoning ?? null] };
}

/** Cuts JSON object texts into arrays that each fit one bound parameter. */
function jsonArrays(pieces: string[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const p of pieces) {
    const size = p.length * 3 <= JSON_PARAM_BYTES ? p.length * 3 : utf8Length(p);
    if (part.length > 0 && bytes + size + 1 > JSON_PARAM_BYTES) {
      out.push(`[${part.join(",")}]`);
      part = [];
      bytes = 2;
    }
    part.push(p);
    bytes += size + 1;
  }
  if (part.length > 0) out.push(`[${part.join(",")}]`);
  return out;
}

/**
 * The message statements, in body order (appended messages take positions in the order statements run): runs of
 * small messages as JSON arrays, each too-large one alone between them.
 */
function messageStatements(d1: D1Database, sql: string, pieces: MessagePiece[], workspaceId: string, writeId: string): D1PreparedStatement[] {
  const stmt = d1.prepare(sql);
  const out: D1PreparedStatement[] = [];
  let run: string[] = [];
  const flush = () => {
    for (const json of jsonArrays(run)) out.push(stmt.bind(workspaceId, json, writeId, null, null, null, null, null));
    run = [];
  };
  for (const p of pieces) {
    if (!p.solo) {
      run.push(p.json);
      continue;
    }
    flush();
    out.push(stmt.bind(workspaceId, `[${p.json}]`, writeId, null, null, ...p.solo));
  }
  flush();
  return out;
}

/**
 * Runs one batch (one transaction), turning a constraint another request's write broke into a retryable 409 and
 * a workspace out of session numbers into a 413.
 */
async function runBatch(d1: D1Database, stmts: D1PreparedStatement[]): Promise<D1Result[]> {
  try {
    return await d1.batch(stmts);
  } catch (err) {
    const text = String((err as { cause?: unknown })?.cause ?? err);
    if (/UNIQUE constraint|FOREIGN KEY constraint/i.test(text)) {
      throw new ApiError("conflict", "Another request changed the same session at the same time; retry this one.");
    }
    // INSERT_SESSIONS' rowid past the workspace's range (ingest-sql.ts NEXT_ROWID): nothing was stored.
    if (/datatype mismatch/i.test(text)) {
      throw new ApiError("payload_too_large", `This workspace has numbered ${WORKSPACE_SESSIONS_MAX.toLocaleString("en-US")} sessions, its limit; nothing was stored.`);
    }
    throw err;
  }
}

interface ResultRow {
  id: string;
  externalId: string;
  messageCount: number;
  created: number;
}

/**
 * Upserts sessions by externalId with their messages, in one D1 batch (one transaction): either every session
 * of the request is stored or none is. No read comes before the write: positions, counts and the answer are all
 * decided inside the transaction, so concurrent writers to one session all land.
 */
export async function upsertSessions(db: Db, workspaceId: string, inputs: SessionInput[], opts: IngestOptions = {}): Promise<IngestResult[]> {
  const d1 = db.$client;
  const now = opts.now ?? Date.now();
  const actor = opts.actor ?? null;
  const writeId = newId("w", now);
  const sessionsJson = jsonArrays(inputs.map((s) => JSON.stringify(sessionJson(s, newId("ses", now)))));
  const pieces = inputs.flatMap((s) => s.messages.map((m, i) => messagePiece(m, { sx: s.externalId }, i)));

  const stmts: D1PreparedStatement[] = [d1.prepare(NUMBER_WORKSPACE).bind(workspaceId)];
  const insert = d1.prepare(INSERT_SESSIONS);
  const update = d1.prepare(UPDATE_SESSIONS);
  for (const json of sessionsJson) {
    stmts.push(insert.bind(workspaceId, json, writeId, now, actor), update.bind(workspaceId, json, writeId, now, actor));
  }
  if (inputs.some((s) => s.evalTags !== undefined)) {
    for (const json of sessionsJson) stmts.push(d1.prepare(DELETE_TAGS).bind(workspaceId, json), d1.prepare(INSERT_TAGS).bind(workspaceId, json));
  }
  stmts.push(...messageStatements(d1, upsertMessagesSql("external_id"), pieces, workspaceId, writeId));
  stmts.push(d1.prepare(finishSql("external_id")).bind(workspaceId, JSON.stringify(inputs.map((s) => s.externalId)), writeId));
  const resultAt = stmts.length;
  for (const json of sessionsJson) stmts.push(d1.prepare(UPSERT_RESULT).bind(workspaceId, json));

  const results = await runBatch(d1, stmts);
  const stored = new Map<string, ResultRow>();
  for (const r of results.slice(resultAt)) for (const row of r.results as ResultRow[]) stored.set(row.externalId, row);
  return inputs.map((s) => {
    const row = stored.get(s.externalId);
    if (!row) throw new ApiError("conflict", "Another request deleted this session at the same time; retry this one.");
    return { id: row.id, externalId: row.externalId, messageCount: row.messageCount, created: row.created === 1 };
  });
}

/** Appends messages to a stored session (updating those whose externalId is already there); its new count. */
export async function appendMessages(db: Db, workspaceId: string, sessionId: string, incoming: MessageInput[], opts: IngestOptions = {}): Promise<number> {
  const d1 = db.$client;
  const writeId = newId("w", opts.now ?? Date.now());
  const pieces = incoming.map((m) => messagePiece(m, { sid: sessionId }, undefined));
  const stmts = [
    ...messageStatements(d1, upsertMessagesSql("id"), pieces, workspaceId, writeId),
    d1.prepare(finishSql("id")).bind(workspaceId, JSON.stringify([sessionId]), writeId),
    d1.prepare(APPEND_RESULT).bind(workspaceId, sessionId),
  ];
  const results = await runBatch(d1, stmts);
  const row = results[results.length - 1]!.results[0] as ResultRow | undefined;
  if (!row) throw new ApiError("not_found", "Session not found.");
  return row.messageCount;
}
