/**
 * Finds transcripts: the standard places under $HOME when no paths are given (Claude Code's projects, Codex's
 * rollouts, OpenCode's JSON storage and SQLite database), or the files and folders named on the command line.
 * Each transcript becomes an Item with a fingerprint (size, mtime) the state file compares, and a `load` that reads
 * its bytes only when it has to be sent.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { claudeDir, codexDir, homeDir, opencodeDataDir } from "./paths.js";
import { detectTool } from "./detect.js";
import { databaseSessions, storageSessions } from "./opencode.js";

/** @typedef {import("./detect.js").Tool} Tool */

/**
 * @typedef {object} Item
 * @property {string} key        the state file's key: an absolute path, or `<db path>#<session id>`
 * @property {string} label      what logs show (~ for the home directory)
 * @property {Tool} tool
 * @property {number} size
 * @property {number} mtimeMs
 * @property {() => Promise<Buffer>} load
 * @property {string} [group]    the OpenCode database the item comes from
 */

/**
 * @typedef {object} Group   an OpenCode database: skipped whole, unopened, when its files did not change since a run
 * that imported all of it
 * @property {string} key
 * @property {number} size
 * @property {number} mtimeMs
 * @property {boolean} unchanged
 * @property {number} count     its sessions (from the state when unchanged)
 */

/**
 * @typedef {object} Discovery
 * @property {Item[]} items
 * @property {Group[]} groups
 * @property {{ path: string, reason: string }[]} problems
 */

/**
 * @typedef {object} DiscoverOptions
 * @property {import("./paths.js").Env} env
 * @property {string[]} paths          empty: the standard places
 * @property {Tool | undefined} tool   only this tool (and the format for every named path)
 * @property {number | undefined} since  only transcripts changed at or after this time (ms)
 * @property {(key: string, size: number, mtimeMs: number) => number | null} unchangedGroup
 *   how many sessions a database had when it was last imported whole with this fingerprint, else null
 */

/** @param {string} dir @param {(name: string, path: string) => boolean} keep @param {string[]} out */
function walk(dir, keep, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Files before folders: a Claude Code session (`<id>.jsonl`) goes before its subagents (`<id>/subagents/…`).
  for (const e of sorted) if (e.isFile() && keep(e.name, join(dir, e.name))) out.push(join(dir, e.name));
  for (const e of sorted) if (e.isDirectory()) walk(join(dir, e.name), keep, out);
  return out;
}

/** @param {string} path */
function head(path) {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** @param {string} dir */
const isDir = (dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;

/** @param {DiscoverOptions} o @returns {Promise<Discovery>} */
export async function discover(o) {
  const home = homeDir(o.env);
  const label = (/** @type {string} */ p) => (p.startsWith(home + "/") ? `~${p.slice(home.length)}` : p);
  /** @type {Item[]} */
  const items = [];
  /** @type {Group[]} */
  const groups = [];
  /** @type {Discovery["problems"]} */
  const problems = [];
  /** OpenCode session ids already found in a database: the same session in the older storage is its stale copy. */
  const dbSessionIds = new Set();
  /** @type {import("./opencode.js").Source[]} */
  const storageSources = [];
  const seen = new Set();

  /** @param {string} path @param {Tool} tool */
  const addFile = (path, tool) => {
    if (seen.has(path)) return;
    seen.add(path);
    const st = statSync(path);
    items.push({ key: path, label: label(path), tool, size: st.size, mtimeMs: st.mtimeMs, load: async () => readFileSync(path) });
  };

  /** @param {string} dbPath */
  const addDatabase = async (dbPath) => {
    if (seen.has(dbPath)) return;
    seen.add(dbPath);
    const st = statSync(dbPath);
    const wal = statSync(`${dbPath}-wal`, { throwIfNoEntry: false });
    const size = st.size + (wal?.size ?? 0);
    const mtimeMs = Math.max(st.mtimeMs, wal?.mtimeMs ?? 0);
    const known = o.unchangedGroup(dbPath, size, mtimeMs);
    if (known !== null) {
      groups.push({ key: dbPath, size, mtimeMs, unchanged: true, count: known });
      return;
    }
    let sources;
    try {
      sources = await databaseSessions(dbPath);
    } catch (err) {
      problems.push({ path: label(dbPath), reason: `cannot read the OpenCode database: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    groups.push({ key: dbPath, size, mtimeMs, unchanged: false, count: sources.length });
    for (const s of sources) {
      dbSessionIds.add(s.sessionId);
      items.push({ key: s.key, label: `${label(dbPath)}#${s.sessionId}`, tool: "opencode", size: s.size, mtimeMs: s.mtimeMs, load: async () => s.build(), group: dbPath });
    }
  };

  /** @param {string} storageDir */
  const addStorage = (storageDir) => {
    if (seen.has(storageDir)) return;
    seen.add(storageDir);
    storageSources.push(...storageSessions(storageDir));
  };

  const want = (/** @type {Tool} */ t) => o.tool === undefined || o.tool === t;

  if (o.paths.length === 0) {
    if (want("claude-code")) for (const p of walk(join(claudeDir(o.env), "projects"), (n) => n.endsWith(".jsonl"), [])) addFile(p, "claude-code");
    if (want("codex")) {
      for (const sub of ["sessions", "archived_sessions"]) {
        for (const p of walk(join(codexDir(o.env), sub), (n) => n.startsWith("rollout-") && n.endsWith(".jsonl"), [])) addFile(p, "codex");
      }
    }
    if (want("opencode")) {
      const data = opencodeDataDir(o.env);
      /** @type {string[]} */
      let names = [];
      try {
        names = readdirSync(data).sort();
      } catch {
        // OpenCode not installed
      }
      for (const n of names) if (/^opencode.*\.db$/.test(n)) await addDatabase(join(data, n));
      if (isDir(join(data, "storage", "session"))) addStorage(join(data, "storage"));
    }
  } else {
    for (const raw of o.paths) {
      const path = resolve(raw);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) {
        problems.push({ path: raw, reason: "no such file or directory" });
        continue;
      }
      if (st.isDirectory()) {
        if (isDir(join(path, "session")) && isDir(join(path, "message"))) {
          if (want("opencode")) addStorage(path);
          continue;
        }
        if (isDir(join(path, "storage", "session")) && want("opencode")) addStorage(join(path, "storage"));
        const files = walk(path, (n, p) => n.endsWith(".jsonl") || /^opencode.*\.db$/.test(n) || (n.endsWith(".json") && o.tool === "opencode" && !p.includes("/storage/")), []);
        for (const f of files) await addNamed(f, false);
        continue;
      }
      await addNamed(path, true);
    }
  }

  /** @param {string} path @param {boolean} named */
  async function addNamed(path, named) {
    if (path.endsWith(".db")) {
      if (want("opencode")) await addDatabase(path);
      return;
    }
    let tool = o.tool;
    if (!tool) {
      try {
        tool = detectTool(path, head(path)) ?? undefined;
      } catch (err) {
        problems.push({ path: label(path), reason: `cannot read it: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
    }
    if (!tool) {
      if (named || !basename(path).startsWith(".")) problems.push({ path: label(path), reason: "cannot tell which tool wrote it; pass --tool claude-code|codex|opencode" });
      return;
    }
    addFile(path, tool);
  }

  for (const s of storageSources) {
    if (dbSessionIds.has(s.sessionId)) continue;
    items.push({ key: s.key, label: label(s.key), tool: "opencode", size: s.size, mtimeMs: s.mtimeMs, load: async () => s.build() });
  }

  const since = o.since;
  return { items: since === undefined ? items : items.filter((i) => i.mtimeMs >= since), groups, problems };
}
