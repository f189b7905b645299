/** The hook's log (`~/.config/evalport/hook.log`): a hook has no terminal, so this is where its failures show. */
import { appendFileSync, mkdirSync, openSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** Past this size the log moves to hook.log.1 (one old copy kept), so a busy hook never fills a disk. */
const MAX_BYTES = 1024 * 1024;

/** @param {string} path */
function rotate(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && st.size > MAX_BYTES) renameSync(path, `${path}.1`);
}

/** @param {string} path @param {string} line */
export function logLine(path, line) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  rotate(path);
  appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
}

/** A descriptor to hand a detached child as its stdout/stderr. @param {string} path */
export function openLog(path) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  rotate(path);
  return openSync(path, "a", 0o600);
}
