/**
 * The incremental state (`state.json`): per transcript its size, mtime, content hash and the server's session ids,
 * so a second run sends only new or grown transcripts. Written atomically (temp file + rename) while a run goes
 * (at most once a second, and at the end or on Ctrl-C), merged with what is on disk at that moment so two runs at
 * once (a hook and a manual import) keep each other's entries.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * @typedef {object} FileState
 * @property {number} size
 * @property {number} mtimeMs
 * @property {string} hash       sha256 of the bytes sent, hex
 * @property {string} tool
 * @property {number} importedAt
 * @property {{ id: string, externalId: string, messageCount: number }[]} sessions
 */

/**
 * @typedef {object} LastImport
 * @property {number} at
 * @property {boolean} ok
 * @property {number} filesSent
 * @property {number} filesFailed
 * @property {number} sessions
 */

/**
 * @typedef {object} State
 * @property {1} version
 * @property {Record<string, FileState>} files
 * @property {Record<string, { size: number, mtimeMs: number, count: number }>} groups
 * @property {LastImport} [lastImport]
 */

/** @returns {State} */
const empty = () => ({ version: 1, files: {}, groups: {} });

/** @param {string} path @returns {State} */
export function readState(path) {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    if (parsed && parsed.version === 1 && parsed.files && typeof parsed.files === "object") {
      return { version: 1, files: parsed.files, groups: parsed.groups ?? {}, ...(parsed.lastImport ? { lastImport: parsed.lastImport } : {}) };
    }
  } catch {
    // Missing or unreadable: start over. The server dedupes, so re-sending costs time, never data.
  }
  return empty();
}

/** @param {string} path @param {State} state */
function writeAtomically(path, state) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * @param {string} path
 * @param {{ throttleMs?: number }} [options]
 */
export function openState(path, options = {}) {
  const throttleMs = options.throttleMs ?? 1000;
  const state = readState(path);
  /** @type {Map<string, FileState>} */
  const dirtyFiles = new Map();
  /** @type {Map<string, { size: number, mtimeMs: number, count: number }>} */
  const dirtyGroups = new Map();
  /** @type {LastImport | undefined} */
  let dirtyLast;
  let lastWrite = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (dirtyFiles.size === 0 && dirtyGroups.size === 0 && !dirtyLast) return;
    const disk = readState(path);
    for (const [k, v] of dirtyFiles) disk.files[k] = v;
    for (const [k, v] of dirtyGroups) disk.groups[k] = v;
    if (dirtyLast) disk.lastImport = dirtyLast;
    writeAtomically(path, disk);
    dirtyFiles.clear();
    dirtyGroups.clear();
    dirtyLast = undefined;
    lastWrite = Date.now();
  };

  const schedule = () => {
    if (timer) return;
    const wait = Math.max(0, lastWrite + throttleMs - Date.now());
    timer = setTimeout(flush, wait);
    timer.unref();
  };

  return {
    state,
    /** @param {string} key */
    get: (key) => state.files[key],
    /** @param {string} key @param {FileState} entry */
    set(key, entry) {
      state.files[key] = entry;
      dirtyFiles.set(key, entry);
      schedule();
    },
    /** @param {string} key @param {{ size: number, mtimeMs: number, count: number }} entry */
    setGroup(key, entry) {
      state.groups[key] = entry;
      dirtyGroups.set(key, entry);
      schedule();
    },
    /** @param {LastImport} last */
    setLastImport(last) {
      state.lastImport = last;
      dirtyLast = last;
      schedule();
    },
    /** Writes now (end of run, Ctrl-C). */
    flush,
  };
}

/** @typedef {ReturnType<typeof openState>} StateStore */
