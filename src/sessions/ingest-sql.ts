/**
 * The set-based statements of one ingest, as SQL text over JSON parameters. Each statement takes a whole request's
 * sessions or messages as one JSON array (`json_each`), so a batch of 100 sessions is a handful of statements, and
 * every message position comes from the table inside the batch's transaction — never from an earlier read — so
 * concurrent writers to one session serialize in D1 and none overwrites another's rows.
 *
 * Parameters: ?1 workspace id, ?2 the JSON array, ?3 the request's write id, ?4 now (ms), ?5 the actor (reviewedBy).
 * Message statements also take ?6/?7/?8: content, tool calls and reasoning of a message too large to travel inside
 * the JSON array (it then goes alone, with those fields left out of its JSON).
 */

/** Session columns an ingest body can set: [JSON key = column name]; presence in the JSON means "set it". */
export const SESSION_INPUT_COLUMNS = [
  "title", "source", "model", "provider", "project_path", "project_name", "prompt_tokens", "completion_tokens",
  "cache_read_tokens", "cache_write_tokens", "cost", "duration_ms", "git_branch", "git_commit", "git_remote",
  "parent_external_id", "created_at", "updated_at", "eval_ready", "eval_status", "eval_notes", "eval_tags",
  "expected_output",
] as const;
export type SessionInputColumn = (typeof SESSION_INPUT_COLUMNS)[number];

/** Changing one of these is a label change: it sets reviewed_at / reviewed_by. */
const LABEL_COLUMNS: SessionInputColumn[] = ["eval_status", "eval_notes", "eval_tags", "expected_output"];

const has = (col: string) => `json_type(u.v, '$.${col}') IS NOT NULL`;
const val = (col: string) => `(u.v ->> '${col}')`;
/** The value the UPDATE leaves in `col`: the body's when it has one, else the stored one. */
const nextVal = (col: string) => `CASE WHEN ${has(col)} THEN ${val(col)} ELSE sessions.${col} END`;

/** total_tokens: the body's, else prompt + completion when the body gives either (each the body's or stored). */
function totalOf(prompt: string, completion: string, stored: string): string {
  return (
    `CASE WHEN ${has("total_tokens")} THEN ${val("total_tokens")} ` +
    `WHEN u.v ->> 'derive_total' THEN (CASE WHEN ${prompt} IS NULL AND ${completion} IS NULL THEN NULL ` +
    `ELSE coalesce(${prompt}, 0) + coalesce(${completion}, 0) END) ELSE ${stored} END`
  );
}

const DEFAULTS: Partial<Record<SessionInputColumn, string>> = {
  created_at: "?4",
  eval_ready: "0",
  eval_status: "'needs_review'",
  eval_tags: "'[]'",
};

/** Session rowids a workspace can number: k in n × 2^23 + k runs from 1 to 2^23 − 1 (migration 0008). */
export const WORKSPACE_SESSIONS_MAX = 8_388_607;

/** Gives the workspace its number (migration 0008) before its first session; a no-op ever after. */
export const NUMBER_WORKSPACE = `INSERT INTO workspace_numbers (workspace_id) VALUES (?1) ON CONFLICT DO NOTHING`;

/**
 * A new session's rowid: the next one in its workspace's range `n × 2^23 + 1 … n × 2^23 + 2^23 − 1` (migration
 * 0008), in body order. Past the range's end (or past workspace 2^20 − 1) the rowid is a text, which SQLite
 * refuses ("datatype mismatch"), so the whole batch fails rather than a session landing in another workspace's
 * range. The range's top is read inside the statement, so concurrent ingests to one workspace never collide.
 */
const NEXT_ROWID = `CASE WHEN r.lo >> 43 = 0 AND r.top + row_number() OVER (ORDER BY u.k) < r.lo + 8388608
  THEN r.top + row_number() OVER (ORDER BY u.k) ELSE 'no session number left in this workspace' END`;
const WORKSPACE_RANGE = `(SELECT w.n << 23 AS lo, coalesce((SELECT max(s.rowid) FROM sessions s
  WHERE s.rowid BETWEEN w.n << 23 AND (w.n << 23) + 8388607), w.n << 23) AS top
  FROM workspace_numbers w WHERE w.workspace_id = ?1) AS r`;

/**
 * New sessions of the request, numbered in the workspace's range (NUMBER_WORKSPACE runs first in the batch);
 * existing ones are left to the UPDATE below (ON CONFLICT DO NOTHING).
 */
export const INSERT_SESSIONS = `
INSERT INTO sessions (rowid, id, workspace_id, external_id, ${SESSION_INPUT_COLUMNS.join(", ")}, total_tokens,
  reviewed_at, reviewed_by, write_id)
SELECT ${NEXT_ROWID}, u.v ->> 'id', ?1, u.v ->> 'external_id',
  ${SESSION_INPUT_COLUMNS.map((c) => (DEFAULTS[c] ? `coalesce(${val(c)}, ${DEFAULTS[c]})` : val(c))).join(",\n  ")},
  ${totalOf(val("prompt_tokens"), val("completion_tokens"), "NULL")},
  CASE WHEN u.v ->> 'labelled' THEN ?4 END, CASE WHEN u.v ->> 'labelled' THEN ?5 END, ?3
FROM (SELECT key AS k, value AS v FROM json_each(?2)) AS u, ${WORKSPACE_RANGE} WHERE true
ON CONFLICT (workspace_id, external_id) DO NOTHING`;

/**
 * Each body's session row, found from the JSON side: CROSS JOIN keeps json_each the outer loop (SQLite would
 * otherwise scan the workspace's sessions and search the JSON for each), so a batch costs its own sessions only.
 */
const BODY_ROWS = `SELECT s.rowid AS rid, j.value AS v FROM json_each(?2) AS j
  CROSS JOIN sessions AS s ON s.workspace_id = ?1 AND s.external_id = j.value ->> 'external_id'`;

const differs = (col: string) => `(${has(col)} AND sessions.${col} IS NOT ${val(col)})`;
const totalNext = totalOf(nextVal("prompt_tokens"), nextVal("completion_tokens"), "sessions.total_tokens");
const labelsDiffer = LABEL_COLUMNS.map(differs).join(" OR ");

/**
 * The fields each body gives, written only where a value really differs, so an identical resend writes nothing
 * (its write id is not stored and the version does not move). Rows inserted just before compare equal.
 */
export const UPDATE_SESSIONS = `
WITH u AS MATERIALIZED (${BODY_ROWS})
UPDATE sessions SET
  ${SESSION_INPUT_COLUMNS.map((c) => `${c} = ${nextVal(c)}`).join(",\n  ")},
  total_tokens = ${totalNext},
  reviewed_at = CASE WHEN ${labelsDiffer} THEN ?4 ELSE sessions.reviewed_at END,
  reviewed_by = CASE WHEN ${labelsDiffer} THEN ?5 ELSE sessions.reviewed_by END,
  write_id = ?3
FROM u
WHERE sessions.rowid = u.rid
  AND (${SESSION_INPUT_COLUMNS.map(differs).join(" OR ")}
       OR sessions.total_tokens IS NOT ${totalNext})`;

/** The sessions of the request whose body carries `eval_tags`, as stored now. */
const TAGGED = `SELECT s.id AS sid, s.eval_tags AS tags, s.eval_ready AS ready, s.eval_status AS status,
  s.reviewed_at IS NOT NULL AS reviewed FROM json_each(?2) AS j
  CROSS JOIN sessions AS s ON s.workspace_id = ?1 AND s.external_id = j.value ->> 'external_id'
  WHERE json_type(j.value, '$.eval_tags') IS NOT NULL`;

/**
 * session_tags follows eval_tags of the sessions whose body set them (an index for tag filters), each row with its
 * session's eval_ready / eval_status / reviewed (the copies migration 0006's triggers check).
 */
export const DELETE_TAGS = `DELETE FROM session_tags WHERE session_id IN (SELECT sid FROM (${TAGGED}))`;
export const INSERT_TAGS = `INSERT OR IGNORE INTO session_tags (workspace_id, tag, session_id, eval_ready, eval_status, reviewed)
  SELECT ?1, t.value, g.sid, g.ready, g.status, g.reviewed FROM (${TAGGED}) AS g, json_each(g.tags) AS t`;

const MESSAGE_DATA = ["external_id", "role", "content", "tool_calls", "tool_call_id", "tool_name", "reasoning", "model",
  "prompt_tokens", "completion_tokens", "created_at"] as const;

/**
 * Upserts messages at positions decided here, inside the transaction: a message whose externalId is stored keeps
 * its row; a positional one (no externalId, `i` = its index in the body) overwrites index `i` of what was stored
 * before this request (`message_count`, which only the finishing statement moves); every other one is appended
 * after the session's current last row, in body order. `by` says how the JSON names the session.
 * A row whose values are all unchanged is not written, so it keeps its older write id.
 */
export function upsertMessagesSql(by: "external_id" | "id"): string {
  const join = by === "id" ? "s.id = j.value ->> 'sid'" : "s.external_id = j.value ->> 'sx'";
  return `
WITH inc AS (
  SELECT j.key AS k, j.value AS v, s.id AS sid, s.message_count AS stored FROM json_each(?2) AS j
  CROSS JOIN sessions AS s ON s.workspace_id = ?1 AND ${join}
), placed AS (
  SELECT inc.*,
    CASE WHEN v ->> 'x' IS NOT NULL THEN (SELECT m.seq FROM messages m WHERE m.session_id = inc.sid AND m.external_id = v ->> 'x')
         WHEN v ->> 'i' < stored THEN v ->> 'i' END AS fixed,
    (SELECT coalesce(max(m.seq) + 1, 0) FROM messages m WHERE m.session_id = inc.sid) AS next
  FROM inc
)
INSERT INTO messages (session_id, seq, workspace_id, external_id, role, content, tool_calls, tool_call_id, tool_name,
  reasoning, model, prompt_tokens, completion_tokens, created_at, bytes, write_id)
SELECT sid, coalesce(fixed, next + row_number() OVER (PARTITION BY sid, fixed IS NULL ORDER BY k) - 1), ?1,
  v ->> 'x', v ->> 'r', coalesce(v ->> 'c', ?6), coalesce(v ->> 'tc', ?7), v ->> 'ti', v ->> 'tn',
  coalesce(v ->> 're', ?8), v ->> 'm', v ->> 'pt', v ->> 'ct', v ->> 'at',
  length(CAST(coalesce(v ->> 'c', ?6) AS BLOB)) + coalesce(length(CAST(coalesce(v ->> 'tc', ?7) AS BLOB)), 0)
    + coalesce(length(CAST(coalesce(v ->> 're', ?8) AS BLOB)), 0),
  ?3
FROM placed WHERE true
ON CONFLICT (session_id, seq) DO UPDATE SET
  ${MESSAGE_DATA.map((c) => `${c} = excluded.${c}`).join(", ")}, bytes = excluded.bytes, write_id = excluded.write_id
WHERE ${MESSAGE_DATA.map((c) => `messages.${c} IS NOT excluded.${c}`).join(" OR ")}`;
}

const CHANGED = `(sessions.write_id = ?3 OR EXISTS (SELECT 1 FROM messages m WHERE m.session_id = sessions.id AND m.write_id = ?3))`;

/**
 * The last write of a request: recount messages and bytes, and bump `version` only when this request (?3) really
 * changed the session row or one of its messages, so ETags survive identical resends. ?2 lists the sessions
 * (their externalIds or ids, per `by`).
 */
export function finishSql(by: "external_id" | "id"): string {
  return `
UPDATE sessions SET
  message_count = coalesce((SELECT max(m.seq) + 1 FROM messages m WHERE m.session_id = sessions.id), 0),
  content_bytes = CASE WHEN ${CHANGED} THEN (SELECT coalesce(sum(m.bytes), 0) FROM messages m WHERE m.session_id = sessions.id) ELSE content_bytes END,
  version = version + CASE WHEN ${CHANGED} THEN 1 ELSE 0 END
WHERE workspace_id = ?1 AND ${by} IN (SELECT value FROM json_each(?2))`;
}

/** What an upsert answers, read inside its transaction: stored id and count, and whether this request created it. */
export const UPSERT_RESULT = `SELECT s.id AS id, s.external_id AS externalId, s.message_count AS messageCount,
  s.id = j.value ->> 'id' AS created
FROM json_each(?2) AS j CROSS JOIN sessions AS s ON s.workspace_id = ?1 AND s.external_id = j.value ->> 'external_id'`;

/** What an append answers: the session's count after it (no row when the session is gone). */
export const APPEND_RESULT = `SELECT s.id AS id, s.external_id AS externalId, s.message_count AS messageCount, 0 AS created
FROM sessions s WHERE s.workspace_id = ?1 AND s.id = ?2`;
