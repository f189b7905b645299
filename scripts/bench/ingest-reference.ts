/**
 * The ingest reference: sqlite3 parsing the same sessions from JSON and inserting them, with every index and
 * trigger of the real schema (all migrations applied to an empty database), in one transaction. Also the CPU time
 * workerd spent while the API ingested them, read from /proc.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/local";
import { createGenerator } from "./data";

export interface InsertReference {
  available: boolean;
  seconds: number | null;
  secondsAllRuns: number[];
  jsonBytes: number;
}

const sql = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** An empty database with the project's schema, built once from migrations/*.sql. */
function schemaDb(sqliteBin: string, dir: string): string {
  const file = join(dir, "schema.sqlite");
  rmSync(file, { force: true });
  const migrations = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).sort();
  const text = migrations.map((f) => readFileSync(join(ROOT, "migrations", f), "utf8").replaceAll("--> statement-breakpoint", "")).join(";\n");
  const r = spawnSync(sqliteBin, [file], { input: text, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sqlite3 could not build the schema: ${r.stderr}`);
  return file;
}

/**
 * Times sqlite3 storing `sessions` × `messages` generated exactly as the bench's load does (same seed), read from
 * one JSON file of the request bodies' sessions: sessions, their tags and their messages, in one transaction.
 */
export function timeSqliteInsert(o: {
  sqliteBin: string | null;
  outDir: string;
  sessions: number;
  messages: number;
  readyFraction: number;
  seed: number;
  baseTime: number;
  workspaceTag: string;
  runs: number;
}): InsertReference {
  if (!o.sqliteBin) return { available: false, seconds: null, secondsAllRuns: [], jsonBytes: 0 };
  const dir = join(o.outDir, "ingest-reference");
  mkdirSync(dir, { recursive: true });
  const session = createGenerator({ messages: o.messages, readyFraction: o.readyFraction, seed: o.seed, baseTime: o.baseTime });
  const list = Array.from({ length: o.sessions }, (_, i) => session(i, o.workspaceTag));
  const jsonFile = join(dir, "sessions.json");
  const json = JSON.stringify(list);
  writeFileSync(jsonFile, json);
  const schema = schemaDb(o.sqliteBin, dir);
  const ws = sql(o.workspaceTag);
  const script = `
.bail on
CREATE TEMP TABLE src AS SELECT readfile(${sql(jsonFile)}) AS j;
BEGIN;
INSERT INTO sessions (id, workspace_id, external_id, title, source, model, provider, project_path, project_name,
  prompt_tokens, completion_tokens, total_tokens, cost, duration_ms, created_at, updated_at, eval_ready, eval_status,
  eval_notes, eval_tags, expected_output, message_count, version, write_id)
SELECT printf('ses_%026d', s.key), ${ws}, v ->> 'externalId', v ->> 'title', v ->> 'source', v ->> 'model', v ->> 'provider',
  v ->> 'projectPath', v ->> 'projectName', v ->> 'promptTokens', v ->> 'completionTokens',
  (v ->> 'promptTokens') + (v ->> 'completionTokens'), v ->> 'cost', v ->> 'durationMs', v ->> 'createdAt', v ->> 'updatedAt',
  v ->> 'evalReady', v ->> 'evalStatus', v ->> 'evalNotes', json(v -> 'evalTags'), v ->> 'expectedOutput',
  json_array_length(v -> 'messages'), 1, 'w'
FROM (SELECT key, value AS v FROM json_each((SELECT j FROM src))) AS s;
INSERT INTO session_tags (workspace_id, tag, session_id)
SELECT ${ws}, t.value, printf('ses_%026d', s.key) FROM json_each((SELECT j FROM src)) s, json_each(s.value -> 'evalTags') t;
INSERT INTO messages (session_id, seq, workspace_id, external_id, role, content, tool_calls, tool_call_id, tool_name,
  created_at, bytes, write_id)
SELECT printf('ses_%026d', s.key), m.key, ${ws}, m.value ->> 'externalId', m.value ->> 'role', m.value ->> 'content',
  json(m.value -> 'toolCalls'), m.value ->> 'toolCallId', m.value ->> 'toolName', m.value ->> 'createdAt',
  length(CAST(m.value ->> 'content' AS BLOB)), 'w'
FROM json_each((SELECT j FROM src)) s, json_each(s.value -> 'messages') m;
UPDATE sessions SET content_bytes = (SELECT coalesce(sum(bytes), 0) FROM messages WHERE session_id = sessions.id);
COMMIT;
`;
  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const db = join(dir, `run-${i}.sqlite`);
    copyFileSync(schema, db);
    const t0 = performance.now();
    const r = spawnSync(o.sqliteBin, [db], { input: script, encoding: "utf8" });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`sqlite3 insert reference failed: ${r.stderr}`);
    rmSync(db, { force: true });
  }
  rmSync(jsonFile, { force: true });
  return { available: true, seconds: Math.min(...times), secondsAllRuns: times, jsonBytes: Buffer.byteLength(json) };
}

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return 0;
  }
}
