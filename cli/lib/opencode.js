/**
 * OpenCode keeps a session in pieces: its older JSON storage (`storage/session/<project>/<id>.json`,
 * `storage/message/<session>/<id>.json`, `storage/part/<message>/<id>.json`) and its newer SQLite database
 * (`opencode.db`: tables `session`, `message`, `part`, the last two with a `data` JSON column). Both are rebuilt
 * here into the one document the import route takes: `{info, messages: [{info, parts}]}`. The database is read with
 * sql.js (WASM), never a native module.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { applyWal } from "./sqlite-wal.js";

/**
 * @typedef {object} Source   one OpenCode session, ready to fingerprint and, when needed, to build
 * @property {string} key          for the state file: the session file's path, or `<db path>#<session id>`
 * @property {string} sessionId
 * @property {number} size         bytes of every record the session is built from
 * @property {number} mtimeMs      the latest change among them
 * @property {() => Buffer} build  the import document
 */

/** @param {string} dir @returns {string[]} */
const list = (dir) => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

/** @param {string} path @returns {Record<string, unknown> | null} */
const readJson = (path) => {
  try {
    const v = JSON.parse(readFileSync(path, "utf8"));
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
};

/** @param {Record<string, unknown>} info */
const createdOf = (info) => {
  const t = /** @type {{ created?: unknown } | undefined} */ (info.time);
  return typeof t?.created === "number" ? t.created : 0;
};

/**
 * Sessions of an OpenCode JSON storage tree (`…/opencode/storage`). Parts live in a folder per message; an older
 * flat layout (`part/<id>.json` naming its `messageID`) is read too.
 * @param {string} storageDir
 * @returns {Source[]}
 */
export function storageSessions(storageDir) {
  /** @type {Map<string, { path: string, size: number, mtimeMs: number }[]>} */
  const flatParts = new Map();
  const partRoot = join(storageDir, "part");
  for (const name of list(partRoot)) {
    const path = join(partRoot, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || !name.endsWith(".json")) continue;
    const messageID = readJson(path)?.messageID;
    if (typeof messageID !== "string") continue;
    const arr = flatParts.get(messageID) ?? [];
    arr.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    flatParts.set(messageID, arr);
  }

  /** @type {Source[]} */
  const out = [];
  const sessionRoot = join(storageDir, "session");
  for (const project of list(sessionRoot)) {
    for (const name of list(join(sessionRoot, project))) {
      if (!name.endsWith(".json")) continue;
      const sessionPath = join(sessionRoot, project, name);
      const info = readJson(sessionPath);
      if (!info || typeof info.id !== "string") continue;
      const sessionId = info.id;
      const sst = statSync(sessionPath);
      let size = sst.size;
      let mtimeMs = sst.mtimeMs;
      /** @type {{ info: Record<string, unknown>, parts: { path: string }[] }[]} */
      const messages = [];
      const messageDir = join(storageDir, "message", sessionId);
      for (const m of list(messageDir)) {
        const mpath = join(messageDir, m);
        const minfo = m.endsWith(".json") ? readJson(mpath) : null;
        if (!minfo || typeof minfo.id !== "string") continue;
        const mst = statSync(mpath);
        size += mst.size;
        mtimeMs = Math.max(mtimeMs, mst.mtimeMs);
        /** @type {{ path: string }[]} */
        const parts = [];
        const pdir = join(partRoot, minfo.id);
        for (const p of list(pdir)) {
          if (!p.endsWith(".json")) continue;
          const ppath = join(pdir, p);
          const pst = statSync(ppath, { throwIfNoEntry: false });
          if (!pst?.isFile()) continue;
          size += pst.size;
          mtimeMs = Math.max(mtimeMs, pst.mtimeMs);
          parts.push({ path: ppath });
        }
        for (const fp of flatParts.get(minfo.id) ?? []) {
          size += fp.size;
          mtimeMs = Math.max(mtimeMs, fp.mtimeMs);
          parts.push({ path: fp.path });
        }
        messages.push({ info: minfo, parts });
      }
      out.push({
        key: sessionPath,
        sessionId,
        size,
        mtimeMs,
        build: () => {
          const ordered = [...messages].sort((a, b) => createdOf(a.info) - createdOf(b.info) || String(a.info.id).localeCompare(String(b.info.id)));
          const doc = {
            info,
            messages: ordered.map((m) => ({
              info: m.info,
              parts: m.parts
                .map((p) => readJson(p.path))
                .filter((p) => p !== null)
                .sort((a, b) => String(a.id ?? "").localeCompare(String(b.id ?? ""))),
            })),
          };
          return Buffer.from(JSON.stringify(doc));
        },
      });
    }
  }
  return out;
}

/** @type {Promise<import("sql.js").SqlJsStatic> | undefined} */
let sqlJs;
const loadSqlJs = () => {
  if (!sqlJs) {
    const require = createRequire(import.meta.url);
    const init = /** @type {typeof import("sql.js").default} */ (require("sql.js"));
    sqlJs = init();
  }
  return sqlJs;
};

/**
 * @param {import("sql.js").Database} db
 * @param {string} sql
 * @param {import("sql.js").BindParams} [params]
 * @returns {Record<string, unknown>[]}
 */
function rows(db, sql, params) {
  const stmt = db.prepare(sql);
  try {
    if (params) stmt.bind(params);
    /** @type {Record<string, unknown>[]} */
    const out = [];
    while (stmt.step()) out.push(stmt.getAsObject());
    return out;
  } finally {
    stmt.free();
  }
}

/** @param {unknown} text */
const parseData = (text) => {
  try {
    const v = JSON.parse(String(text));
    return v && typeof v === "object" ? /** @type {Record<string, unknown>} */ (v) : {};
  } catch {
    return {};
  }
};

/**
 * The session row as OpenCode's own Session.Info (the shape its JSON storage and export use); columns a given
 * OpenCode version lacks are simply left out.
 * @param {Record<string, unknown>} r
 */
function sessionInfo(r) {
  /** @type {Record<string, unknown>} */
  const info = { id: r.id, projectID: r.project_id, directory: r.directory, title: r.title, version: r.version };
  if (r.slug != null) info.slug = r.slug;
  if (r.parent_id != null) info.parentID = r.parent_id;
  if (r.workspace_id != null) info.workspaceID = r.workspace_id;
  info.time = { created: r.time_created, updated: r.time_updated, ...(r.time_archived != null ? { archived: r.time_archived } : {}) };
  if (r.summary_additions != null || r.summary_files != null) {
    info.summary = { additions: r.summary_additions ?? 0, deletions: r.summary_deletions ?? 0, files: r.summary_files ?? 0 };
  }
  if (r.share_url != null) info.share = { url: r.share_url };
  return info;
}

/**
 * Sessions of an OpenCode SQLite database (and its `-wal`, so what a running OpenCode just wrote is seen too).
 * @param {string} dbPath
 * @returns {Promise<Source[]>}
 */
export async function databaseSessions(dbPath) {
  const SQL = await loadSqlJs();
  let wal = null;
  try {
    wal = readFileSync(`${dbPath}-wal`);
  } catch {
    // no log: everything is in the main file
  }
  const db = new SQL.Database(applyWal(readFileSync(dbPath), wal));
  const tables = new Set(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name)));
  if (!tables.has("session") || !tables.has("message")) {
    db.close();
    return [];
  }
  const hasParts = tables.has("part");
  /** @type {Map<string, { n: number, bytes: number, updated: number }>} */
  const stats = new Map();
  const add = (/** @type {Record<string, unknown>[]} */ list) => {
    for (const r of list) {
      const s = stats.get(String(r.sid)) ?? { n: 0, bytes: 0, updated: 0 };
      s.n += Number(r.n);
      s.bytes += Number(r.bytes ?? 0);
      s.updated = Math.max(s.updated, Number(r.updated ?? 0));
      stats.set(String(r.sid), s);
    }
  };
  add(rows(db, "SELECT session_id AS sid, count(*) AS n, sum(length(data)) AS bytes, max(time_updated) AS updated FROM message GROUP BY session_id"));
  if (hasParts) add(rows(db, "SELECT session_id AS sid, count(*) AS n, sum(length(data)) AS bytes, max(time_updated) AS updated FROM part GROUP BY session_id"));

  return rows(db, "SELECT * FROM session ORDER BY time_created, id").map((r) => {
    const sessionId = String(r.id);
    const s = stats.get(sessionId) ?? { n: 0, bytes: 0, updated: 0 };
    const info = sessionInfo(r);
    return {
      key: `${dbPath}#${sessionId}`,
      sessionId,
      // Row count in the size too: a deleted and an added part of equal length still change the fingerprint.
      size: s.bytes + s.n + JSON.stringify(info).length,
      mtimeMs: Math.max(Number(r.time_updated ?? 0), s.updated),
      build: () => {
        const messages = rows(db, "SELECT id, data FROM message WHERE session_id = ? ORDER BY time_created, id", [sessionId]);
        /** @type {Map<string, Record<string, unknown>[]>} */
        const partsBy = new Map();
        if (hasParts) {
          for (const p of rows(db, "SELECT id, message_id, data FROM part WHERE session_id = ? ORDER BY message_id, id", [sessionId])) {
            const mid = String(p.message_id);
            const arr = partsBy.get(mid) ?? [];
            arr.push({ ...parseData(p.data), id: p.id, sessionID: sessionId, messageID: mid });
            partsBy.set(mid, arr);
          }
        }
        const doc = {
          info,
          messages: messages.map((m) => ({
            info: { ...parseData(m.data), id: m.id, sessionID: sessionId },
            parts: partsBy.get(String(m.id)) ?? [],
          })),
        };
        return Buffer.from(JSON.stringify(doc));
      },
    };
  });
}
