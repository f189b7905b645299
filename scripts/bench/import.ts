/**
 * Issue 8, measured: one ~50 MB Claude Code transcript (prompts, assistant text, tool_use + tool_result pairs of a few
 * KB, every 40th output ~200 KB) POSTed with Content-Length to /api/import, with the runtime workerd's RSS growth
 * while it runs; then the very same messages (the importer's own parse of the file, run here) sent through
 * POST /api/sessions/batch as sessions of equal size, one request at a time like the import's one stream, as the
 * reference measured in the same run.
 */
import http from "node:http";
import { parseTranscript } from "../../src/importers";
import { agent, requestJson } from "./http";
import { idleRss, resetPeak, rssBytes, startSampler } from "./rss";
import { workerdProcesses, type BenchServer } from "./server";

export interface Target {
  target: string;
  figure: string;
  result: "PASS" | "FAIL" | "SKIP";
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

interface Posted {
  status: number;
  seconds: number;
  body: unknown;
  /** Runtime workerd (Worker + local D1): max(sampled peak, VmHWM) − idle, MB. */
  rssAboveIdleMb: number;
}

function post(server: BenchServer, key: string, path: string, body: Buffer, contentType: string): Promise<{ status: number; body: unknown }> {
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
    req.end(body);
  });
}

/** Runs `send` with the runtime workerd's RSS sampled (and its VmHWM reset) around it. */
async function withRss<T>(server: BenchServer, send: () => Promise<T>): Promise<{ value: T; seconds: number; rssAboveIdleMb: number }> {
  const runtime = workerdProcesses(server.pid).find((p) => p.role === "runtime");
  if (!runtime) throw new Error("no runtime workerd under wrangler dev");
  const idle = await idleRss(runtime.pid);
  const hwm = resetPeak(runtime.pid);
  const sampler = startSampler([runtime.pid]);
  const t0 = performance.now();
  const value = await send();
  const seconds = (performance.now() - t0) / 1000;
  const peak = await sampler.stop();
  const top = Math.max(peak.peak[0] ?? 0, hwm ? rssBytes(runtime.pid, "VmHWM") : 0);
  return { value, seconds, rssAboveIdleMb: Math.max(0, top - idle) / MB };
}

export interface ImportBenchOptions {
  server: BenchServer;
  say: (line: string) => void;
  /** Transcript size in MB (default 50). */
  mb?: number;
  /** Messages per session on the batch side. */
  sessionMessages?: number;
}

export async function benchImport(o: ImportBenchOptions): Promise<{ targets: Target[]; figures: Record<string, unknown> }> {
  const { server, say } = o;
  const mb = o.mb ?? 50;
  const { body, turns } = claudeCodeTranscript(mb * 1e6);
  const parsed = parseTranscript("claude-code", body.toString("utf8"));
  const messages = parsed.sessions.flatMap((s) => s.messages ?? []);
  say(`  transcript: ${(body.length / 1e6).toFixed(1)} MB, ${turns.toLocaleString("en-US")} turns, ${messages.length.toLocaleString("en-US")} messages (the importer's parse)`);

  // ---- import: one request, the file as the body with its Content-Length
  const importKey = await server.createKey("bench-import");
  const imp = await withRss(server, () => post(server, importKey, "/api/import?format=claude-code", body, "application/x-ndjson"));
  const answer = imp.value.body as { sessions?: { messageCount: number }[]; truncated?: number };
  if (imp.value.status !== 201) throw new Error(`POST /api/import answered ${imp.value.status}: ${JSON.stringify(imp.value.body).slice(0, 300)}`);
  const stored = answer.sessions?.[0]?.messageCount ?? 0;
  const impMbps = body.length / 1e6 / imp.seconds;
  const impRate = stored / imp.seconds;
  say(`  POST /api/import: ${imp.seconds.toFixed(2)} s → ${impMbps.toFixed(2)} MB/s, ${Math.round(impRate).toLocaleString("en-US")} messages/s ` +
    `(${stored.toLocaleString("en-US")} stored, ${answer.truncated ?? 0} truncated); runtime workerd RSS +${imp.rssAboveIdleMb.toFixed(1)} MB`);

  // ---- reference: the same messages through POST /api/sessions/batch, sessions of equal size, one request at a time
  const per = o.sessionMessages ?? 1000;
  const batchKey = await server.createKey("bench-import-batch");
  const head = parsed.sessions[0]!;
  const sessions = [];
  for (let i = 0; i < messages.length; i += per) {
    sessions.push({
      externalId: `batch-${i / per}`, title: head.title, source: "claude-code", model: head.model, projectPath: head.projectPath,
      gitBranch: head.gitBranch, createdAt: head.createdAt, messages: messages.slice(i, i + per),
    });
  }
  // Requests of up to 8 MB of JSON and 100 sessions (the route's 10 MiB and 100 limits).
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
  const bat = await withRss(server, async () => {
    let n = 0;
    for (const b of bodies) {
      const r = await post(server, batchKey, "/api/sessions/batch", b, "application/json");
      if (r.status !== 200) throw new Error(`POST /api/sessions/batch answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      n += ((r.body as { results: { messageCount: number }[] }).results ?? []).reduce((t, x) => t + x.messageCount, 0);
    }
    return n;
  });
  const batRate = bat.value / bat.seconds;
  say(`  POST /api/sessions/batch: ${sessions.length} sessions × ${per} messages in ${bodies.length} requests (${(batchBytes / 1e6).toFixed(1)} MB of JSON), ` +
    `${bat.seconds.toFixed(2)} s → ${Math.round(batRate).toLocaleString("en-US")} messages/s, ${(batchBytes / 1e6 / bat.seconds).toFixed(2)} MB/s; runtime workerd RSS +${bat.rssAboveIdleMb.toFixed(1)} MB`);

  const ratio = impRate / batRate;
  const check = await requestJson(server.base, "GET", "/api/sessions?limit=1", { authorization: `Bearer ${importKey}` });
  const ok = check.status === 200 && stored === messages.length && bat.value === messages.length;
  const targets: Target[] = [
    {
      target: `RSS growth < 64 MB, import of a ${(body.length / 1e6).toFixed(0)} MB Claude Code transcript in one request (runtime workerd)`,
      figure: `${imp.rssAboveIdleMb.toFixed(1)} MB at ${impMbps.toFixed(2)} MB/s (batch reference ${bat.rssAboveIdleMb.toFixed(1)} MB)`,
      result: ok && imp.rssAboveIdleMb < 64 ? "PASS" : "FAIL",
    },
    {
      target: `import ÷ batch messages/s ≥ 1.0 (${messages.length.toLocaleString("en-US")} messages, batch as ${per}-message sessions, one request at a time)`,
      figure: `${ratio.toFixed(2)} (${Math.round(impRate).toLocaleString("en-US")} vs ${Math.round(batRate).toLocaleString("en-US")} messages/s)`,
      result: ok && ratio >= 1 ? "PASS" : "FAIL",
    },
  ];
  return {
    targets,
    figures: {
      transcriptBytes: body.length, turns, messages: messages.length, stored,
      import: { seconds: imp.seconds, mbPerSec: impMbps, messagesPerSec: impRate, rssAboveIdleMb: imp.rssAboveIdleMb },
      batch: { sessions: sessions.length, requests: bodies.length, bytes: batchBytes, seconds: bat.seconds, messagesPerSec: batRate, rssAboveIdleMb: bat.rssAboveIdleMb },
      ratio,
    },
  };
}
