/**
 * The `evalport` command line against the real `wrangler dev` of the e2e global setup, spawned as a child process
 * with HOME set to a fake home holding transcripts of every tool (test-e2e/fixtures/cli/home plus an OpenCode
 * SQLite database built here). A counting proxy in front of the server shows what was sent, answers 429 on demand,
 * and stalls when a test needs time to press Ctrl-C. Each test has its own workspace, key and home.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey, freePort } from "../scripts/lib/dev-server";
import { BIN, DB_SESSION_ID, listSessions, makeHome, runCli, startProxy, waitFor, type CliResult, type Proxy } from "./fixtures/cli/harness";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");

const CLAUDE_ID = "5e1f0c2a-7b3d-4c8e-9a10-2f4b6d8e0a11";
const CLAUDE_AGENT_ID = `${CLAUDE_ID}:agent-7c1d2e3f4a5b6c7d8`;
const CLAUDE_API_ID = "9d3c4b5a-6e7f-4a1b-8c2d-3e4f5a6b7c8d";
const CODEX_ID = "019b2c3d-4e5f-7a6b-8c9d-0e1f2a3b4c5d";
const OPENCODE_ID = "ses_4f3e2d1c0b0aAbCdEfGh1234";
const ALL_IDS = [CLAUDE_ID, CLAUDE_AGENT_ID, CLAUDE_API_ID, CODEX_ID, OPENCODE_ID, DB_SESSION_ID].sort();
const CODEX_FILE = ".codex/sessions/2026/11/22/rollout-2026-11-22T10-00-00-019b2c3d-4e5f-7a6b-8c9d-0e1f2a3b4c5d.jsonl";

let proxy: Proxy;
let workspaceNo = 0;

beforeAll(async () => {
  proxy = await startProxy(BASE);
});
afterAll(async () => {
  await proxy?.close();
});

/** A workspace of its own, a key for it, and a fresh fake home. */
async function setup(scopes?: string[]) {
  const { key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, `cli-${process.pid}-${++workspaceNo}`, scopes);
  const home = await makeHome();
  return { key, home, env: { EVALPORT_URL: proxy.url, EVALPORT_KEY: key } };
}

/** The CLI never shows a key, whatever it prints. */
function noKeyIn(r: CliResult, key: string) {
  expect(r.stdout).not.toContain(key);
  expect(r.stderr).not.toContain(key);
  expect(r.stdout + r.stderr).not.toContain(key.slice(12));
}

const json = (r: CliResult) => JSON.parse(r.stdout.trim()) as Record<string, any>;

describe("evalport import", () => {
  it("imports every tool's transcripts from the standard places, then sends nothing on a second run", async () => {
    const { key, home, env } = await setup();
    const before = proxy.imports();
    const first = await runCli(["import", "--json"], { home, env });
    noKeyIn(first, key);
    expect(first.code, first.stderr).toBe(0);
    const s = json(first);
    expect(s).toMatchObject({
      ok: true,
      dryRun: false,
      interrupted: false,
      files: { found: 6, sent: 6, unchanged: 0, failed: 0 },
      sessions: { created: 6, updated: 0, unchanged: 0 },
      truncated: 0,
      failures: [],
    });
    expect(s.skipped).toEqual({ "file-history-snapshot": 1 });
    expect(s.bytesSent).toBeGreaterThan(1000);
    expect(typeof s.durationMs).toBe("number");
    expect(proxy.imports() - before).toBe(6);

    const stored = await listSessions(BASE, key);
    expect(stored.map((x) => x.externalId).sort()).toEqual(ALL_IDS);
    const agent = stored.find((x) => x.externalId === CLAUDE_AGENT_ID)!;
    expect(agent.parentExternalId).toBe(CLAUDE_ID);
    expect(stored.find((x) => x.externalId === DB_SESSION_ID)!.messageCount).toBe(2);
    expect(stored.find((x) => x.externalId === CODEX_ID)!.source).toBe("codex");

    // The state file holds every transcript with its server ids.
    const state = JSON.parse(readFileSync(join(home, ".config/evalport/state.json"), "utf8"));
    expect(Object.keys(state.files)).toHaveLength(6);
    const codexEntry = state.files[join(home, CODEX_FILE)];
    expect(codexEntry.sessions[0].externalId).toBe(CODEX_ID);
    expect(codexEntry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(state.lastImport.ok).toBe(true);

    const mark = proxy.seen.length;
    const second = await runCli(["import", "--json"], { home, env });
    expect(second.code, second.stderr).toBe(0);
    expect(json(second)).toMatchObject({ ok: true, files: { found: 6, sent: 0, unchanged: 6, failed: 0 } });
    // Not one request: nothing changed, so the server is not even asked.
    expect(proxy.seen.slice(mark)).toEqual([]);
    expect((await listSessions(BASE, key)).length).toBe(6);
  });

  it("re-sends a grown transcript, and only that one", async () => {
    const { key, home, env } = await setup();
    expect((await runCli(["import", "--json"], { home, env })).code).toBe(0);
    const codexBefore = (await listSessions(BASE, key)).find((x) => x.externalId === CODEX_ID)!;

    appendFileSync(
      join(home, CODEX_FILE),
      JSON.stringify({ timestamp: "2026-11-22T10:01:00.000Z", type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "And how many lines has README.md?" }] } }) + "\n" +
        JSON.stringify({ timestamp: "2026-11-22T10:01:05.000Z", type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: "12 lines." }] } }) + "\n",
    );
    const mark = proxy.imports();
    const r = await runCli(["import", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ files: { found: 6, sent: 1, unchanged: 5 }, sessions: { created: 0, updated: 1, unchanged: 0 } });
    expect(proxy.imports() - mark).toBe(1);
    const codexAfter = (await listSessions(BASE, key)).find((x) => x.externalId === CODEX_ID)!;
    expect(codexAfter.id).toBe(codexBefore.id);
    expect(codexAfter.messageCount).toBe(codexBefore.messageCount + 2);

    // A touched but identical file is read and hashed, not sent.
    const p = join(home, CODEX_FILE);
    writeFileSync(p, readFileSync(p));
    const mark2 = proxy.imports();
    const touched = await runCli(["import", "--json"], { home, env });
    expect(json(touched)).toMatchObject({ files: { sent: 0, unchanged: 6 } });
    expect(proxy.imports() - mark2).toBe(0);
  });

  it("waits out a 429 (honouring Retry-After) and then imports everything", async () => {
    const { key, home, env } = await setup();
    proxy.rateLimitNext(1, "1");
    const before429 = proxy.answered429;
    const r = await runCli(["import", "--json", "--concurrency", "1"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.answered429 - before429).toBe(1);
    expect(r.stderr).toMatch(/retrying .+ in 1\.\d s \(HTTP 429, try 2\)/);
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(json(r)).toMatchObject({ ok: true, files: { sent: 6, failed: 0 } });
    expect((await listSessions(BASE, key)).length).toBe(6);
  });

  it("gives a clear error and exit 1 when the server is down", async () => {
    const { home } = await setup();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await runCli(["import"], { home, env: { EVALPORT_URL: dead, EVALPORT_KEY: "osk_" + "d".repeat(40) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the evalport server at ${dead}`);
    expect(r.stderr).toContain("connection refused");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    noKeyIn(r, "osk_" + "d".repeat(40));
    // Nothing was recorded as imported.
    expect(existsSync(join(home, ".config/evalport/state.json"))).toBe(false);
  });

  it("refuses a revoked or unknown key with exit 1 and sends no transcript", async () => {
    const { home } = await setup();
    const mark = proxy.imports();
    const r = await runCli(["import"], { home, env: { EVALPORT_URL: proxy.url, EVALPORT_KEY: "osk_" + "x".repeat(40) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused the API key (401 unauthorized)");
    expect(proxy.imports() - mark).toBe(0);
  });

  it("sends nothing with --dry-run, and says what it would send", async () => {
    const { key, home, env } = await setup();
    const mark = proxy.seen.length;
    const r = await runCli(["import", "--dry-run", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const s = json(r);
    expect(s).toMatchObject({ ok: true, dryRun: true, files: { found: 6, sent: 0, wouldSend: 6 } });
    expect(s.wouldSend).toContain(`~/${CODEX_FILE}`);
    expect(proxy.seen.slice(mark)).toEqual([]);
    expect(await listSessions(BASE, key)).toEqual([]);
    expect(existsSync(join(home, ".config/evalport/state.json"))).toBe(false);
  });

  it("imports named paths, with --tool, --since and plain progress lines off a terminal", async () => {
    const { key, home, env } = await setup();
    const r = await runCli(["import", join(home, ".claude/projects/-home-me-app"), "--tool", "claude-code"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("evalport: sending 2 transcripts");
    expect(r.stderr).toMatch(/imported ~\/\.claude\/projects\/-home-me-app\/5e1f0c2a.+\.jsonl \(1 session, 1 new\)/);
    expect(r.stdout).toMatch(/2 of 2 transcripts sent/);
    expect(r.stdout).toMatch(/Sessions: 2 created, 0 updated, 0 unchanged\./);
    expect(r.stdout).toMatch(/Skipped lines: 1 \(file-history-snapshot 1\)/);
    expect((await listSessions(BASE, key)).map((x) => x.externalId).sort()).toEqual([CLAUDE_ID, CLAUDE_AGENT_ID].sort());

    // --since in the future matches nothing; a bad date is a usage error.
    const none = await runCli(["import", "--since", "2999-01-01", "--json"], { home, env });
    expect(json(none)).toMatchObject({ ok: true, files: { found: 0, sent: 0 } });
    const bad = await runCli(["import", "--since", "last tuesday"], { home, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since: not a date");
  });

  it("fails (exit 1) on a file it cannot place, and names it, while the rest goes in", async () => {
    const { key, home, env } = await setup();
    const junk = join(home, "notes.txt");
    writeFileSync(junk, "just some notes\n");
    const r = await runCli(["import", junk, join(home, ".claude/projects/-home-me-api"), "--json"], { home, env });
    expect(r.code).toBe(1);
    const s = json(r);
    expect(s.ok).toBe(false);
    expect(s.files).toMatchObject({ sent: 1, failed: 1 });
    expect(s.failures).toEqual([{ path: "~/notes.txt", reason: expect.stringContaining("pass --tool") }]);
    expect((await listSessions(BASE, key)).map((x) => x.externalId)).toEqual([CLAUDE_API_ID]);

    // A file the server rejects (400) is a failure with the server's reason; state keeps it out, so it is retried.
    const broken = join(home, "broken.jsonl");
    writeFileSync(broken, "this is not json\n");
    const r2 = await runCli(["import", broken, "--tool", "codex", "--json"], { home, env });
    expect(r2.code).toBe(1);
    expect(json(r2).failures[0].reason).toMatch(/^HTTP 400 invalid_request/);
  });

  it("resumes after Ctrl-C: finished transcripts are not sent again", async () => {
    const { key, home, env } = await setup();
    proxy.delayMs = 700;
    try {
      const child = spawn(process.execPath, [BIN, "import", "--concurrency", "1"], {
        env: { PATH: process.env.PATH ?? "", HOME: home, ...env } as unknown as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const code = new Promise<number | null>((r) => child.on("close", r));
      expect(await waitFor(() => /imported /.test(stderr), 30_000)).toBe(true);
      child.kill("SIGINT");
      expect(await code).toBe(130);
      expect(stderr).toContain("Stopping: finishing the transcripts in flight");
    } finally {
      proxy.delayMs = 0;
    }
    const state = JSON.parse(readFileSync(join(home, ".config/evalport/state.json"), "utf8"));
    const done = Object.keys(state.files).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(6);
    const mark = proxy.imports();
    const rest = await runCli(["import", "--json"], { home, env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(json(rest).files).toMatchObject({ sent: 6 - done, unchanged: done });
    expect(proxy.imports() - mark).toBe(6 - done);
    expect((await listSessions(BASE, key)).length).toBe(6);
  });
});

describe("evalport login and status", () => {
  it("stores a checked login with mode 0600, never prints the key, and import uses it", async () => {
    const { key, home } = await setup();
    const r = await runCli(["login", "--url", proxy.url + "/", "--key", key], { home });
    noKeyIn(r, key);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Logged in to ${proxy.url} with key ${key.slice(0, 12)}…`);
    const path = join(home, ".config/evalport/config.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: proxy.url, key });

    const imp = await runCli(["import", join(home, ".claude/projects/-home-me-api"), "--json"], { home });
    expect(imp.code, imp.stderr).toBe(0);
    expect((await listSessions(BASE, key)).length).toBe(1);

    const status = await runCli(["status", "--json"], { home });
    noKeyIn(status, key);
    expect(status.code, status.stderr).toBe(0);
    expect(json(status)).toMatchObject({
      url: proxy.url,
      urlFrom: "file",
      reachable: true,
      key: `${key.slice(0, 12)}…`,
      keyFrom: "file",
      keyValid: true,
      scopes: ["sessions:read", "sessions:write", "evals:write", "export:read"],
      lastImport: { ok: true, filesSent: 1, filesFailed: 0 },
      hooks: { installed: false },
    });
    // The probes changed nothing.
    expect((await listSessions(BASE, key)).length).toBe(1);
  });

  it("rejects a wrong key at login and stores nothing; respects XDG_CONFIG_HOME", async () => {
    const { home } = await setup();
    const bad = await runCli(["login", "--url", proxy.url, "--key", "osk_" + "z".repeat(40)], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("does not accept this key (401");
    expect(existsSync(join(home, ".config/evalport/config.json"))).toBe(false);

    const { key } = await setup();
    const xdg = join(home, "xdg");
    const ok = await runCli(["login"], { home, env: { XDG_CONFIG_HOME: xdg, EVALPORT_URL: proxy.url, EVALPORT_KEY: key } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(xdg, "evalport/config.json"))).toBe(true);
    // Without a terminal and without flags, login explains what it needs instead of hanging on a prompt.
    const noTty = await runCli(["login"], { home });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain("pass --url");
  });

  it("status shows the scopes a narrower key has, and a dead server", async () => {
    const { key, home } = await setup(["sessions:write"]);
    const r = await runCli(["status", "--json"], { home, env: { EVALPORT_URL: proxy.url, EVALPORT_KEY: key } });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ keyValid: true, scopes: ["sessions:write"], keyFrom: "env", urlFrom: "env" });

    const dead = `http://127.0.0.1:${await freePort()}`;
    const d = await runCli(["status"], { home, env: { EVALPORT_URL: dead, EVALPORT_KEY: key } });
    expect(d.code).toBe(1);
    expect(d.stdout).toContain("NOT reachable");
    noKeyIn(d, key);
  });
});

describe("evalport hooks", () => {
  const userSettings = {
    model: "opus",
    permissions: { allow: ["Bash(npm test:*)"] },
    hooks: {
      Stop: [{ hooks: [{ type: "command", command: "notify-send 'Claude is done'" }] }],
      PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "/usr/local/bin/guard.sh" }] }],
    },
  };

  it("install twice leaves one hook per event and keeps the user's settings; uninstall removes only ours", async () => {
    const { home } = await setup();
    const path = join(home, ".claude/settings.json");
    writeFileSync(path, JSON.stringify(userSettings, null, 2));
    for (let i = 0; i < 2; i++) {
      const r = await runCli(["hooks", "install"], { home });
      expect(r.code, r.stderr).toBe(0);
    }
    const s = JSON.parse(readFileSync(path, "utf8"));
    expect(s.model).toBe("opus");
    expect(s.permissions).toEqual(userSettings.permissions);
    expect(s.hooks.PreToolUse).toEqual(userSettings.hooks.PreToolUse);
    const ours = (event: string) =>
      (s.hooks[event] as { hooks: { command: string }[] }[]).flatMap((g) => g.hooks).filter((h) => h.command.includes("hook claude-code"));
    expect(ours("Stop")).toHaveLength(1);
    expect(ours("SessionEnd")).toHaveLength(1);
    expect(s.hooks.Stop).toHaveLength(2);
    expect(s.hooks.Stop[0]).toEqual(userSettings.hooks.Stop[0]);
    expect(ours("Stop")[0]).toEqual({ type: "command", command: `${process.execPath} ${BIN} hook claude-code`, timeout: 10 });

    const st = await runCli(["hooks", "status", "--json"], { home });
    expect(json(st)).toMatchObject({ installed: true, staleCommands: [] });

    const un = await runCli(["hooks", "uninstall"], { home });
    expect(un.code).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(userSettings);
    const st2 = await runCli(["hooks", "status"], { home });
    expect(st2.code).toBe(1);
    expect(st2.stdout).toContain("not installed");
  });

  it("leaves an unreadable settings.json alone", async () => {
    const { home } = await setup();
    const path = join(home, ".claude/settings.json");
    writeFileSync(path, "{ not json");
    const r = await runCli(["hooks", "install"], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not a JSON object");
    expect(readFileSync(path, "utf8")).toBe("{ not json");
  });

  it("the hook returns at once with exit 0, imports the transcript and its subagents in the background", async () => {
    const { key, home, env } = await setup();
    const transcript = join(home, ".claude/projects/-home-me-app", `${CLAUDE_ID}.jsonl`);
    const event = { session_id: CLAUDE_ID, transcript_path: transcript, hook_event_name: "Stop", cwd: "/home/me/app", stop_hook_active: false };
    const r = await runCli(["hook", "claude-code"], { home, env, input: JSON.stringify(event) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.ms).toBeLessThan(5000);
    const log = join(home, ".config/evalport/hook.log");
    expect(await waitFor(async () => (await listSessions(BASE, key)).length === 2, 30_000)).toBe(true);
    expect((await listSessions(BASE, key)).map((x) => x.externalId).sort()).toEqual([CLAUDE_ID, CLAUDE_AGENT_ID].sort());
    expect(await waitFor(() => existsSync(log) && /2 of 2 transcripts sent/.test(readFileSync(log, "utf8")))).toBe(true);
    expect(readFileSync(log, "utf8")).toContain(`Stop session ${CLAUDE_ID}: importing ${transcript}`);
    noKeyIn({ code: 0, stdout: readFileSync(log, "utf8"), stderr: "", ms: 0 }, key);
  });

  it("the hook exits 0 on bad input and logs why", async () => {
    const { home } = await setup();
    const r = await runCli(["hook", "claude-code"], { home, input: "not json at all" });
    expect(r.code).toBe(0);
    const r2 = await runCli(["hook", "claude-code"], { home, input: JSON.stringify({ hook_event_name: "SessionEnd", transcript_path: "/nope/x.jsonl" }) });
    expect(r2.code).toBe(0);
    const log = readFileSync(join(home, ".config/evalport/hook.log"), "utf8");
    expect(log).toContain("hook failed: the hook's stdin is not JSON");
    expect(log).toContain("hook failed: transcript /nope/x.jsonl does not exist");
  });
});
