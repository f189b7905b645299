/**
 * Where an import's CPU time goes inside the Worker: starts the bench's own wrangler dev (frozen bundle, fresh local
 * D1), imports the bench's ~50 MB Claude Code transcript once to warm up, then once more under the DevTools CPU
 * profiler of the Worker's isolate, and prints the functions with the most self time. Also the same for the batch
 * reference's requests when `--batch` is given. Run it alone, under the bench lock:
 *
 *   flock /tmp/evalport-heavy.lock node --import tsx scripts/bench/import-cpu.ts [--mb 50] [--batch]
 *
 * Only the Worker's isolate is profiled: local D1 (its own isolate and SQLite) is not in the figures.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseTranscript } from "../../src/importers";
import { ROOT } from "../lib/local";
import { claudeCodeTranscript } from "./import";
import { Cdp, findWorkerInspector } from "./inspector";
import { BENCH_WORKER_NAME, freePort, startServer, workerdProcesses } from "./server";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const { values } = parseArgs({ options: { mb: { type: "string", default: "50" }, batch: { type: "boolean", default: false } } });
process.env.VSCODE_INSPECTOR_OPTIONS ||= "{}"; // wrangler's own inspector proxy off, as in scripts/bench.ts
const outDir = join(ROOT, "bench-output", "import-cpu");
const server = await startServer({
  port: await freePort(8820), outDir, persistDir: join(ROOT, ".wrangler", "bench-cpu-state"), rateLimit: 1_000_000,
  log: (l) => console.log(l), gcTrace: false,
});
try {
  const runtime = workerdProcesses(server.pid).find((p) => p.role === "runtime")!;
  const cdp = await Cdp.connect((await findWorkerInspector(runtime.pid, BENCH_WORKER_NAME)).url);
  const { body } = claudeCodeTranscript(Number(values.mb) * 1e6);
  const send = async (path: string, key: string, b: Buffer, type: string) => {
    const res = await fetch(new URL(path, server.base), { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body: new Uint8Array(b) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const importOnce = async (ws: string) => send("/api/import?format=claude-code", await server.createKey(ws), body, "application/x-ndjson");
  let batches: Buffer[] = [];
  if (values.batch) {
    const parsed = parseTranscript("claude-code", body.toString("utf8"));
    const messages = parsed.sessions.flatMap((s) => s.messages ?? []);
    const head = parsed.sessions[0]!;
    const sessions = [];
    for (let i = 0; i < messages.length; i += 1000) sessions.push({ externalId: `batch-${i}`, source: "claude-code", createdAt: head.createdAt, messages: messages.slice(i, i + 1000) });
    for (let i = 0; i < sessions.length; i += 3) batches.push(Buffer.from(JSON.stringify({ sessions: sessions.slice(i, i + 3) })));
  }
  const batchOnce = async (ws: string) => {
    const key = await server.createKey(ws);
    for (const b of batches) await send("/api/sessions/batch", key, b, "application/json");
  };
  const profile = async (label: string, work: () => Promise<void>) => {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
    await cdp.send("Profiler.start");
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    const { profile: p } = await cdp.send<{ profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } }>("Profiler.stop");
    await cdp.send("Profiler.disable");
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    p.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const f = n.callFrame;
      const k = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
      const dt = p.timeDeltas[i] ?? 0;
      self.set(k, (self.get(k) ?? 0) + dt);
      total += dt;
    });
    console.log(`\n${label}: ${(ms / 1000).toFixed(2)} s wall, ${(total / 1e6).toFixed(2)} s sampled in the Worker's isolate; top self time:`);
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${(100 * us / total).toFixed(1).padStart(5)}%  ${k}`);
  };
  await importOnce("warm-import");
  if (values.batch) await batchOnce("warm-batch");
  await profile("POST /api/import", () => importOnce("cpu-import"));
  if (values.batch) await profile("POST /api/sessions/batch", () => batchOnce("cpu-batch"));
  cdp.close();
} finally {
  await server.stop();
}
