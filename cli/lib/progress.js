/**
 * Progress on stderr (stdout is for the summary): a live bar on a terminal (files, sessions, MB, rate, ETA),
 * plain lines otherwise (CI logs, the hook's log file), so piping never fills a log with bar redraws.
 */
import cliProgress from "cli-progress";
import { mb } from "./summary.js";

/**
 * @typedef {object} Progress
 * @property {(files: number, bytes: number) => void} start
 * @property {(e: { label: string, bytes: number, sessions: number, created: number, error?: string }) => void} done
 * @property {(label: string, info: { attempt: number, waitMs: number, reason: string }) => void} retry
 * @property {(line: string) => void} note
 * @property {() => void} stop
 */

/**
 * @param {{ stream?: NodeJS.WriteStream | import("node:stream").Writable, tty?: boolean, quiet?: boolean }} [options]
 * @returns {Progress}
 */
export function createProgress(options = {}) {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? /** @type {NodeJS.WriteStream} */ (stream).isTTY === true;
  const started = Date.now();
  let bytesDone = 0;
  let sessions = 0;
  let files = 0;
  /** @param {string} line */
  const write = (line) => {
    if (!options.quiet) stream.write(line + "\n");
  };

  if (!tty || options.quiet) {
    return {
      start: (n, bytes) => write(`evalport: sending ${n} transcript${n === 1 ? "" : "s"} (${mb(bytes)} MB)`),
      done: (e) => {
        files++;
        if (e.error) write(`failed   ${e.label}: ${e.error}`);
        else write(`imported ${e.label} (${e.sessions} session${e.sessions === 1 ? "" : "s"}, ${e.created} new)`);
      },
      retry: (label, i) => write(`retrying ${label} in ${(i.waitMs / 1000).toFixed(1)} s (${i.reason}, try ${i.attempt + 1})`),
      note: write,
      stop: () => {},
    };
  }

  const bar = new cliProgress.SingleBar(
    {
      stream: /** @type {NodeJS.WritableStream} */ (stream),
      format: " {bar} {value}/{total} files | {sessions} sessions | {mbDone}/{mbTotal} MB | {rate} MB/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  let totalBytes = 0;
  /** A line above the bar: clear the bar's line, write, let the bar draw itself again. @param {string} line */
  const above = (line) => {
    stream.write(`\r\x1b[2K${line}\n`);
    if (bar.isActive) bar.render();
  };
  const payload = () => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    return { sessions, mbDone: mb(bytesDone), mbTotal: mb(totalBytes), rate: (bytesDone / 1e6 / secs).toFixed(2) };
  };
  return {
    start: (n, bytes) => {
      totalBytes = bytes;
      bar.start(n, 0, payload());
    },
    done: (e) => {
      files++;
      bytesDone += e.bytes;
      sessions += e.sessions;
      if (e.error) above(`failed ${e.label}: ${e.error}`);
      bar.update(files, payload());
    },
    retry: () => {},
    note: above,
    stop: () => bar.stop(),
  };
}
