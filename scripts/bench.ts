/**
 * `npm run bench`: ingest and export throughput of a local evalport (wrangler dev, local D1/KV), against sqlite3
 * dumping the same rows. Not part of `npm test`; it never asserts, it prints PASS/FAIL next to the issue's targets.
 *
 *   npm run bench                              10,000 sessions × 20 messages, every export format (~5 min on 2 CPUs)
 *   npm run bench -- --sessions 2000 --messages 10
 *   npm run bench -- --memory                  also the memory phase: 100,000 × 4 and 1,000 × 4 side by side (~+5 min)
 *   npm run bench -- --memory-only             only the memory phase
 *   npm run bench -- --web                     only the web view's pages: list pages on 100,000 sessions, review page of 1,000 messages
 *   npm run bench -- --help
 *
 * Everything goes through the HTTP API (POST /api/admin/keys, POST /api/sessions/batch, GET /api/export) of a
 * `wrangler dev` started here on a free port with its own state (.wrangler/bench-state, deleted first) and stopped
 * at the end, on error and on Ctrl-C. Figures go to the terminal and to bench-output/latest.json.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./lib/local";
import { loadSessions, type LoadResult } from "./bench/load";
import { measureExport, timeSqlite, type ExportFigures, type SqliteFigures } from "./bench/measure";
import { cpuSeconds, timeSqliteInsert, type InsertReference } from "./bench/ingest-reference";
import { measureLists } from "./bench/lists";
import { benchWebReview, listTargets, measureWebLists, type WebFigure } from "./bench/web";
import { benchRedaction } from "./bench/redact-export";
import { benchDeepevalMemory } from "./bench/deepeval-memory";
import { benchDatasets } from "./bench/datasets";
import { benchCli } from "./bench/cli";
import { benchImport } from "./bench/import";
import { findD1File, freePort, rel, startServer, workerdProcesses, type BenchServer } from "./bench/server";

const HELP = `npm run bench -- [options]
  --sessions N            sessions to load for the throughput phase (default 10000)
  --messages M            messages per session (default 20)
  --concurrency C         batch requests in flight while loading (default 4)
  --runs R                runs per export in the throughput phase; the fastest is reported (default 2)
  --formats a,b           export formats (default deepeval,deepeval-jsonl,openai,text)
  --ready-fraction F      fraction of sessions marked eval-ready (default 1)
  --memory                also run the memory phase (100,000 × 4 and 1,000 × 4 sessions, openai and deepeval)
  --memory-only           run only the memory phase
  --memory-sessions N     large workspace of the memory phase (default 100000)
  --memory-small N        small workspace of the memory phase (default 1000)
  --memory-messages M     messages per session in the memory phase (default 4)
  --deepeval-memory       DeepEval export of a 1,000-message and a 400 × 4 KB session, RSS growth vs openai (issue 10)
  --datasets              freeze --datasets-sessions (default 100000) with one POST /api/datasets; dataset vs live export (issue 13)
  --import                a ~50 MB Claude Code transcript through POST /api/import vs the same messages through /batch (issue 8)
  --import-profile        --import, plus a second import under the sampling heap profiler: the top allocation sites
  --web                   the web view's pages: /sessions and /evals (filters, search, sorts, pages) on --web-sessions
                          (default 100000, seeded as the memory phase does, ~3 min; the memory phase's workspace when
                          --memory runs too) beside the JSON API, and the review page of a 1,000-message session
  --web-sessions N        sessions of --web's large workspace (default 100000)
  --cli                   evalport import of --cli-files (default 1000) Claude Code transcripts × 100 vs direct fetch (issue 9)
                          (each alone skips the throughput phase; the default run includes --deepeval-memory ~10 s, --cli ~1 min
                          and the review page of a 1,000-message session in a small workspace ~5 s; --memory adds the web list pages)
  --port P                first port to try for wrangler dev (default 8799)
  --rate-limit L          per-key requests/min in the bench's generated wrangler config (default 1000000)
  --inspector             keep wrangler's DevTools inspector on (off by default: its proxy buffers every runtime event; see the note printed at start)
  --keep-state            keep .wrangler/bench-state after the run (default: deleted)
`;

function parseCli() {
  try {
    return parseArgs({
      options: {
        sessions: { type: "string", default: "10000" },
        messages: { type: "string", default: "20" },
        concurrency: { type: "string", default: "4" },
        runs: { type: "string", default: "2" },
        formats: { type: "string", default: "deepeval,deepeval-jsonl,openai,text" },
        "ready-fraction": { type: "string", default: "1" },
        memory: { type: "boolean", default: false },
        "memory-only": { type: "boolean", default: false },
        "memory-sessions": { type: "string", default: "100000" },
        "memory-small": { type: "string", default: "1000" },
        "memory-messages": { type: "string", default: "4" },
        "deepeval-memory": { type: "boolean", default: false },
        datasets: { type: "boolean", default: false },
        "datasets-sessions": { type: "string", default: "100000" },
        cli: { type: "boolean", default: false },
        import: { type: "boolean", default: false },
        "cli-files": { type: "string", default: "1000" },
        "import-profile": { type: "boolean", default: false },
        web: { type: "boolean", default: false },
        "web-sessions": { type: "string", default: "100000" },
        port: { type: "string", default: "8799" },
        "rate-limit": { type: "string", default: "1000000" },
        inspector: { type: "boolean", default: false },
        "keep-state": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
}
const args = parseCli();

if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function int(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${value})`);
  return n;
}

/** A phase asked for by its own flag runs alone: no throughput phase and none of the default extras. */
const phaseAlone = !!(args["deepeval-memory"] || args.datasets || args.cli || args.import || args["import-profile"] || args.web);

const cfg = {
  sessions: int("sessions", args.sessions!, 1),
  messages: int("messages", args.messages!, 1),
  concurrency: int("concurrency", args.concurrency!, 1),
  runs: int("runs", args.runs!, 1),
  formats: args.formats!.split(",").map((f) => f.trim()).filter(Boolean),
  readyFraction: Number(args["ready-fraction"]),
  throughput: !args["memory-only"] && !phaseAlone,
  import: args.import! || args["import-profile"]!,
  importProfile: args["import-profile"]!,
  deepevalMemory: args["deepeval-memory"]! || (!args["memory-only"] && !phaseAlone),
  datasets: args.datasets!,
  datasetsSessions: int("datasets-sessions", args["datasets-sessions"]!, 1),
  cli: args.cli! || (!args["memory-only"] && !phaseAlone),
  cliFiles: int("cli-files", args["cli-files"]!, 1),
  memory: args.memory || args["memory-only"],
  /** The HTML list pages on a large workspace: with --web, and in the memory phase (on its large workspace). */
  webLists: args.web! || args.memory! || args["memory-only"]!,
  /** The review page (small workspace; the large one too when there is one): --web, --memory and the default run. */
  webReview: args.web! || args.memory! || args["memory-only"]! || !phaseAlone,
  webSessions: int("web-sessions", args["web-sessions"]!, 1),
  memorySessions: int("memory-sessions", args["memory-sessions"]!, 1),
  memorySmall: int("memory-small", args["memory-small"]!, 1),
  memoryMessages: int("memory-messages", args["memory-messages"]!, 1),
  port: int("port", args.port!, 1),
  rateLimit: int("rate-limit", args["rate-limit"]!, 1),
  inspector: args.inspector!,
  keepState: args["keep-state"]!,
  batchSize: 100,
};
const KNOWN_FORMATS = ["deepeval", "deepeval-jsonl", "openai", "text"];
for (const f of cfg.formats) if (!KNOWN_FORMATS.includes(f)) throw new Error(`unknown format ${f}`);
if (!(cfg.readyFraction > 0 && cfg.readyFraction <= 1)) throw new Error("--ready-fraction must be in (0, 1]");

const OUT_DIR = join(ROOT, "bench-output");
const PERSIST_DIR = join(ROOT, ".wrangler", "bench-state");
/** Sessions' createdAt start here (2025-11-26), a second apart. */
const BASE_TIME = 1764115200000;

const say = (line = "") => process.stdout.write(line + "\n");
const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? "—"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load1 = () => loadavg()[0]!.toFixed(2);

function sqliteBinary(): string | null {
  const r = spawnSync("sqlite3", ["-version"], { encoding: "utf8" });
  return r.status === 0 ? "sqlite3" : null;
}

function gitInfo(): { head: string | null; dirty: boolean | null } {
  // Read-only: what code was measured. The bench never changes the repository.
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const status = spawnSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" });
  return {
    head: head.status === 0 ? head.stdout.trim() : null,
    dirty: status.status === 0 ? status.stdout.trim().length > 0 : null,
  };
}

function ingestLine(label: string, r: LoadResult): string {
  return (
    `  ${label}: ${fmt(r.sessions)} sessions, ${fmt(r.messages)} messages, ${fmt(r.requestBytes / 1e6, 1)} MB in ` +
    `${fmt(r.requests)} requests, ${fmt(r.seconds, 1)} s → ${fmt(r.sessionsPerSec)} sessions/s, ` +
    `${fmt(r.messagesPerSec)} messages/s, ${fmt(r.mbPerSec, 2)} MB/s (slowest batch ${fmt(r.maxRequestMs)} ms` +
    `${r.retries ? `, ${r.retries} retries` : ""})`
  );
}

function exportLine(e: ExportFigures, sqlite: SqliteFigures | null): string {
  const enc = e.contentEncoding ? ` [${e.contentEncoding}${e.acceptEncoding === "identity" ? " although identity was asked" : ""}]` : "";
  const ratio = sqlite?.seconds ? sqlite.seconds / (e.totalMs / 1000) : null;
  return (
    `  ${e.format.padEnd(14)} TTFB ${fmt(e.ttfbMs)} ms (headers ${fmt(e.headersMs)} ms), total ${fmt(e.totalMs / 1000, 2)} s, ` +
    `${fmt(e.decodedBytes / 1e6, 1)} MB${e.contentEncoding ? ` (${fmt(e.wireBytes / 1e6, 1)} MB on the wire)` : ""}, ` +
    `${fmt(e.mbPerSec, 1)} MB/s, ${fmt(e.sessionsPerSec)} sessions/s${enc}\n` +
    `  ${"".padEnd(14)} workerd RSS above idle: runtime ${fmt(e.runtimePeakAboveIdleMb, 1)} MB (HWM ${fmt(e.runtimePeakAboveIdleHwmMb, 1)}, idle ${fmt(e.runtimeIdleMb)} MB)` +
    `${e.proxyPeakAboveIdleMb !== null ? `, proxy ${fmt(e.proxyPeakAboveIdleMb, 1)} MB` : ""}, all workerd ${fmt(e.allWorkerdPeakAboveIdleMb, 1)} MB; ` +
    `D1 rows read ${fmt(e.rowsRead)} in ${fmt(e.queries)} queries = ${fmt(e.rowsPerSession, 3)} per session (${e.messagesPerSession} messages each)` +
    `${ratio !== null ? `; sqlite3 ÷ export = ${fmt(ratio, 2)}` : ""}` +
    `${e.runs > 1 ? `; runs ${e.totalMsAllRuns.map((t) => fmt(t / 1000, 2)).join(" / ")} s` : ""}` +
    `${e.restartedRuns ? `\n  ${"".padEnd(14)} ! a workerd process was replaced during ${e.restartedRuns} run(s): its RSS figures are not comparable` : ""}`
  );
}

interface Target {
  target: string;
  figure: string;
  /** INFO: a figure shown for context, with no target of its own. */
  result: "PASS" | "FAIL" | "SKIP" | "INFO";
}

async function main(): Promise<void> {
  const started = new Date();
  const sqliteBin = sqliteBinary();
  const git = gitInfo();
  mkdirSync(OUT_DIR, { recursive: true });
  say(`evalport bench — ${started.toISOString()}`);
  say(
    `  machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; node ${process.version}; ` +
      `git ${git.head ?? "?"}${git.dirty ? " + uncommitted changes in src/" : ""}`,
  );
  if (loadavg()[0]! > cpus().length) {
    say(`  ! load average ${load1()} is above the CPU count: other work on this machine will slow the figures down.`);
  }
  if (!sqliteBin) {
    say("  ! sqlite3 not found: the raw-speed comparison is skipped. Install it with `apt-get install -y sqlite3`.");
  }

  const port = await freePort(cfg.port);
  if (!cfg.inspector) {
    // wrangler's InspectorProxyWorker enables the runtime's Network domain and keeps every runtime inspector event
    // in memory until a DevTools window attaches; during an export that is ~150 MB per run in the proxy workerd,
    // never freed, plus the CPU to serialise it. wrangler leaves the inspector off when it believes it runs in a
    // VS Code debug terminal (VSCODE_INSPECTOR_OPTIONS set): that is the only switch it has for `wrangler dev`.
    process.env.VSCODE_INSPECTOR_OPTIONS ||= "{}";
  }
  const server = await startServer({
    port,
    outDir: OUT_DIR,
    persistDir: PERSIST_DIR,
    rateLimit: cfg.rateLimit,
    log: say,
  });
  const cleanup = async () => {
    await server.stop();
    if (!cfg.keepState) rmSync(PERSIST_DIR, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`\n• ${signal}: stopping wrangler dev…`);
    cleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    await run(server, sqliteBin, started, git);
  } finally {
    if (!interrupted) {
      say("• Stopping wrangler dev (and its workerd processes)…");
      await cleanup();
      say(cfg.keepState ? `  kept the bench state in ${rel(PERSIST_DIR)}` : `  removed ${rel(PERSIST_DIR)}`);
    }
  }
}

async function run(server: BenchServer, sqliteBin: string | null, started: Date, git: ReturnType<typeof gitInfo>) {
  const loadAtStart = loadavg();
  const bundleSha = createHash("sha256").update(readFileSync(server.bundlePath)).digest("hex").slice(0, 16);
  say(`• wrangler dev ready on ${server.base} (pid ${server.pid}; frozen bundle ${rel(server.bundlePath)} sha256 ${bundleSha}…)`);
  say(
    `  rate limit raised to ${fmt(server.rateLimit)} requests/60 s per key in ${rel(server.configPath)} ` +
      `(generated from wrangler.toml, which stays as it is) so 1,000 batches are not throttled.`,
  );
  say(
    cfg.inspector
      ? "  wrangler's DevTools inspector is on (--inspector): its proxy buffers runtime events, expect the proxy workerd to grow."
      : "  wrangler's DevTools inspector is off for the bench (VSCODE_INSPECTOR_OPTIONS): with it on, wrangler's proxy workerd\n" +
          "  buffers every runtime inspector event while no DevTools is attached (~150 MB per export, never freed).",
  );

  const exportsOut: ExportFigures[] = [];
  const sqliteOut: Record<string, SqliteFigures> = {};
  const ingestOut: Record<string, LoadResult> = {};
  let insertRef: InsertReference | null = null;
  const targets: Target[] = [];
  let gzipOut: (ExportFigures & { identityTtfbMs: number | null; identityBytes: number | null }) | null = null;
  const d1File = () => findD1File(server.persistDir);

  // ---------------------------------------------------------------- throughput phase
  if (cfg.throughput) {
    const ws = "bench";
    const key = await server.createKey(ws);
    say(`\n• Throughput phase: loading ${fmt(cfg.sessions)} sessions × ${cfg.messages} messages into workspace "${ws}" ` +
      `(POST /api/sessions/batch, ${cfg.batchSize} per request, ${cfg.concurrency} in flight)…`);
    let nextReport = 0.1;
    const workerds = workerdProcesses(server.pid);
    const cpuBefore = workerds.reduce((t, p) => t + cpuSeconds(p.pid), 0);
    const ingest = await loadSessions({
      base: server.base, key, workspaceTag: ws, sessions: cfg.sessions, messages: cfg.messages,
      concurrency: cfg.concurrency, batchSize: cfg.batchSize, readyFraction: cfg.readyFraction, seed: 1, baseTime: BASE_TIME,
      onProgress: (done) => {
        if (done / cfg.sessions >= nextReport) {
          say(`  … ${fmt(done)} sessions (load ${load1()})`);
          nextReport += 0.1;
        }
      },
    });
    ingestOut[ws] = ingest;
    say(ingestLine("ingest", ingest));
    const cpuPerBatchMs = ((workerds.reduce((t, p) => t + cpuSeconds(p.pid), 0) - cpuBefore) * 1000) / ingest.requests;
    say(`  workerd CPU (Worker + local D1, both workerd processes): ${fmt(cpuPerBatchMs)} ms per ${cfg.batchSize}-session batch`);

    say(`\n• sqlite3 insert reference (the same sessions from one JSON file into an empty database with every migration, one transaction)…`);
    insertRef = timeSqliteInsert({
      sqliteBin, outDir: OUT_DIR, sessions: cfg.sessions, messages: cfg.messages, readyFraction: cfg.readyFraction,
      seed: 1, baseTime: BASE_TIME, workspaceTag: ws, runs: 2,
    });
    const ingestRatio = insertRef.seconds ? insertRef.seconds / ingest.seconds : null;
    say(insertRef.available
      ? `  sqlite3 insert: ${fmt(insertRef.seconds, 2)} s (runs ${insertRef.secondsAllRuns.map((t) => fmt(t, 2)).join(" / ")}); sqlite3 ÷ ingest = ${fmt(ingestRatio, 3)}`
      : "  skipped (no sqlite3)");
    targets.push({
      target: `sqlite3 insert ÷ ingest ≥ 0.5 (${fmt(cfg.sessions)} × ${cfg.messages} through POST /api/sessions/batch)`,
      figure: ingestRatio === null ? "no sqlite3" : `${fmt(ingestRatio, 3)} (workerd CPU ${fmt(cpuPerBatchMs)} ms per batch)`,
      result: ingestRatio === null ? "SKIP" : ingestRatio >= 0.5 ? "PASS" : "FAIL",
    });

    say(`\n• sqlite3 reference (same rows as JSON, to /dev/null)…`);
    const sq = await timeSqlite(d1File(), ws, 2, sqliteBin);
    sqliteOut[ws] = sq;
    say(sq.available ? `  sqlite3: ${fmt(sq.seconds, 2)} s (runs ${sq.secondsAllRuns.map((s) => fmt(s, 2)).join(" / ")}) on ${rel(sq.file!)}` : "  skipped (no sqlite3)");

    say(`\n• Exports of ${fmt(ingest.evalReady)} eval-ready sessions (Accept-Encoding: identity, ${cfg.runs} run(s) each, fastest shown; load ${load1()})…`);
    for (const format of cfg.formats) {
      const e = await measureExport({
        server, key, label: "throughput", workspace: ws, format, acceptEncoding: "identity", runs: cfg.runs,
        messagesPerSession: cfg.messages,
      });
      exportsOut.push(e);
      say(exportLine(e, sq));
    }

    const gzFormat = cfg.formats.includes("deepeval") ? "deepeval" : cfg.formats[0]!;
    const gz = await measureExport({
      server, key, label: "throughput-gzip", workspace: ws, format: gzFormat, acceptEncoding: "gzip", runs: 1,
      messagesPerSession: cfg.messages,
    });
    const plain = exportsOut.find((e) => e.label === "throughput" && e.format === gzFormat) ?? null;
    gzipOut = { ...gz, identityTtfbMs: plain?.ttfbMs ?? null, identityBytes: plain?.decodedBytes ?? null };
    say(
      `\n• ${gzFormat} with Accept-Encoding: gzip: TTFB ${fmt(gz.ttfbMs)} ms (identity: ${fmt(plain?.ttfbMs)} ms), ` +
        `total ${fmt(gz.totalMs / 1000, 2)} s, ${fmt(gz.wireBytes / 1e6, 1)} MB compressed of ${fmt(gz.decodedBytes / 1e6, 1)} MB ` +
        `(${fmt((100 * gz.wireBytes) / Math.max(1, gz.decodedBytes), 1)} %), Content-Encoding: ${gz.contentEncoding ?? "none"}` +
        `${plain && plain.decodedBytes !== gz.decodedBytes ? ` — ! decoded size differs from the identity export (${fmt(plain.decodedBytes)} bytes)` : ""}`,
    );

    say(`\n• Redaction (issue 12): ${gzFormat} export with redact=secrets and redact=none, ${cfg.runs} run(s) each, fastest…`);
    const redactTarget = await benchRedaction({ server, key, workspace: ws, format: gzFormat, runs: cfg.runs, messagesPerSession: cfg.messages, say });
    targets.push(redactTarget);

    for (const e of exportsOut.filter((x) => x.label === "throughput")) {
      if (e.format === "openai" || e.format === "deepeval") {
        const ratio = sq.seconds ? sq.seconds / (e.totalMs / 1000) : null;
        targets.push({
          target: `sqlite3 ÷ export ≥ 0.5 (${e.format}, ${fmt(e.sessions)} × ${e.messagesPerSession})`,
          figure: ratio === null ? "no sqlite3" : fmt(ratio, 3),
          result: ratio === null ? "SKIP" : ratio >= 0.5 ? "PASS" : "FAIL",
        });
      }
    }
  }

  // ---------------------------------------------------------------- memory phase
  let memoryOut: Record<string, unknown> | null = null;
  let memoryLarge: { workspace: string; key: string; n: number } | null = null;
  if (cfg.memory) {
    const large = { ws: "mem-large", n: cfg.memorySessions };
    const small = { ws: "mem-small", n: cfg.memorySmall };
    const keys: Record<string, string> = {};
    say(`\n• Memory phase: ${fmt(small.n)} × ${cfg.memoryMessages} into "${small.ws}" and ${fmt(large.n)} × ${cfg.memoryMessages} into "${large.ws}"…`);
    for (const w of [small, large]) {
      keys[w.ws] = await server.createKey(w.ws);
      let nextReport = 0.1;
      const r = await loadSessions({
        base: server.base, key: keys[w.ws]!, workspaceTag: w.ws, sessions: w.n, messages: cfg.memoryMessages,
        concurrency: cfg.concurrency, batchSize: cfg.batchSize, readyFraction: 1, seed: w.ws === large.ws ? 2 : 3,
        baseTime: BASE_TIME,
        onProgress: (done) => {
          if (w.n >= 10_000 && done / w.n >= nextReport) {
            say(`  … ${fmt(done)} sessions (load ${load1()})`);
            nextReport += 0.1;
          }
        },
      });
      ingestOut[w.ws] = r;
      say(ingestLine(`ingest ${w.ws}`, r));
    }

    say(`\n• List pages on ${large.ws} (${fmt(large.n)} sessions; median of 5 through HTTP)…`);
    for (const l of await measureLists({ base: server.base, key: keys[large.ws]! })) {
      say(`  ${l.name.padEnd(44)} ${fmt(l.medianMs, 1).padStart(7)} ms  total ${fmt(l.total)}${l.status === 200 ? "" : `  ! HTTP ${l.status}`}`);
      targets.push({
        target: `list page < 200 ms at ${fmt(large.n)} sessions: ${l.name}`,
        figure: `${fmt(l.medianMs, 1)} ms (total ${fmt(l.total)})`,
        result: l.status === 200 && l.medianMs < 200 ? "PASS" : "FAIL",
      });
    }

    say(`\n• sqlite3 reference…`);
    for (const w of [small, large]) {
      sqliteOut[w.ws] = await timeSqlite(d1File(), w.ws, w === large ? 1 : 2, sqliteBin);
      const sq = sqliteOut[w.ws]!;
      say(sq.available ? `  ${w.ws}: ${fmt(sq.seconds, 2)} s` : "  skipped (no sqlite3)");
    }

    say(`\n• Exports, side by side (Accept-Encoding: identity; ${small.ws} 3 runs for a noise band, ${large.ws} 1 run; load ${load1()})…`);
    const memFigures: Record<string, { small: ExportFigures; large: ExportFigures }> = {};
    for (const format of ["openai", "deepeval"]) {
      const s = await measureExport({
        server, key: keys[small.ws]!, label: "memory-small", workspace: small.ws, format, acceptEncoding: "identity", runs: 3,
        messagesPerSession: cfg.memoryMessages,
      });
      exportsOut.push(s);
      say(`  ${small.ws}:`);
      say(exportLine(s, sqliteOut[small.ws]!));
      const l = await measureExport({
        server, key: keys[large.ws]!, label: "memory-large", workspace: large.ws, format, acceptEncoding: "identity", runs: 1,
        messagesPerSession: cfg.memoryMessages,
      });
      exportsOut.push(l);
      say(`  ${large.ws}:`);
      say(exportLine(l, sqliteOut[large.ws]!));
      memFigures[format] = { small: s, large: l };
    }

    for (const [format, { small: s, large: l }] of Object.entries(memFigures)) {
      targets.push({
        target: `peak RSS above idle ≤ 64 MB during a ${fmt(l.sessions)} × ${cfg.memoryMessages} export (${format}, runtime workerd)`,
        figure: `${fmt(l.runtimePeakAboveIdleMb, 1)} MB (HWM ${fmt(l.runtimePeakAboveIdleHwmMb, 1)} MB)`,
        result: l.runtimePeakAboveIdleMb <= 64 ? "PASS" : "FAIL",
      });
      // Noise band: how much the 1,000-session peak moved between its own runs (twice that), at least 8 MB.
      const spread = Math.max(...s.runtimeAboveIdleRunsMb) - Math.min(...s.runtimeAboveIdleRunsMb);
      const band = Math.max(8, 2 * spread);
      const diff = l.runtimePeakAboveIdleMb - s.runtimePeakAboveIdleMb;
      targets.push({
        target: `${fmt(l.sessions)}-session peak within noise of the ${fmt(s.sessions)}-session one (${format}; band max(8 MB, 2 × spread of ${s.runs} runs))`,
        figure: `${fmt(l.runtimePeakAboveIdleMb, 1)} vs ${fmt(s.runtimePeakAboveIdleMb, 1)} MB (Δ ${fmt(diff, 1)}, band ${fmt(band, 1)})`,
        result: diff <= band ? "PASS" : "FAIL",
      });
      targets.push({
        target: `first byte < 100 ms at ${fmt(l.sessions)} sessions (${format})`,
        figure: `${fmt(l.ttfbMs)} ms`,
        result: l.ttfbMs < 100 ? "PASS" : "FAIL",
      });
      const sq = sqliteOut[large.ws]!;
      const ratio = sq.seconds ? sq.seconds / (l.totalMs / 1000) : null;
      targets.push({
        target: `sqlite3 ÷ export ≥ 0.5 (${format}, ${fmt(l.sessions)} × ${cfg.memoryMessages})`,
        figure: ratio === null ? "no sqlite3" : fmt(ratio, 3),
        result: ratio === null ? "SKIP" : ratio >= 0.5 ? "PASS" : "FAIL",
      });
    }
    memoryOut = { messagesPerSession: cfg.memoryMessages, large: large.n, small: small.n };
    memoryLarge = { workspace: large.ws, key: keys[large.ws]!, n: large.n };
  }

  // ---------------------------------------------------------------- web view: list pages and the review page (scripts/bench/web.ts)
  const webFigures: WebFigure[] = [];
  let webLarge: { workspace: string; key: string; sessions: number } | undefined;
  if (cfg.webLists) {
    if (memoryLarge) {
      webLarge = { workspace: memoryLarge.workspace, key: memoryLarge.key, sessions: memoryLarge.n };
    } else {
      const ws = "web-large";
      const key = await server.createKey(ws);
      say(`\n• Web view: loading ${fmt(cfg.webSessions)} × ${cfg.memoryMessages} sessions into "${ws}" (the memory phase's loader and data)…`);
      let nextReport = 0.1;
      const r = await loadSessions({
        base: server.base, key, workspaceTag: ws, sessions: cfg.webSessions, messages: cfg.memoryMessages, concurrency: cfg.concurrency,
        batchSize: cfg.batchSize, readyFraction: 1, seed: 2, baseTime: BASE_TIME,
        onProgress: (done) => {
          if (cfg.webSessions >= 10_000 && done / cfg.webSessions >= nextReport) {
            say(`  … ${fmt(done)} sessions (load ${load1()})`);
            nextReport += 0.1;
          }
        },
      });
      ingestOut[ws] = r;
      say(ingestLine(`ingest ${ws}`, r));
      webLarge = { workspace: ws, key, sessions: cfg.webSessions };
    }
    say(
      `\n• Web list pages on "${webLarge.workspace}" (${fmt(webLarge.sessions)} sessions), signed in through POST /signin; ` +
        `median of 5, each run alternating with its JSON API reference; client time on localhost, request → last byte (load ${load1()})…`,
    );
    const lists = await measureWebLists({ base: server.base, key: webLarge.key, workspace: webLarge.workspace, sessions: webLarge.sessions, say });
    webFigures.push(...lists);
    targets.push(...listTargets(lists, webLarge.sessions));
  }
  if (cfg.webReview) {
    say(`\n• Review page of a 1,000-message session (and a 20-message one as the reference): warm-up, then median of 5 alternating with GET /api/sessions/:id (load ${load1()})…`);
    const r = await benchWebReview({ server, say, baseTime: BASE_TIME, large: webLarge });
    webFigures.push(...r.figures);
    targets.push(...r.targets);
  }
  if (webFigures.length > 0) {
    const st = webFigures.find((f) => f.serverTiming)?.serverTiming;
    say(st ? `  Server-Timing sent by the Worker, e.g. ${st}` : "  (no Server-Timing header in the responses: the figures are client times on localhost)");
  }

  // ---------------------------------------------------------------- issues 10, 13, 9 (scripts/bench/{deepeval-memory,datasets,cli}.ts)
  const phases: Record<string, unknown> = {};
  if (cfg.deepevalMemory) {
    say(`\n• DeepEval long-session memory (issue 10): export of one session, RSS growth of the runtime workerd…`);
    const r = await benchDeepevalMemory({ server, say, baseTime: BASE_TIME, contextMessages: 20 });
    targets.push(...r.targets);
    phases.deepevalMemory = r.figures;
  }
  if (cfg.datasets) {
    say(`\n• Datasets (issue 13): freeze ${fmt(cfg.datasetsSessions)} sessions, dataset export vs live export…`);
    const reuse = memoryLarge && memoryLarge.n === cfg.datasetsSessions ? memoryLarge : undefined;
    const r = await benchDatasets({ server, say, sessions: cfg.datasetsSessions, concurrency: cfg.concurrency, baseTime: BASE_TIME, format: "openai", reuse });
    targets.push(...r.targets);
    phases.datasets = r.figures;
  }
  if (cfg.import) {
    say(`\n• Transcript import (issue 8): a ~50 MB Claude Code transcript through POST /api/import vs the same messages through /api/sessions/batch…`);
    const r = await benchImport({ server, say, profile: cfg.importProfile });
    targets.push(...r.targets);
    phases.import = r.figures;
  }
  if (cfg.cli) {
    say(`\n• CLI throughput (issue 9): evalport import of ${fmt(cfg.cliFiles)} Claude Code transcripts × 100 messages vs direct fetch…`);
    const r = await benchCli({ server, say, outDir: OUT_DIR, files: cfg.cliFiles, messages: 100 });
    targets.push(...r.targets);
    phases.cli = r.figures;
  }

  // ---------------------------------------------------------------- rows read, every export
  // Per session the budget is messages + 2 (its head in the count and in its page, then its messages); a range
  // scan that runs to its end steps one row further, so up to 2 rows per export on top are tolerated and shown.
  for (const e of exportsOut) {
    const name = `${e.workspace}${e.label.endsWith("gzip") ? " gzip" : ""} ${e.format}`;
    if (e.rowsRead === null || e.rowsPerSession === null) {
      targets.push({ target: `rows read per session ≤ messages + 2 (${name})`, figure: "no export log line", result: "SKIP" });
      continue;
    }
    const budget = e.sessions * (e.messagesPerSession + 2);
    const excess = e.rowsRead - budget;
    targets.push({
      target: `rows read per session ≤ messages + 2, +2 rows per export tolerated (${name})`,
      figure: `${fmt(e.rowsPerSession, 3)} per session vs ${e.messagesPerSession + 2} (${fmt(e.rowsRead)} rows = budget ${excess >= 0 ? "+" : ""}${fmt(excess)})`,
      result: excess <= 2 ? "PASS" : "FAIL",
    });
  }

  // ---------------------------------------------------------------- summary
  say("\n═══ Summary ═══");
  for (const [ws, r] of Object.entries(ingestOut)) say(ingestLine(`ingest ${ws}`, r));
  const head = ["workspace", "format", "enc", "sessions", "TTFB ms", "total s", "MB", "MB/s", "sess/s", "RSS+ MB", "rows/sess", "sqlite÷exp"];
  const rows = exportsOut.map((e) => {
    const sq = sqliteOut[e.workspace];
    const ratio = sq?.seconds ? sq.seconds / (e.totalMs / 1000) : null;
    return [
      e.workspace, e.format, e.contentEncoding ?? "identity", fmt(e.sessions), fmt(e.ttfbMs), fmt(e.totalMs / 1000, 2),
      fmt(e.decodedBytes / 1e6, 1), fmt(e.mbPerSec, 1), fmt(e.sessionsPerSec), fmt(e.runtimePeakAboveIdleMb, 1),
      `${fmt(e.rowsPerSession, 3)} (${e.messagesPerSession}+2)`, ratio === null ? "—" : fmt(ratio, 2),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  if (rows.length > 0) {
    say(line(head));
    say("  " + widths.map((w) => "─".repeat(w)).join("  "));
    for (const r of rows) say(line(r));
  }
  for (const [ws, sq] of Object.entries(sqliteOut)) {
    say(`  sqlite3 ${ws}: ${sq.available ? `${fmt(sq.seconds, 2)} s` : "skipped (apt-get install -y sqlite3)"}`);
  }
  if (gzipOut) {
    say(
      `  gzip (${gzipOut.format}): TTFB ${fmt(gzipOut.ttfbMs)} ms vs ${fmt(gzipOut.identityTtfbMs)} ms identity; ` +
        `${fmt(gzipOut.wireBytes / 1e6, 1)} MB compressed of ${fmt(gzipOut.decodedBytes / 1e6, 1)} MB`,
    );
  }
  if (rows.length > 0) say("  RSS+ = runtime workerd (the Worker and its local D1) peak VmRSS above its idle just before the export, sampled every 20 ms.");
  const forced = exportsOut.filter((e) => e.acceptEncoding === "identity" && e.contentEncoding);
  if (forced.length > 0) {
    say(
      `  ! ${[...new Set(forced.map((e) => e.format))].join(", ")} came back gzip-encoded although the request said Accept-Encoding: identity.`,
    );
  }
  if (webFigures.length > 0) {
    say("\n  Web pages (median ms, request → last byte on localhost; API = the JSON query reading the same rows, same run):");
    const wHead = ["page", "workspace", "HTML ms", "1st byte", "KB", "API ms", "total", "target", ""];
    const wRows = webFigures.map((f) => [
      f.name, f.workspace, fmt(f.medianMs, 1), fmt(f.ttfbMedianMs, 1), fmt(f.bytes / 1024), fmt(f.ref.medianMs, 1),
      f.total === null ? "" : fmt(f.total), `< ${f.targetMs}`, f.status === 200 && f.medianMs < f.targetMs ? "PASS" : "FAIL",
    ]);
    const ww = wHead.map((h, i) => Math.max(h.length, ...wRows.map((r) => r[i]!.length)));
    const wLine = (cells: string[]) => "  " + cells.map((c, i) => (i < 2 || i === 8 ? c.padEnd(ww[i]!) : c.padStart(ww[i]!))).join("  ");
    say(wLine(wHead));
    say("  " + ww.map((w) => "─".repeat(w)).join("  "));
    for (const r of wRows) say(wLine(r));
  }
  say("\n  Targets:");
  const tw = Math.max(...targets.map((t) => t.target.length));
  for (const t of targets) say(`  ${t.result.padEnd(4)}  ${t.target.padEnd(tw)}  ${t.figure}`);

  const out = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    config: cfg,
    environment: {
      cpus: cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg(),
      node: process.version,
      git,
      bundleSha256: bundleSha,
      port: server.port,
      rateLimitPerMinute: server.rateLimit,
      inspector: cfg.inspector,
      sqlite3: sqliteBin !== null,
    },
    ingest: ingestOut,
    ingestReference: insertRef,
    sqlite: sqliteOut,
    exports: exportsOut,
    gzip: gzipOut,
    memory: memoryOut,
    phases,
    web: webFigures,
    targets,
    notes: [
      "Figures of each export are from its fastest run; RSS figures are the highest over its runs.",
      "RSS above idle is measured on the runtime workerd (the Worker and its local D1); proxy = wrangler's ProxyWorker workerd.",
      "rowsRead and queries come from the Worker's own export log line (D1 meta.rows_read).",
      `The rate limit is raised to ${server.rateLimit}/60 s per key in the generated ${rel(server.configPath)}; wrangler.toml is untouched.`,
      "wrangler dev ran a frozen bundle (--no-bundle) under the name evalport-bench with a private dev registry (bench-output/registry), so edits to src/ and other wrangler dev sessions cannot restart it mid-run.",
      cfg.inspector
        ? "wrangler's inspector was on (--inspector)."
        : "wrangler's inspector was off (VSCODE_INSPECTOR_OPTIONS): its proxy otherwise buffers every runtime event while no DevTools is attached.",
    ],
  };
  writeFileSync(join(OUT_DIR, "latest.json"), JSON.stringify(out, null, 2) + "\n");
  say(`\n• Wrote ${rel(join(OUT_DIR, "latest.json"))}; wrangler's output is in ${rel(join(OUT_DIR, "wrangler.log"))}.`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
