/**
 * Issue 10 defect 2, measured: DeepEval exports of long sessions (one 1,000-message session, one 400 × 4 KB
 * session) with workerd RSS growth during the export, beside the same sessions exported as `openai` (whose output
 * is linear in the input) as the reference. A DeepEval exchange repeats the conversation before it as `context`, so
 * its output grows with the square of the session unless `contextMessages` bounds it.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { createGenerator, type BenchSession } from "./data";
import { agent, requestJson } from "./http";
import { idleRss, resetPeak, rssBytes, startSampler } from "./rss";
import { workerdProcesses, type BenchServer } from "./server";

export interface Target {
  target: string;
  figure: string;
  result: "PASS" | "FAIL" | "SKIP";
}

export interface Measured {
  path: string;
  status: number;
  bytes: number;
  seconds: number;
  mbPerSec: number;
  sha256: string;
  sessions: number;
  /** Runtime workerd (Worker + local D1): max(sampled peak, VmHWM) − idle, MB. */
  rssAboveIdleMb: number;
  aborted: boolean;
}

const MB = 1024 * 1024;

/** GET `path`, the body hashed and counted (never kept), with the runtime workerd's RSS above idle while it ran. */
export async function measureGet(server: BenchServer, key: string, path: string): Promise<Measured> {
  const runtime = workerdProcesses(server.pid).find((p) => p.role === "runtime");
  if (!runtime) throw new Error("no runtime workerd under wrangler dev");
  const idle = await idleRss(runtime.pid);
  const hwm = resetPeak(runtime.pid);
  const sampler = startSampler([runtime.pid]);
  const t0 = performance.now();
  const r = await new Promise<{ status: number; bytes: number; sha: string; sessions: number; aborted: boolean }>((resolve, reject) => {
    const req = http.request(new URL(path, server.base), { method: "GET", agent, headers: { authorization: `Bearer ${key}`, "accept-encoding": "identity" } }, (res) => {
      const hash = createHash("sha256");
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      res.on("close", () =>
        resolve({ status: res.statusCode ?? 0, bytes, sha: hash.digest("hex"), sessions: Number(res.headers["x-export-sessions"] ?? NaN), aborted: !res.complete }),
      );
    });
    req.on("error", reject);
    req.end();
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = await sampler.stop();
  const top = Math.max(peak.peak[0] ?? 0, hwm ? rssBytes(runtime.pid, "VmHWM") : 0);
  return {
    path, status: r.status, bytes: r.bytes, seconds, mbPerSec: r.bytes / 1e6 / seconds, sha256: r.sha, sessions: r.sessions,
    rssAboveIdleMb: Math.max(0, top - idle) / MB, aborted: r.aborted,
  };
}

/** One session of exactly `n` messages alternating user/assistant, each `bytes` characters. */
function fixedSession(externalId: string, n: number, bytes: number, baseTime: number): BenchSession {
  const gen = createGenerator({ messages: 2, readyFraction: 1, seed: 41, baseTime });
  const s = gen(0, "dm");
  const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ".repeat(Math.ceil(bytes / 77) + 1);
  s.externalId = externalId;
  s.messages = Array.from({ length: n }, (_, i) => ({
    externalId: `m${i}`,
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `${i} ${filler.slice(i % 50, i % 50 + bytes - String(i).length - 1)}`,
    createdAt: baseTime + i * 1000,
  }));
  s.updatedAt = baseTime + n * 1000;
  return s;
}

export interface DeepevalMemoryOptions {
  server: BenchServer;
  say: (line: string) => void;
  baseTime: number;
  contextMessages: number;
}

export async function benchDeepevalMemory(o: DeepevalMemoryOptions): Promise<{ targets: Target[]; figures: unknown[] }> {
  const { server, say } = o;
  const key = await server.createKey("deepeval-mem");
  const long = createGenerator({ messages: 1000, readyFraction: 1, seed: 40, baseTime: o.baseTime })(0, "dm");
  long.externalId = "dm-1000";
  long.evalReady = true;
  // The generator's messages average ~1.1 KB; doubled, the session is ~2 MB in like the issue's.
  for (const m of long.messages) if (m.content) m.content = `${m.content}\n\n${m.content}`;
  const wide = fixedSession("dm-400x4k", 400, 4096, o.baseTime + 1000);
  const targets: Target[] = [];
  const figures: unknown[] = [];
  for (const s of [long, wide]) {
    const body = JSON.stringify({ sessions: [{ ...s, evalReady: true }] });
    const res = await requestJson(server.base, "POST", "/api/sessions/batch", { authorization: `Bearer ${key}` }, body);
    if (res.status !== 200) throw new Error(`POST /api/sessions/batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    const id = (res.body as { results?: { id: string }[] }).results?.[0]?.id;
    if (!id) throw new Error(`no session id in the batch answer for ${s.externalId}`);
    say(`  ${s.externalId}: ${s.messages.length} messages, ${(Buffer.byteLength(body) / 1e6).toFixed(2)} MB in`);
    await measureGet(server, key, `/api/export?format=openai&id=${id}`); // warm-up, not counted
    const ref = await measureGet(server, key, `/api/export?format=openai&id=${id}`);
    const line = (label: string, m: Measured) =>
      `    ${label.padEnd(50)} ${m.status === 200 ? "" : `HTTP ${m.status} `}${(m.bytes / 1e6).toFixed(2).padStart(8)} MB out, ` +
      `${m.seconds.toFixed(2).padStart(6)} s, ${m.mbPerSec.toFixed(1).padStart(6)} MB/s, RSS +${m.rssAboveIdleMb.toFixed(1)} MB${m.aborted ? " ! aborted" : ""}`;
    say(line("openai (reference, linear)", ref));
    figures.push({ session: s.externalId, format: "openai", ...ref });
    for (const format of ["deepeval", "deepeval-conversational"]) {
      for (const ctx of [undefined, o.contextMessages]) {
        const m = await measureGet(server, key, `/api/export?format=${format}&id=${id}${ctx === undefined ? "" : `&contextMessages=${ctx}`}`);
        const label = `${format}, contextMessages ${ctx === undefined ? "default" : ctx}`;
        say(line(label, m) + `  (${(m.bytes / Math.max(1, ref.bytes)).toFixed(1)} × openai's bytes)`);
        figures.push({ session: s.externalId, format, contextMessages: ctx ?? null, ...m });
        targets.push({
          target: `RSS growth < 64 MB, ${label} export of ${s.externalId}`,
          figure: `${m.rssAboveIdleMb.toFixed(1)} MB (openai ${ref.rssAboveIdleMb.toFixed(1)} MB); ${(m.bytes / 1e6).toFixed(1)} MB at ${m.mbPerSec.toFixed(1)} MB/s`,
          result: m.status === 200 && !m.aborted && m.rssAboveIdleMb < 64 ? "PASS" : "FAIL",
        });
      }
    }
  }
  return { targets, figures };
}
