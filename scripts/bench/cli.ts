/**
 * Issue 9, measured: `evalport import` of a generated $HOME holding 1,000 Claude Code transcripts of 100 messages,
 * beside the same files sent straight from this process with bounded parallel fetch to POST /api/import (the CLI's
 * default concurrency), each into its own workspace; then a second CLI run, which must send nothing.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/local";
import { prng } from "./data";
import type { Target } from "./deepeval-memory";
import type { BenchServer } from "./server";

/** The CLI's default `--concurrency` (cli/commands/import.js). */
export const CLI_CONCURRENCY = 6;

const WORDS = "the login redirect loop provider cookie session token render effect middleware router fix test build error value".split(" ");

/** One Claude Code transcript in the shapes Claude Code 2.x writes: 25 rounds of prompt, tool use, tool result, reply. */
function transcript(i: number, rounds: number, rand: () => number): string {
  const sessionId = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
  const t0 = Date.parse("2026-11-01T09:00:00.000Z") + i * 60_000;
  let s = 0;
  let parent: string | null = null;
  const lines: unknown[] = [{ type: "summary", summary: `Bench session ${i}: ${text(5)}`, leafUuid: `u-${i}-0` }];
  const base = (uuid: string) => {
    const b = { parentUuid: parent, isSidechain: false, userType: "external", cwd: `/home/dev/app-${i % 20}`, sessionId, version: "2.0.76", gitBranch: "main", uuid, timestamp: new Date(t0 + s++ * 1500).toISOString() };
    parent = uuid;
    return b;
  };
  const usage = { input_tokens: 12, cache_creation_input_tokens: 300, cache_read_input_tokens: 9000, output_tokens: 120, service_tier: "standard" };
  const assistant = (uuid: string, id: string, block: unknown) => ({
    ...base(uuid), type: "assistant", requestId: `req_${id}`,
    message: { model: "claude-sonnet-4-5-20250929", id, type: "message", role: "assistant", content: [block], stop_reason: null, usage },
  });
  for (let r = 0; r < rounds; r++) {
    lines.push({ ...base(`u-${i}-${r}`), type: "user", message: { role: "user", content: text(20 + Math.floor(rand() * 60)) } });
    const a = `msg_${i}_${r}a`;
    lines.push(assistant(`a-${i}-${r}-1`, a, { type: "thinking", thinking: text(30), signature: "c2ln" }));
    lines.push(assistant(`a-${i}-${r}-2`, a, { type: "text", text: text(40) }));
    lines.push(assistant(`a-${i}-${r}-3`, a, { type: "tool_use", id: `toolu_${i}_${r}`, name: "Read", input: { file_path: `/home/dev/app/src/f${r}.ts` } }));
    const result = text(100 + Math.floor(rand() * 300));
    lines.push({
      ...base(`t-${i}-${r}`), type: "user",
      message: { role: "user", content: [{ tool_use_id: `toolu_${i}_${r}`, type: "tool_result", content: result }] },
      toolUseResult: { type: "text", file: { filePath: `/home/dev/app/src/f${r}.ts`, content: result } },
    });
    lines.push({ type: "progress", data: { type: "hook_progress", hookEvent: "PostToolUse" }, toolUseID: `toolu_${i}_${r}`, uuid: `p-${i}-${r}`, timestamp: new Date(t0 + s * 1500).toISOString(), sessionId });
    lines.push(assistant(`a-${i}-${r}-4`, `msg_${i}_${r}b`, { type: "text", text: text(60 + Math.floor(rand() * 200)) }));
  }
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

/** `$HOME/.claude/projects/<encoded cwd>/<uuid>.jsonl`, `files` of them, 4 messages per round. */
export function fakeHome(dir: string, files: number, messages: number): { paths: string[]; bytes: number } {
  rmSync(dir, { recursive: true, force: true });
  const rand = prng(9);
  const paths: string[] = [];
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const project = join(dir, ".claude", "projects", `-home-dev-app-${i % 20}`);
    mkdirSync(project, { recursive: true });
    const p = join(project, `00000000-0000-4000-8000-${String(i).padStart(12, "0")}.jsonl`);
    const body = transcript(i, Math.ceil(messages / 4), rand);
    writeFileSync(p, body);
    bytes += body.length;
    paths.push(p);
  }
  return { paths, bytes };
}

async function direct(base: string, key: string, paths: string[], concurrency: number): Promise<{ seconds: number; messages: number; failed: number }> {
  let next = 0;
  let messages = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= paths.length) return;
        const res = await fetch(`${base}/api/import?format=claude-code`, {
          method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" }, body: readFileSync(paths[i]!),
        });
        const body = (await res.json()) as { sessions?: { messageCount: number }[] };
        if (res.status !== 200 && res.status !== 201) failed++;
        else messages += (body.sessions ?? []).reduce((t, s) => t + s.messageCount, 0);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, messages, failed };
}

function runCli(home: string, configHome: string, base: string, key: string): Promise<{ seconds: number; summary: Record<string, any> | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, EVALPORT_URL: base, EVALPORT_KEY: key, NO_COLOR: "1" };
    // Its own config folder per run: the state file lives there, so each first run starts from nothing.
    env.XDG_CONFIG_HOME = configHome;
    const child = spawn(process.execPath, [join(ROOT, "bin", "evalport.js"), "import", "--json", "--quiet"], { cwd: home, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      let summary = null;
      try {
        summary = JSON.parse(out);
      } catch {
        // Reported below with stderr.
      }
      resolve({ seconds: (performance.now() - t0) / 1000, summary, code, stderr: err.slice(-500) });
    });
  });
}

export async function benchCli(o: { server: BenchServer; say: (l: string) => void; outDir: string; files: number; messages: number }): Promise<{ targets: Target[]; figures: unknown }> {
  const { server, say } = o;
  const home = join(o.outDir, "cli-home");
  // Keys first: the bench's keep-alive agent is idle afterwards, and a socket the server closed meanwhile would hang up.
  const keys = { direct: [await server.createKey("cli-direct-1"), await server.createKey("cli-direct-2")], cli: [await server.createKey("cli-1"), await server.createKey("cli-2")] };
  const t = performance.now();
  const { paths, bytes } = fakeHome(home, o.files, o.messages);
  say(`  generated ${paths.length} transcripts × ${o.messages} messages (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s under ${home}`);
  // Direct, CLI, direct, CLI, each into a fresh workspace (and the CLI with a fresh state file): the best of two
  // each, alternated, so neither side is measured alone on a cold server or on a busy machine.
  const directRuns: Awaited<ReturnType<typeof direct>>[] = [];
  const cliRuns: (Awaited<ReturnType<typeof runCli>> & { config: string; key: string })[] = [];
  for (let round = 1; round <= 2; round++) {
    const dk = keys.direct[round - 1]!;
    const d = await direct(server.base, dk, paths, CLI_CONCURRENCY);
    directRuns.push(d);
    say(`  direct fetch, run ${round} (${CLI_CONCURRENCY} in flight): ${d.seconds.toFixed(1)} s, ${(paths.length / d.seconds).toFixed(1)} files/s${d.failed ? `, ! ${d.failed} failed` : ""}`);
    const ck = keys.cli[round - 1]!;
    const config = join(o.outDir, `cli-config-${round}`);
    rmSync(config, { recursive: true, force: true });
    const c = await runCli(home, config, server.base, ck);
    cliRuns.push({ ...c, config, key: ck });
    say(`  evalport import --json, run ${round}: ${c.seconds.toFixed(1)} s, ${(paths.length / c.seconds).toFixed(1)} files/s (exit ${c.code}, sent ${c.summary?.files?.sent})${c.code !== 0 ? `\n  ! ${c.stderr}` : ""}`);
  }
  const d = directRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const c1 = cliRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  say(`  direct fetch, best: ${d.seconds.toFixed(1)} s, ${(paths.length / d.seconds).toFixed(1)} files/s, ${Math.round(d.messages / d.seconds)} messages/s`);
  const files = c1.summary?.files ?? {};
  const cliMessages = d.messages; // the same files: the same messages
  say(
    `  evalport import --json, best: ${c1.seconds.toFixed(1)} s, ${(paths.length / c1.seconds).toFixed(1)} files/s, ${Math.round(cliMessages / c1.seconds)} messages/s ` +
      `(exit ${c1.code}; sent ${files.sent}, failed ${files.failed}; sessions created ${c1.summary?.sessions?.created})${c1.code !== 0 ? `\n  ! ${c1.stderr}` : ""}`,
  );
  const ratio = d.seconds / c1.seconds;
  say(`  CLI ÷ direct = ${ratio.toFixed(3)} (target ≥ 0.8)`);
  const c2 = await runCli(home, c1.config, server.base, c1.key);
  const sent2 = c2.summary?.files?.sent;
  say(`  second run: ${c2.seconds.toFixed(2)} s, files sent: ${sent2}, unchanged ${c2.summary?.files?.unchanged} (exit ${c2.code})`);
  rmSync(home, { recursive: true, force: true });
  for (const r of cliRuns) rmSync(r.config, { recursive: true, force: true });
  return {
    targets: [
      { target: `CLI ÷ direct ≥ 0.8 (${paths.length} Claude Code transcripts × ${o.messages}, ${CLI_CONCURRENCY} in flight)`, figure: `${ratio.toFixed(3)} (${(paths.length / c1.seconds).toFixed(1)} vs ${(paths.length / d.seconds).toFixed(1)} files/s)`, result: c1.code === 0 && files.sent === paths.length && ratio >= 0.8 ? "PASS" : "FAIL" },
      { target: `second CLI run: files sent: 0, in seconds (< 10 s)`, figure: `files sent: ${sent2}, ${c2.seconds.toFixed(2)} s`, result: c2.code === 0 && sent2 === 0 && c2.seconds < 10 ? "PASS" : "FAIL" },
    ],
    figures: { files: paths.length, bytes, direct: d, directRuns: directRuns.map((r) => r.seconds), cliRuns: cliRuns.map((r) => r.seconds), cli: { seconds: c1.seconds, summary: c1.summary }, second: { seconds: c2.seconds, summary: c2.summary } },
  };
}
