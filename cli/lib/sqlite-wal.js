/**
 * Folds a SQLite write-ahead log into a copy of the main database file, so a WASM SQLite that only sees one
 * buffer (sql.js) reads what a running OpenCode has committed but not yet checkpointed. Pure: bytes in, bytes out.
 *
 * Frames count from the log's header salts; only frames up to the last commit frame are applied (an unfinished
 * transaction is left out, as SQLite itself would). Checksums are not verified: salts already tell the current log
 * generation from stale frames, and a torn frame past the last commit is never applied.
 */

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** @param {Uint8Array} b @param {number} o */
const u32 = (b, o) => ((b[o] ?? 0) * 0x1000000 + (((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0))) >>> 0;

/**
 * @param {Uint8Array} main  the database file (may be empty)
 * @param {Uint8Array | null} wal  the `-wal` file beside it, if any
 * @returns {Uint8Array} a database image with the committed log applied, in rollback-journal mode
 */
export function applyWal(main, wal) {
  if (!wal || wal.length < WAL_HEADER) return main;
  const magic = u32(wal, 0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return main;
  const pageSize = u32(wal, 8) === 1 ? 65536 : u32(wal, 8);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return main;
  const salt1 = u32(wal, 16);
  const salt2 = u32(wal, 20);

  /** @type {Map<number, number>} page number → offset of its content in the log */
  const committed = new Map();
  /** @type {Map<number, number>} */
  const pending = new Map();
  let dbPages = 0;
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
    if (u32(wal, off + 8) !== salt1 || u32(wal, off + 12) !== salt2) break;
    const pgno = u32(wal, off);
    if (pgno === 0) break;
    pending.set(pgno, off + FRAME_HEADER);
    const commitSize = u32(wal, off + 4);
    if (commitSize > 0) {
      for (const [p, o] of pending) committed.set(p, o);
      pending.clear();
      dbPages = commitSize;
    }
  }
  if (dbPages === 0) return main;

  const out = new Uint8Array(dbPages * pageSize);
  out.set(main.subarray(0, Math.min(main.length, out.length)));
  for (const [pgno, o] of committed) {
    if (pgno <= dbPages) out.set(wal.subarray(o, o + pageSize), (pgno - 1) * pageSize);
  }
  // File format read/write versions 2 mean "WAL": set them to 1 so the reader does not look for a log it lacks.
  out[18] = 1;
  out[19] = 1;
  return out;
}
