/**
 * One export measured end to end: time to headers and to first byte, total time, bytes (wire and decoded),
 * workerd RSS above idle while it ran, and the Worker's own export log line (queries, D1 rows read).
 */
import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { streamToNull, type StreamResult } from "./http";
import { idleRss, resetPeak, rssBytes, startSampler } from "./rss";
import { workerdProcesses, type BenchServer } from "./server";

export interface ProcessMemory {
  pid: number;
  role: "runtime" | "proxy";
  idle: number;
  /** Highest sampled VmRSS during the export. */
  peakSampled: number;
  /** Kernel high-water mark over the export (0 when it could not be reset). */
  peakHwm: number;
  /** peakSampled − idle. */
  aboveIdle: number;
  /** max(peakSampled, peakHwm) − idle: what sampling every 20 ms might have missed included. */
  aboveIdleHwm: number;
}

export interface ExportRun {
  status: number;
  requestId: string | null;
  sessions: number;
  contentEncoding: string | null;
  headersMs: number;
  ttfbMs: number;
  totalMs: number;
  wireBytes: number;
  decodedBytes: number;
  aborted: boolean;
  memory: ProcessMemory[];
  /** Sum over the workerd processes, sampled at the same instants, minus their summed idle. */
  allWorkerdAboveIdle: number;
  samples: number;
  /** A workerd process was replaced during the run (its RSS figures are then meaningless). */
  restarted: boolean;
  log: { queries: number; rowsRead: number; ms: number; outcome: string } | null;
}

export interface ExportFigures {
  label: string;
  workspace: string;
  format: string;
  acceptEncoding: string;
  contentEncoding: string | null;
  /** The figures below come from the fastest run; memory is the highest of all runs. */
  runs: number;
  sessions: number;
  messagesPerSession: number;
  headersMs: number;
  ttfbMs: number;
  totalMs: number;
  totalMsAllRuns: number[];
  wireBytes: number;
  decodedBytes: number;
  mbPerSec: number;
  sessionsPerSec: number;
  runtimeIdleMb: number;
  runtimePeakAboveIdleMb: number;
  runtimePeakAboveIdleHwmMb: number;
  /** The runtime's peak above idle in each run, in run order (their spread is the noise band). */
  runtimeAboveIdleRunsMb: number[];
  proxyPeakAboveIdleMb: number | null;
  allWorkerdPeakAboveIdleMb: number;
  rssSamples: number;
  /** Runs during which a workerd process was replaced. */
  restartedRuns: number;
  queries: number | null;
  rowsRead: number | null;
  rowsPerSession: number | null;
  workerMs: number | null;
  outcome: string | null;
}

const MB = 1024 * 1024;

async function runOnce(server: BenchServer, key: string, query: string, acceptEncoding: string): Promise<ExportRun> {
  const procs = workerdProcesses(server.pid);
  if (procs.length === 0) throw new Error("no workerd process found under wrangler dev");
  const idle: number[] = [];
  for (const p of procs) idle.push(await idleRss(p.pid));
  const hwmOk = procs.map((p) => resetPeak(p.pid));
  const sampler = startSampler(procs.map((p) => p.pid));
  let res: StreamResult;
  try {
    res = await streamToNull(server.base, `/api/export?${query}`, {
      authorization: `Bearer ${key}`,
      "accept-encoding": acceptEncoding,
    });
  } catch (err) {
    await sampler.stop();
    throw err;
  }
  const peaks = await sampler.stop();
  const pidsAfter = workerdProcesses(server.pid).map((p) => p.pid);
  const restarted = pidsAfter.length !== procs.length || procs.some((p, i) => p.pid !== pidsAfter[i]);
  const memory: ProcessMemory[] = procs.map((p, i) => {
    const peakHwm = hwmOk[i] ? rssBytes(p.pid, "VmHWM") : 0;
    return {
      pid: p.pid,
      role: p.role,
      idle: idle[i]!,
      peakSampled: peaks.peak[i]!,
      peakHwm,
      aboveIdle: Math.max(0, peaks.peak[i]! - idle[i]!),
      aboveIdleHwm: Math.max(0, Math.max(peaks.peak[i]!, peakHwm) - idle[i]!),
    };
  });
  const requestId = (res.headers["x-request-id"] as string | undefined) ?? null;
  const log = requestId ? await server.waitForExportLog(requestId) : undefined;
  if (res.status !== 200) throw new Error(`GET /api/export?${query} answered ${res.status}`);
  return {
    status: res.status,
    requestId,
    sessions: Number(res.headers["x-export-sessions"] ?? NaN),
    contentEncoding: res.contentEncoding,
    headersMs: res.headersMs,
    ttfbMs: res.ttfbMs,
    totalMs: res.totalMs,
    wireBytes: res.wireBytes,
    decodedBytes: res.decodedBytes,
    aborted: res.aborted,
    memory,
    allWorkerdAboveIdle: Math.max(0, peaks.peakSum - idle.reduce((a, b) => a + b, 0)),
    samples: peaks.samples,
    restarted,
    log: log ? { queries: log.queries, rowsRead: log.rowsRead, ms: log.ms, outcome: log.outcome } : null,
  };
}

export interface MeasureOptions {
  server: BenchServer;
  key: string;
  label: string;
  workspace: string;
  format: string;
  acceptEncoding: string;
  runs: number;
  messagesPerSession: number;
  /** `redact` query parameter; absent = the default (secrets). */
  redact?: string;
}

export async function measureExport(o: MeasureOptions): Promise<ExportFigures> {
  const runs: ExportRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    const run = await runOnce(o.server, o.key, `format=${encodeURIComponent(o.format)}${o.redact !== undefined ? `&redact=${encodeURIComponent(o.redact)}` : ""}`, o.acceptEncoding);
    if (run.aborted) throw new Error(`export ${o.label} ${o.format}: the transfer was aborted (see the Worker log)`);
    runs.push(run);
  }
  const best = runs.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  const role = (r: ExportRun, which: "runtime" | "proxy") => r.memory.find((m) => m.role === which);
  const maxOf = (f: (r: ExportRun) => number | undefined) => Math.max(...runs.map((r) => f(r) ?? 0));
  const hasProxy = runs.some((r) => role(r, "proxy"));
  const sessions = best.sessions;
  const rows = best.log?.rowsRead ?? null;
  return {
    label: o.label,
    workspace: o.workspace,
    format: o.format,
    acceptEncoding: o.acceptEncoding,
    contentEncoding: best.contentEncoding,
    runs: runs.length,
    sessions,
    messagesPerSession: o.messagesPerSession,
    headersMs: best.headersMs,
    ttfbMs: best.ttfbMs,
    totalMs: best.totalMs,
    totalMsAllRuns: runs.map((r) => r.totalMs),
    wireBytes: best.wireBytes,
    decodedBytes: best.decodedBytes,
    mbPerSec: best.decodedBytes / 1e6 / (best.totalMs / 1000),
    sessionsPerSec: sessions / (best.totalMs / 1000),
    runtimeIdleMb: (role(best, "runtime")?.idle ?? 0) / MB,
    runtimePeakAboveIdleMb: maxOf((r) => role(r, "runtime")?.aboveIdle) / MB,
    runtimePeakAboveIdleHwmMb: maxOf((r) => role(r, "runtime")?.aboveIdleHwm) / MB,
    runtimeAboveIdleRunsMb: runs.map((r) => (role(r, "runtime")?.aboveIdle ?? 0) / MB),
    proxyPeakAboveIdleMb: hasProxy ? maxOf((r) => role(r, "proxy")?.aboveIdle) / MB : null,
    allWorkerdPeakAboveIdleMb: maxOf((r) => r.allWorkerdAboveIdle) / MB,
    rssSamples: best.samples,
    restartedRuns: runs.filter((r) => r.restarted).length,
    queries: best.log?.queries ?? null,
    rowsRead: rows,
    rowsPerSession: rows !== null && sessions > 0 ? rows / sessions : null,
    workerMs: best.log?.ms ?? null,
    outcome: best.log?.outcome ?? null,
  };
}

export interface SqliteFigures {
  available: boolean;
  file: string | null;
  runs: number;
  seconds: number | null;
  secondsAllRuns: number[];
  query: string;
}

/** The raw-speed reference: sqlite3 dumping the same sessions' rows as JSON, to /dev/null. */
export async function timeSqlite(file: string | null, workspace: string, runs: number, sqliteBin: string | null): Promise<SqliteFigures> {
  // The workspace name is ours (a-z 0-9 - _), so inlining it is safe; the sqlite3 shell has no bind parameters here.
  if (!/^[a-z0-9_-]+$/.test(workspace)) throw new Error(`unexpected workspace name ${workspace}`);
  const query =
    "SELECT s.*, m.* FROM sessions s JOIN messages m ON m.session_id = s.id " +
    `WHERE s.workspace_id = '${workspace}' AND s.eval_ready = 1 ORDER BY s.created_at, s.id, m.seq`;
  if (!sqliteBin || !file) return { available: false, file, runs: 0, seconds: null, secondsAllRuns: [], query };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const devNull = openSync("/dev/null", "w");
    const t0 = performance.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(sqliteBin, ["-readonly", "-json", file, query], { stdio: ["ignore", devNull, "pipe"] });
        let err = "";
        child.stderr!.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`sqlite3 exited ${code}: ${err}`))));
      });
    } finally {
      closeSync(devNull);
    }
    times.push((performance.now() - t0) / 1000);
  }
  return { available: true, file, runs, seconds: Math.min(...times), secondsAllRuns: times, query };
}
