/**
 * The proof for "Already on OpenSync?": the published `claude-code-sync` client (the npm package, unchanged),
 * driven through Claude Code's hook sequence against a real `wrangler dev`, configured only through its environment
 * variables. Each hook gets the stdin Claude Code gives it; the transcript grows between hooks as Claude Code writes it.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey } from "../scripts/lib/dev-server";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");
const CLI = join(dirname(createRequire(import.meta.url).resolve("claude-code-sync/package.json")), "dist", "cli.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string;
let key: string;

/** Runs `claude-code-sync <args>` as Claude Code would: a fresh process, the hook input on stdin. */
function runCli(args: string[], stdin: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Only what the client needs, so nothing of this machine's own configuration leaks in.
    const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: home, CLAUDE_SYNC_CONVEX_URL: BASE, CLAUDE_SYNC_API_KEY: key, ...env };
    const child = spawn(process.execPath, [CLI, ...args], { env: childEnv as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const SESSION = "5d1c2b7e-9a4f-4c3e-8b21-0f6a7d3e9c14";
const SLUG = "quiet-amber-harbor";
let cwd: string;
let transcript: string;
const at = (s: number) => new Date(Date.parse("2026-11-30T09:00:00Z") + s * 1000).toISOString();
const line = (o: Record<string, unknown>) => appendFileSync(transcript, JSON.stringify({ sessionId: SESSION, cwd, slug: SLUG, version: "2.0.76", ...o }) + "\n");
const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });

/** A hook's stdin, as Claude Code sends it. */
const hookInput = (event: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ session_id: SESSION, transcript_path: transcript, cwd, permission_mode: "default", hook_event_name: event, ...extra });

async function hook(event: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await runCli(["hook", event], hookInput(event, extra));
  // The client always exits 0 (it must not block Claude Code) and reports failures on stderr only.
  expect(r.code, `${event} exit`).toBe(0);
  expect(r.stderr, `${event} stderr`).toBe("");
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

interface Msg {
  role: string;
  content: string;
  toolCalls: { id: string; name: string; arguments: unknown }[] | null;
}

beforeAll(async () => {
  ({ key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, "opensync-e2e"));
  home = mkdtempSync(join(tmpdir(), "evalport-ccs-"));
  cwd = join(home, "code", "shop");
  mkdirSync(join(cwd, ".git"), { recursive: true });
  writeFileSync(join(cwd, ".git", "HEAD"), "ref: refs/heads/fix/cart-rounding\n");
  const dir = join(home, ".claude", "projects", "-home-dev-code-shop");
  mkdirSync(dir, { recursive: true });
  transcript = join(dir, `${SESSION}.jsonl`);
});

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("claude-code-sync (published client) against evalport's /sync routes", () => {
  it("its login refuses a URL that is not Convex's, which is why the README configures it by environment", async () => {
    const r = await runCli(["login"], `${BASE}\n`, { CLAUDE_SYNC_CONVEX_URL: "", CLAUDE_SYNC_API_KEY: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/convex/i);
  });

  it("status reaches the server with the environment settings", async () => {
    const r = await runCli(["status"], "");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Connected/);
  });

  it("a whole session through the hooks reports no error and is readable through /api/sessions", async () => {
    await hook("SessionStart", { source: "startup" });

    // Turn 1: a prompt, a tool use, the text before it and the answer.
    const prompt1 = "The cart total is off by a cent for three items at 0.10 — why?";
    line({ type: "user", uuid: "u-1", timestamp: at(1), message: { role: "user", content: prompt1 } });
    await hook("UserPromptSubmit", { prompt: prompt1 });
    line({ type: "assistant", uuid: "a-1", timestamp: at(2), message: { id: "msg_1", role: "assistant", model: "claude-sonnet-4-20250514", content: [{ type: "text", text: "Let me read how the total is computed." }], usage: usage(1200, 30) } });
    line({ type: "assistant", uuid: "a-2", timestamp: at(3), message: { id: "msg_1", role: "assistant", model: "claude-sonnet-4-20250514", content: [{ type: "tool_use", id: "toolu_01Cart", name: "Read", input: { file_path: `${cwd}/src/cart.ts` } }], usage: usage(0, 25) } });
    line({ type: "user", uuid: "u-2", timestamp: at(4), message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01Cart", content: "export const total = (xs) => xs.reduce((s, x) => s + round(x), 0);" }] } });
    await hook("PostToolUse", {
      tool_name: "Read", tool_use_id: "toolu_01Cart", tool_input: { file_path: `${cwd}/src/cart.ts` },
      tool_response: { type: "text", file: { filePath: `${cwd}/src/cart.ts`, content: "export const total = …" } },
    });
    const answer1 = "Each line is rounded before summing; sum first and round once.";
    line({ type: "assistant", uuid: "a-3", timestamp: at(5), message: { id: "msg_2", role: "assistant", model: "claude-sonnet-4-20250514", content: [{ type: "text", text: answer1 }], usage: usage(1500, 60) } });
    await hook("Stop", { stop_hook_active: false });

    // Turn 2.
    const prompt2 = "Do it and add a test.";
    line({ type: "user", uuid: "u-3", timestamp: at(10), message: { role: "user", content: prompt2 } });
    await hook("UserPromptSubmit", { prompt: prompt2 });
    line({ type: "assistant", uuid: "a-4", timestamp: at(12), message: { id: "msg_3", role: "assistant", model: "claude-sonnet-4-20250514", content: [{ type: "tool_use", id: "toolu_02Edit", name: "Edit", input: { file_path: `${cwd}/src/cart.ts`, old_string: "s + round(x)", new_string: "s + x" } }], usage: usage(1700, 40) } });
    await hook("PostToolUse", {
      tool_name: "Edit", tool_use_id: "toolu_02Edit", tool_input: { file_path: `${cwd}/src/cart.ts`, old_string: "s + round(x)", new_string: "s + x" },
      tool_response: { filePath: `${cwd}/src/cart.ts`, structuredPatch: [] },
    });
    const answer2 = "Done: the total is rounded once, and cart.test.ts covers 3 × 0.10.";
    line({ type: "assistant", uuid: "a-5", timestamp: at(15), message: { id: "msg_4", role: "assistant", model: "claude-sonnet-4-20250514", content: [{ type: "text", text: answer2 }], usage: usage(1900, 70) } });
    await hook("Stop", { stop_hook_active: false });
    await hook("SessionEnd", { reason: "prompt_input_exit" });

    const list = await api<{ sessions: { id: string; externalId: string }[] }>("/api/sessions?source=claude-code");
    const found = list.sessions.find((s) => s.externalId === SESSION);
    expect(found, "the session is listed").toBeTruthy();
    const s = await api<Record<string, unknown> & { messages: Msg[] }>(`/api/sessions/${found!.id}`);

    // The first prompt's title survives the slug claude-code-sync sends at SessionEnd.
    expect(s).toMatchObject({
      title: prompt1,
      source: "claude-code", model: "claude-sonnet-4-20250514", projectPath: cwd, projectName: "shop",
      promptTokens: 6300, completionTokens: 225, durationMs: 14000,
    });
    expect(s.title).not.toBe(SLUG);
    expect((s.cost as number) > 0).toBe(true);

    // Prompts, replies and tool calls, in the order the client sent them (tool uses arrive before the Stop texts).
    expect(s.messages.map((m) => [m.role, m.content, m.toolCalls?.map((c) => [c.id, c.name, c.arguments]) ?? null])).toEqual([
      ["user", prompt1, null],
      ["assistant", "", [["toolu_01Cart", "Read", { file_path: `${cwd}/src/cart.ts` }]]],
      ["assistant", "Let me read how the total is computed.", null],
      ["assistant", answer1, null],
      ["user", prompt2, null],
      ["assistant", "", [["toolu_02Edit", "Edit", { file_path: `${cwd}/src/cart.ts`, old_string: "s + round(x)", new_string: "s + x" }]]],
      ["assistant", answer2, null],
    ]);

    const ids = await api<{ sessionIds: string[] }>("/sync/sessions/list");
    expect(ids.sessionIds).toContain(SESSION);
  });
});
