/**
 * Issue 8, measured: one ~50 MB Claude Code transcript (prompts, assistant text, tool_use + tool_result pairs of a few
 * KB, every 40th output ~200 KB) POSTed with Content-Length to /api/import, with the Worker isolate's heap from V8's GC
 * trace (gc-trace.ts) and the runtime workerd's RSS growth while it runs; then the very same messages (the importer's own parse of the file, run here) sent through
 * POST /api/sessions/batch as sessions of equal size, one request at a time like the import's one stream, as the
 * reference measured in the same run.
 */
import { rmSync } from "node:fs";
import http from "node:http";
import { parseTranscript } from "../../src/importers";
import { agent, requestJson } from "./http";
import { withGcTrace, type GcTrace, type WorkerHeap } from "./gc-trace";
import { Cdp, findWorkerInspector, sampleAllocations, type AllocationSite } from "./inspector";
import { idleRss, resetPeak, rssBytes, startSampler } from "./rss";
import { dirname, join } from "node:path";
import { BENCH_WORKER_NAME, freePort, rel, startServer, workerdProcesses, type BenchServer } from "./server";

export interface Target {
  target: string;
  figure: string;
  result: "PASS" | "FAIL" | "SKIP" | "INFO";
}

const MB = 1024 * 1024;
const T0 = Date.parse("2026-01-05T10:00:00.000Z");
const WORDS = (
  "the handler reads the session from the database and streams every page of messages to the client while the " +
  "export keeps its memory bounded because each page is encoded and written before the next one is read "
).split(" ");

/** A deterministic pseudo-random text of about `bytes` characters. */
function text(seed: number, bytes: number): string {
  let x = seed * 2654435761 >>> 0;
  const out: string[] = [];
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = WORDS[x % WORDS.length]!;
    out.push(w);
    n += w.length + 1;
  }
  return out.join(x % 7 === 0 ? "\n" : " ");
}

/** A Claude Code transcript of about `targetBytes`: per turn a prompt, a text line and a tool_use line of one response, the tool result, a final answer. */
export function claudeCodeTranscript(targetBytes: number, sessionId = "bench-import-0000-4000-8000-000000000001"): { body: Buffer; turns: number } {
  const lines: string[] = [];
  let bytes = 0;
  let turn = 0;
  const base = (uuid: string, parent: string | null, s: number) => ({
    parentUuid: parent, isSidechain: false, userType: "external", cwd: "/home/me/app", sessionId, version: "2.0.76",
    gitBranch: "main", uuid, timestamp: new Date(T0 + s * 1000).toISOString(),
  });
  const usage = { input_tokens: 12, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000, output_tokens: 180, service_tier: "standard" };
  const push = (o: unknown) => {
    const l = JSON.stringify(o);
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
  };
  while (bytes < targetBytes) {
    const i = turn++;
    const s = i * 20;
    const big = i % 40 === 39;
    push({ ...base(`u-${i}`, i ? `b-${i - 1}` : null, s), type: "user", message: { role: "user", content: `Prompt ${i}: ${text(i, 200)}` } });
    const msg = (uuid: string, parent: string, at: number, id: string, block: unknown) =>
      push({ ...base(uuid, parent, at), type: "assistant", requestId: `req_${id}`, message: { model: "claude-sonnet-4-5-20250929", id, type: "message", role: "assistant", content: [block], stop_reason: null, usage } });
    msg(`a-${i}`, `u-${i}`, s + 2, `msg_A${i}`, { type: "text", text: text(i + 1, 400) });
    msg(`t-${i}`, `a-${i}`, s + 3, `msg_A${i}`, { type: "tool_use", id: `toolu_${i}`, name: i % 3 ? "Read" : "Bash", input: i % 3 ? { file_path: `/home/me/app/src/f${i}.ts` } : { command: `npm test -- f${i}` } });
    push({
      ...base(`r-${i}`, `t-${i}`, s + 5), type: "user",
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: text(i + 2, big ? 200_000 : 3000 + (i % 5) * 500) }] },
    });
    msg(`b-${i}`, `r-${i}`, s + 8, `msg_B${i}`, { type: "text", text: `Answer ${i}: ${text(i + 3, 300)}` });
  }
  return { body: Buffer.from(lines.join("\n") + "\n"), turns: turn };
}

/**
 * POSTs `body` with its Content-Length; with `pace`, in `pace.chunk`-byte writes `pace.pauseMs` apart. Pacing was
 * tried to give workerd's inspector a turn mid-import (it answers only between the isolate's busy stretches): it did
 * not (one 4.2 s gap over a 4.7 s paced import, 2026-12-03), so the bench sends unpaced; kept for further tries.
 */
function post(server: BenchServer, key: string, path: string, body: Buffer, contentType: string, pace?: { chunk: number; pauseMs: number }): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, server.base), {
      method: "POST", agent,
      headers: { authorization: `Bearer ${key}`, "content-type": contentType, "content-length": String(body.length) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const t = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = t;
        try { parsed = JSON.parse(t); } catch { /* an error page */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on("error", reject);
    if (!pace) {
      req.end(body);
      return;
    }
    void (async () => {
      for (let at = 0; at < body.length; at += pace.chunk) {
        const part = body.subarray(at, Math.min(body.length, at + pace.chunk));
        if (!req.write(part)) await new Promise((r) => req.once("drain", r));
        await new Promise((r) => setTimeout(r, pace.pauseMs));
      }
      req.end();
    })().catch(reject);
  });
}

interface Measured<T> {
  value: T;
  seconds: number;
  /** Runtime workerd process (the Worker, local D1's isolate and SQLite): max(sampled peak, VmHWM) − idle, MB. */
  rssAboveIdleMb: number;
  /** The Worker's own isolate, from V8's GC trace between two full-GC marks; null without trace or inspector. */
  heap: WorkerHeap | null;
}

/** What the GC trace needs: the Worker's DevTools target (for the gc() marks) and the runtime's trace file. */
interface HeapProbe {
  cdp: Cdp;
  trace: GcTrace;
  /** The Worker's isolate address, once the first mark found it. */
  isolate?: string;
}

/** Runs `send` with the runtime workerd's RSS sampled (and its VmHWM reset) and the Worker's GCs traced around it. */
async function measured<T>(server: BenchServer, probe: HeapProbe | null, send: () => Promise<T>): Promise<Measured<T>> {
  const runtime = workerdProcesses(server.pid).find((p) => p.role === "runtime");
  if (!runtime) throw new Error("no runtime workerd under wrangler dev");
  // The opening full-GC mark comes before the idle RSS, so its own work is not in the window.
  let value: T;
  let heap: WorkerHeap | null = null;
  let seconds = 0;
  let idle = 0;
  let hwm = false;
  let sampler: ReturnType<typeof startSampler> | null = null;
  const timed = async () => {
    idle = await idleRss(runtime.pid);
    hwm = resetPeak(runtime.pid);
    sampler = startSampler([runtime.pid]);
    const t0 = performance.now();
    try {
      return await send();
    } finally {
      seconds = (performance.now() - t0) / 1000;
    }
  };
  if (probe) {
    ({ value, heap } = await withGcTrace(probe.cdp, probe.trace, timed, probe.isolate));
    probe.isolate = heap.worker.isolate;
  } else value = await timed();
  const peak = await sampler!.stop();
  const top = Math.max(peak.peak[0] ?? 0, hwm ? rssBytes(runtime.pid, "VmHWM") : 0);
  return { value, seconds, rssAboveIdleMb: Math.max(0, top - idle) / MB, heap };
}

/** The Worker heap's growth above its live heap at rest before the work: peak used (before a GC) and peak after a GC, MB. */
const peakGrowthMb = (h: WorkerHeap) => h.worker.peakBeforeMb - h.worker.liveBeforeMb;
const liveGrowthMb = (h: WorkerHeap) => h.worker.peakAfterMb - h.worker.liveBeforeMb;
const mb1 = (x: number) => x.toFixed(1);
function heapLines(h: WorkerHeap | null): string[] {
  if (h === null) return ["Worker heap: no GC trace"];
  const w = h.worker;
  const d1 = h.others[0];
  return [
    `Worker isolate ${w.isolate} (V8 GC trace, ${w.gcs} GCs of which ${w.fullGcs} full): live ${mb1(w.liveBeforeMb)} MB at rest before (full GC) → ` +
      `peak after a GC ${mb1(w.peakAfterMb)} MB (+${mb1(liveGrowthMb(h))})` +
      (w.peakAfterFullMb === null ? "" : `, after a full GC ${mb1(w.peakAfterFullMb)} MB`) +
      `; peak used before a GC ${mb1(w.peakBeforeMb)} MB (+${mb1(peakGrowthMb(h))}, garbage included; a scavenge freed up to ${mb1(w.youngFreedMb)} MB of young garbage); committed up to ${mb1(w.peakCommittedMb)} MB; ` +
      `live ${mb1(w.liveAfterMb)} MB at rest after`,
    d1
      ? `other isolates of the same workerd that ran a GC meanwhile: ${h.others.length}; the largest (local D1's Durable Object is the one that takes the statements) peaked at ${mb1(d1.peakBeforeMb)} MB used, ${mb1(d1.peakAfterMb)} MB after a GC`
      : "no other isolate of the runtime ran a GC during the work",
  ];
}

export interface ImportBenchOptions {
  server: BenchServer;
  say: (line: string) => void;
  /** Transcript size in MB (default 50). */
  mb?: number;
  /** Messages per session on the batch side. */
  sessionMessages?: number;
  /** Alternated import / batch runs (default 2): the fastest of each is compared, the largest heap and RSS reported. */
  runs?: number;
  /** The second server whose every GC is a full one, for the live heap at each GC (default on). */
  liveRun?: boolean;
  /** Also run the import once more under the sampling heap profiler and print where its allocations came from. */
  profile?: boolean;
}

/** A paced upload: 256 KiB every 20 ms (~12 MB/s on the wire). */
const PACE = { chunk: 256 * 1024, pauseMs: 20 };

export async function benchImport(o: ImportBenchOptions): Promise<{ targets: Target[]; figures: Record<string, unknown> }> {
  const { server, say } = o;
  const mb = o.mb ?? 50;
  const { body, turns } = claudeCodeTranscript(mb * 1e6);
  const parsed = parseTranscript("claude-code", body.toString("utf8"));
  const messages = parsed.sessions.flatMap((s) => s.messages ?? []);
  say(`  transcript: ${(body.length / 1e6).toFixed(1)} MB, ${turns.toLocaleString("en-US")} turns, ${messages.length.toLocaleString("en-US")} messages (the importer's parse)`);

  // The Worker's DevTools target in the runtime workerd (wrangler's own inspector proxy stays off), for the gc()
  // marks and the allocation profile; the heap figures come from the runtime's V8 GC trace.
  let cdp: Cdp | null = null;
  let probe: HeapProbe | null = null;
  const runtime = workerdProcesses(server.pid).find((p) => p.role === "runtime");
  try {
    if (!runtime) throw new Error("no runtime workerd");
    const target = await findWorkerInspector(runtime.pid, BENCH_WORKER_NAME);
    cdp = await Cdp.connect(target.url);
    const trace = server.gcTrace(runtime.pid);
    if (!trace) throw new Error("wrangler dev was started without the GC trace (EVALPORT_BENCH_GC_TRACE=0?)");
    probe = { cdp, trace };
    say(`  Worker heap: V8 --trace-gc of runtime workerd ${runtime.pid} (${trace.path}), full-GC marks by gc() through DevTools ${target.url}`);
  } catch (err) {
    say(`  ! Worker heap not measured: ${(err as Error).message}`);
  }

  // ---- the batch reference's requests: the same messages as sessions of equal size, up to 8 MB of JSON and 100
  //      sessions per request (the route's 10 MiB and 100 limits), sent one at a time like the import's one stream
  const per = o.sessionMessages ?? 1000;
  const head = parsed.sessions[0]!;
  const sessions = [];
  for (let i = 0; i < messages.length; i += per) {
    sessions.push({
      externalId: `batch-${i / per}`, title: head.title, source: "claude-code", model: head.model, projectPath: head.projectPath,
      gitBranch: head.gitBranch, createdAt: head.createdAt, messages: messages.slice(i, i + per),
    });
  }
  const bodies: Buffer[] = [];
  let pack: string[] = [];
  let packBytes = 0;
  const flush = () => {
    if (pack.length) bodies.push(Buffer.from(`{"sessions":[${pack.join(",")}]}`));
    pack = [];
    packBytes = 0;
  };
  for (const s of sessions) {
    const j = JSON.stringify(s);
    if (packBytes + j.length > 8 * MB || pack.length === 100) flush();
    pack.push(j);
    packBytes += j.length;
  }
  flush();
  const batchBytes = bodies.reduce((t, b) => t + b.length, 0);
  const sendBatches = async (key: string, pace?: typeof PACE) => {
    let n = 0;
    for (const b of bodies) {
      const r = await post(server, key, "/api/sessions/batch", b, "application/json", pace);
      if (r.status !== 200) throw new Error(`POST /api/sessions/batch answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      n += ((r.body as { results: { messageCount: number }[] }).results ?? []).reduce((t, x) => t + x.messageCount, 0);
    }
    return n;
  };
  const importInto = async (workspace: string, pace?: typeof PACE) => {
    const key = await server.createKey(workspace);
    return { key, r: await post(server, key, "/api/import?format=claude-code", body, "application/x-ndjson", pace) };
  };
  const storedOf = (r: { status: number; body: unknown }) => {
    if (r.status !== 201) throw new Error(`POST /api/import answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    const a = r.body as { sessions?: { messageCount: number }[]; truncated?: number };
    return { stored: a.sessions?.[0]?.messageCount ?? 0, truncated: a.truncated ?? 0 };
  };

  // ---- speed, Worker heap and process RSS: the import and the batch reference alternated `runs` times, each into a
  //      fresh workspace (so neither always meets the warmer JIT or the larger database); fastest time of each kept,
  //      the heap and RSS figures are the largest of the runs.
  const runs = Math.max(1, o.runs ?? 2);
  const imps: Measured<{ key: string; r: { status: number; body: unknown } }>[] = [];
  const bats: Measured<number>[] = [];
  let stored = 0;
  let truncated = 0;
  for (let run = 1; run <= runs; run++) {
    const imp = await measured(server, probe, () => importInto(`bench-import-${run}`));
    ({ stored, truncated } = storedOf(imp.value.r));
    imps.push(imp);
    say(`  run ${run}/${runs} POST /api/import: ${imp.seconds.toFixed(2)} s → ${(body.length / 1e6 / imp.seconds).toFixed(2)} MB/s, ${Math.round(stored / imp.seconds).toLocaleString("en-US")} messages/s ` +
      `(${stored.toLocaleString("en-US")} stored, ${truncated} truncated)`);
    say(`    runtime workerd RSS +${imp.rssAboveIdleMb.toFixed(1)} MB (the whole process: the Worker, local D1's isolate, SQLite's page cache and WAL)`);
    for (const l of heapLines(imp.heap)) say(`    ${l}`);

    const batchKey = await server.createKey(`bench-import-batch-${run}`);
    const bat = await measured(server, probe, () => sendBatches(batchKey));
    bats.push(bat);
    say(`  run ${run}/${runs} POST /api/sessions/batch: ${sessions.length} sessions × ${per} messages in ${bodies.length} requests (${(batchBytes / 1e6).toFixed(1)} MB of JSON), ` +
      `${bat.seconds.toFixed(2)} s → ${Math.round(bat.value / bat.seconds).toLocaleString("en-US")} messages/s, ${(batchBytes / 1e6 / bat.seconds).toFixed(2)} MB/s`);
    say(`    runtime workerd RSS +${bat.rssAboveIdleMb.toFixed(1)} MB`);
    for (const l of heapLines(bat.heap)) say(`    ${l}`);
  }
  if (runs > 1) {
    say(`  (from run 2 on, the import follows a batch reference whose heap growth raised V8's heap limits: it collects old garbage later, so its "after a GC" upper bound is higher)`);
  }
  const fastest = <T,>(xs: Measured<T>[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const worstHeap = <T,>(xs: Measured<T>[]) =>
    xs.reduce<WorkerHeap | null>((a, b) => (b.heap && (!a || liveGrowthMb(b.heap) > liveGrowthMb(a)) ? b.heap : a), null);
  const imp = { ...fastest(imps), heap: worstHeap(imps), rssAboveIdleMb: Math.max(...imps.map((x) => x.rssAboveIdleMb)) };
  const bat = { ...fastest(bats), heap: worstHeap(bats), rssAboveIdleMb: Math.max(...bats.map((x) => x.rssAboveIdleMb)) };
  const impMbps = body.length / 1e6 / imp.seconds;
  const impRate = stored / imp.seconds;
  const batRate = bat.value / bat.seconds;

  // ---- where the import's allocations come from (--import-profile): one more import into a fresh workspace
  let sites: AllocationSite[] | null = null;
  if (o.profile && cdp) {
    const p = await sampleAllocations(cdp, () => importInto("bench-import-profile"), true);
    storedOf(p.value.r);
    sites = p.sites;
    say(`  sampling heap profile of one more import (every allocation, collected or not: ${(p.totalBytes / MB).toFixed(0)} MB allocated in all), top sites:`);
    for (const x of p.sites) say(`    ${(x.selfBytes / MB).toFixed(1).padStart(7)} MB  ${x.functionName} ${x.url.split("/").pop()}:${x.line}`);
  }
  cdp?.close();

  // ---- the live heap, sampled at every GC: a second wrangler dev of the same frozen bundle whose V8 makes every GC a
  //      full one (--gc-global), so each "after" is what is really live at that moment, not old garbage V8 has not
  //      collected yet. Slower, so only the heap is read here; speed comes from the runs above.
  let live: { imp: WorkerHeap; bat: WorkerHeap } | null = null;
  if (o.liveRun !== false && probe) {
    say(`  every GC a full GC (V8 --gc-global), second wrangler dev of the same bundle: the live heap at each GC…`);
    const outDir = join(dirname(server.configPath), "import-gc-global");
    const second = await startServer({
      port: await freePort(server.port + 30), outDir, persistDir: `${server.persistDir}-gc-global`, rateLimit: server.rateLimit,
      log: (l) => say(`  ${l}`), gcTrace: true, extraV8Flags: ["--gc-global"], bundlePath: server.bundlePath,
    });
    try {
      const rt = workerdProcesses(second.pid).find((p) => p.role === "runtime");
      if (!rt) throw new Error("no runtime workerd");
      const c2 = await Cdp.connect((await findWorkerInspector(rt.pid, BENCH_WORKER_NAME)).url);
      const trace = second.gcTrace(rt.pid)!;
      try {
        const key = await second.createKey("bench-import-live");
        const a = await withGcTrace(c2, trace, async () => storedOf(await post(second, key, "/api/import?format=claude-code", body, "application/x-ndjson")));
        const batchKeyLive = await second.createKey("bench-import-live-batch");
        const b = await withGcTrace(c2, trace, async () => {
          for (const x of bodies) {
            const r = await post(second, batchKeyLive, "/api/sessions/batch", x, "application/json");
            if (r.status !== 200) throw new Error(`POST /api/sessions/batch answered ${r.status}`);
          }
        }, a.heap.worker.isolate);
        live = { imp: a.heap, bat: b.heap };
        for (const [name, h] of [["POST /api/import", a.heap], ["POST /api/sessions/batch", b.heap]] as const) {
          say(`    ${name}: live after a GC up to ${mb1(h.worker.peakAfterMb)} MB (+${mb1(liveGrowthMb(h))} above ${mb1(h.worker.liveBeforeMb)} at rest), ` +
            `${h.worker.gcs} full GCs; used before a GC up to ${mb1(h.worker.peakBeforeMb)} MB (+${mb1(peakGrowthMb(h))})`);
        }
      } finally {
        c2.close();
      }
    } catch (err) {
      say(`  ! live heap run failed: ${(err as Error).message} (see ${rel(join(outDir, "wrangler.log"))})`);
    } finally {
      await second.stop();
      rmSync(second.persistDir, { recursive: true, force: true });
    }
  }

  const ratio = impRate / batRate;
  const check = await requestJson(server.base, "GET", "/api/sessions?limit=1", { authorization: `Bearer ${imp.value.key}` });
  const ok = check.status === 200 && stored === messages.length && bats.every((b) => b.value === messages.length);
  const impHeap = imp.heap;
  const batHeap = bat.heap;
  const fig = (h: WorkerHeap) =>
    `+${mb1(liveGrowthMb(h))} MB (${mb1(h.worker.liveBeforeMb)} → ${mb1(h.worker.peakAfterMb)}` +
    (h.worker.peakAfterFullMb === null ? "" : `; after a full GC ≤ ${mb1(h.worker.peakAfterFullMb)}`) +
    `; ${h.worker.gcs} GCs, ${h.worker.fullGcs} full)`;
  const targets: Target[] = [
    {
      target: `Worker heap growth < 64 MB, import of a ${(body.length / 1e6).toFixed(0)} MB Claude Code transcript in one request (live heap after each GC, every GC a full one: V8 --gc-global, peak above the live heap at rest before)`,
      figure: live
        ? `+${mb1(liveGrowthMb(live.imp))} MB (${mb1(live.imp.worker.liveBeforeMb)} → ${mb1(live.imp.worker.peakAfterMb)} MB, ${live.imp.worker.gcs} GCs) (batch reference +${mb1(liveGrowthMb(live.bat))} MB, ${mb1(live.bat.worker.liveBeforeMb)} → ${mb1(live.bat.worker.peakAfterMb)})`
        : "no live heap run",
      result: live ? (ok && liveGrowthMb(live.imp) < 64 ? "PASS" : "FAIL") : "SKIP",
    },
    {
      target: `Worker heap, same import at full speed (V8's own GC choices): peak used right after any GC (old garbage not yet collected included), largest of ${runs} runs`,
      figure: impHeap && batHeap
        ? `${fig(impHeap)}; runs ${imps.map((x) => (x.heap ? `+${mb1(liveGrowthMb(x.heap))}` : "?")).join(" / ")} MB (batch reference: ${fig(batHeap)})`
        : "no GC trace",
      result: "INFO",
    },
    {
      target: `Worker heap, peak used just before a GC (garbage included: the young generation fills to V8's size for it between scavenges), same runs; with every GC full: import / batch`,
      figure: impHeap && batHeap
        ? `+${mb1(peakGrowthMb(impHeap))} MB (→ ${mb1(impHeap.worker.peakBeforeMb)}; a scavenge freed up to ${mb1(impHeap.worker.youngFreedMb)} MB) (batch reference +${mb1(peakGrowthMb(batHeap))} MB)` +
          (live ? `; every GC full: +${mb1(peakGrowthMb(live.imp))} / +${mb1(peakGrowthMb(live.bat))} MB` : "")
        : "no GC trace",
      result: "INFO",
    },
    {
      target: `runtime workerd RSS growth, same import at full speed (Worker + local D1 + SQLite; the Worker's share is the heap rows above)`,
      figure: `${imp.rssAboveIdleMb.toFixed(1)} MB at ${impMbps.toFixed(2)} MB/s (batch reference ${bat.rssAboveIdleMb.toFixed(1)} MB)`,
      result: "INFO",
    },
    {
      target: `import ÷ batch messages/s ≥ 1.0 (${messages.length.toLocaleString("en-US")} messages, batch as ${per}-message sessions, one request at a time; fastest of ${runs} alternated runs each)`,
      figure: `${ratio.toFixed(2)} (${Math.round(impRate).toLocaleString("en-US")} vs ${Math.round(batRate).toLocaleString("en-US")} messages/s)`,
      result: ok && ratio >= 1 ? "PASS" : "FAIL",
    },
  ];
  return {
    targets,
    figures: {
      transcriptBytes: body.length, turns, messages: messages.length, stored,
      import: { seconds: imp.seconds, mbPerSec: impMbps, messagesPerSec: impRate, rssAboveIdleMb: imp.rssAboveIdleMb, heap: imp.heap },
      batch: { sessions: sessions.length, requests: bodies.length, bytes: batchBytes, seconds: bat.seconds, messagesPerSec: batRate, rssAboveIdleMb: bat.rssAboveIdleMb, heap: bat.heap },
      runs: { importSeconds: imps.map((x) => x.seconds), batchSeconds: bats.map((x) => x.seconds), importHeaps: imps.map((x) => x.heap), batchHeaps: bats.map((x) => x.heap) },
      liveHeap: live,
      allocationSites: sites,
      ratio,
    },
  };
}
