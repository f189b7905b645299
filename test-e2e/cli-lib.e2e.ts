/**
 * The CLI's pure parts on plain inputs (they are plain Node ESM, so they run here rather than in the Workers pool):
 * retry policy, tool detection, the settings.json merge, the summary tally, the pool bound, --since, URLs, the
 * state file's merge, and folding a SQLite WAL into its database.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryable, parseRetryAfter, DEFAULT_RETRY } from "../cli/lib/retry.js";
import { detectTool } from "../cli/lib/detect.js";
import { hookCommand, ourHooks, shellQuote, withOurHooks, withoutOurHooks } from "../cli/lib/claude-settings.js";
import { countAnswer, formatSummary, newSummary } from "../cli/lib/summary.js";
import { runPool } from "../cli/lib/pool.js";
import { parseSince } from "../cli/commands/import.js";
import { normalizeUrl, resolveCredentials } from "../cli/lib/config.js";
import { openState, readState } from "../cli/lib/state.js";
import { applyWal } from "../cli/lib/sqlite-wal.js";

describe("retry policy", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });

  it("backs off exponentially with full jitter, and never waits less than Retry-After", () => {
    const p = { attempts: 6, baseMs: 100, capMs: 5000 };
    expect(backoffDelay(0, null, p, () => 0.999)).toBe(99);
    expect(backoffDelay(3, null, p, () => 0.5)).toBe(400);
    expect(backoffDelay(10, null, p, () => 0.999)).toBe(4995); // capped
    expect(backoffDelay(0, 2000, p, () => 0)).toBe(2000);
    expect(backoffDelay(0, 2000, p, () => 0.5)).toBe(2050);
    expect(backoffDelay(0, 60_000, p, () => 0)).toBe(5000); // a cap even for a server asking a minute
    expect(DEFAULT_RETRY.attempts).toBeGreaterThan(1);
  });

  it("retries 429, 5xx and network errors, not other 4xx", () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isRetryable({ status })).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 413]) expect(isRetryable({ status })).toBe(false);
    expect(isRetryable({ networkError: true })).toBe(true);
  });
});

describe("tool detection", () => {
  it("knows the standard places by path", () => {
    expect(detectTool("/h/.claude/projects/-a/x.jsonl", "")).toBe("claude-code");
    expect(detectTool("/h/.codex/sessions/2026/01/02/rollout-x.jsonl", "")).toBe("codex");
    expect(detectTool("/tmp/rollout-2026-01-01T00-00-00-abc.jsonl", "")).toBe("codex");
    expect(detectTool("/h/.local/share/opencode/opencode.db", "")).toBe("opencode");
  });

  it("falls back on the first line, and says null when it cannot tell", () => {
    expect(detectTool("/tmp/a.jsonl", '{"type":"session_meta","payload":{"id":"x"}}\n')).toBe("codex");
    expect(detectTool("/tmp/a.jsonl", '{"type":"user","sessionId":"s","message":{}}\n')).toBe("claude-code");
    expect(detectTool("/tmp/a.jsonl", '{"type":"summary","summary":"x","leafUuid":"u"}\n')).toBe("claude-code");
    expect(detectTool("/tmp/s.json", '{"info": {"id": "ses_1"}, "messages": []}')).toBe("opencode");
    expect(detectTool("/tmp/a.jsonl", '{"hello":"world"}\n')).toBeNull();
    expect(detectTool("/tmp/notes.txt", "just notes")).toBeNull();
  });
});

describe("Claude Code settings merge", () => {
  const cmd = hookCommand("/usr/bin/node", "/opt/my app/bin/evalport.js");
  const user = {
    theme: "dark",
    hooks: {
      Stop: [{ hooks: [{ type: "command", command: "say done" }] }],
      SessionEnd: [{ matcher: "clear", hooks: [{ type: "command", command: "log-end" }, { type: "command", command: "/old/checkout/bin/evalport.js hook claude-code" }] }],
    },
  };

  it("quotes paths for the shell", () => {
    expect(cmd).toBe("/usr/bin/node '/opt/my app/bin/evalport.js' hook claude-code");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("adds one hook per event, replaces an older copy of ours, keeps the rest, and is idempotent", () => {
    const once = withOurHooks(user, cmd);
    expect(withOurHooks(once, cmd)).toEqual(once);
    expect(once.theme).toBe("dark");
    const hooks = once.hooks as Record<string, { matcher?: string; hooks: { command: string }[] }[]>;
    expect(hooks.Stop![0]).toEqual(user.hooks.Stop[0]);
    expect(hooks.SessionEnd![0]).toEqual({ matcher: "clear", hooks: [{ type: "command", command: "log-end" }] });
    expect(ourHooks(once).map((e) => [e.event, e.commands])).toEqual([["Stop", [cmd]], ["SessionEnd", [cmd]]]);
  });

  it("removes only ours, and drops what it leaves empty", () => {
    const removed = withoutOurHooks(withOurHooks({ theme: "dark" }, cmd));
    expect(removed).toEqual({ theme: "dark" });
    const fromUser = withoutOurHooks(withOurHooks(user, cmd));
    expect(fromUser).toEqual({ theme: "dark", hooks: { Stop: user.hooks.Stop, SessionEnd: [{ matcher: "clear", hooks: [{ type: "command", command: "log-end" }] }] } });
    expect(ourHooks({}).every((e) => !e.installed)).toBe(true);
  });
});

describe("summary", () => {
  it("counts created, updated and unchanged sessions against what the last run saw", () => {
    const s = newSummary("http://x", false);
    countAnswer(s, { sessions: [{ id: "a", externalId: "A", created: true, messageCount: 3 }], skipped: { malformed: 1 }, truncated: 0 }, undefined);
    countAnswer(
      s,
      { sessions: [{ id: "b", externalId: "B", created: false, messageCount: 5 }, { id: "c", externalId: "C", created: false, messageCount: 2 }], skipped: { malformed: 2, progress: 4 }, truncated: 1 },
      [{ id: "b", messageCount: 3 }, { id: "c", messageCount: 2 }],
    );
    expect(s.sessions).toEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(s.skipped).toEqual({ malformed: 3, progress: 4 });
    expect(s.truncated).toBe(1);
    s.failures.push({ path: "~/x.jsonl", reason: "HTTP 413 payload_too_large: too big" });
    const text = formatSummary(s);
    expect(text).toContain("Sessions: 1 created, 1 updated, 1 unchanged.");
    expect(text).toContain("Skipped lines: 7 (malformed 3, progress 4).");
    expect(text).toContain("Truncated messages: 1");
    expect(text).toContain("  ~/x.jsonl: HTTP 413 payload_too_large: too big");
  });
});

describe("pool", () => {
  it("never has more than the bound in flight, and runs every item once", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([...Array(25).keys()], 4, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2 + (n % 3)));
      seen.push(n);
      inFlight--;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
  });

  it("starts nothing more once told to stop", async () => {
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5], 1, async (n) => void seen.push(n), () => seen.length >= 2);
    expect(seen).toEqual([1, 2]);
  });
});

describe("options and config", () => {
  it("--since takes dates and day counts", () => {
    expect(parseSince("2026-11-01")).toBe(Date.parse("2026-11-01"));
    expect(parseSince("7d", 10 * 86_400_000)).toBe(3 * 86_400_000);
    expect(() => parseSince("yesterday-ish")).toThrow(/not a date/);
  });

  it("normalises URLs and ranks flags over env over the file", () => {
    expect(normalizeUrl("https://e.example.com/")).toBe("https://e.example.com");
    expect(normalizeUrl("http://localhost:8787/base/")).toBe("http://localhost:8787/base");
    expect(() => normalizeUrl("ftp://x")).toThrow(/http/);
    const home = mkdtempSync(join(tmpdir(), "evalport-cfg-"));
    const env = { HOME: home, EVALPORT_URL: "http://env:1", EVALPORT_KEY: "osk_env" };
    expect(resolveCredentials({}, env)).toMatchObject({ url: "http://env:1", key: "osk_env", from: { url: "env", key: "env" } });
    expect(resolveCredentials({ url: "http://flag:2", key: "osk_flag" }, env)).toMatchObject({ url: "http://flag:2", key: "osk_flag", from: { url: "flag", key: "flag" } });
    expect(resolveCredentials({}, { HOME: home })).toMatchObject({ url: "http://localhost:8787", key: undefined, from: { url: "default", key: "none" } });
  });
});

describe("state file", () => {
  it("two runs at once keep each other's entries", () => {
    const path = join(mkdtempSync(join(tmpdir(), "evalport-state-")), "state.json");
    const a = openState(path);
    const b = openState(path);
    const entry = (n: number) => ({ size: n, mtimeMs: n, hash: "h".repeat(64), tool: "codex", importedAt: n, sessions: [] });
    a.set("/a", entry(1));
    a.flush();
    b.set("/b", entry(2));
    b.flush();
    expect(Object.keys(readState(path).files).sort()).toEqual(["/a", "/b"]);
    expect(JSON.parse(readFileSync(path, "utf8")).version).toBe(1);
  });

  it("starts over on a corrupt file instead of failing", () => {
    const path = join(mkdtempSync(join(tmpdir(), "evalport-state-")), "state.json");
    writeFileSync(path, "{ half a file");
    expect(readState(path)).toEqual({ version: 1, files: {}, groups: {} });
  });
});

const require = createRequire(import.meta.url);

describe("SQLite WAL folding", () => {
  /** A WAL holding `pages` (1-based page numbers of `after`) as one committed transaction, then an uncommitted frame. */
  function walOf(after: Uint8Array, pages: number[], pageSize: number, dbPages: number, uncommitted?: { pgno: number; bytes: Uint8Array }) {
    const frames = pages.length + (uncommitted ? 1 : 0);
    const wal = new Uint8Array(32 + frames * (24 + pageSize));
    const dv = new DataView(wal.buffer);
    dv.setUint32(0, 0x377f0682);
    dv.setUint32(4, 3007000);
    dv.setUint32(8, pageSize);
    dv.setUint32(16, 0xaabbccdd);
    dv.setUint32(20, 0x11223344);
    pages.forEach((pgno, i) => {
      const off = 32 + i * (24 + pageSize);
      dv.setUint32(off, pgno);
      dv.setUint32(off + 4, i === pages.length - 1 ? dbPages : 0);
      dv.setUint32(off + 8, 0xaabbccdd);
      dv.setUint32(off + 12, 0x11223344);
      wal.set(after.subarray((pgno - 1) * pageSize, pgno * pageSize), off + 24);
    });
    if (uncommitted) {
      const off = 32 + pages.length * (24 + pageSize);
      dv.setUint32(off, uncommitted.pgno);
      dv.setUint32(off + 8, 0xaabbccdd);
      dv.setUint32(off + 12, 0x11223344);
      wal.set(uncommitted.bytes, off + 24);
    }
    return wal;
  }

  it("applies committed frames so the new rows are read, and leaves an unfinished transaction out", async () => {
    const SQL = await (require("sql.js") as typeof import("sql.js").default)();
    const db = new SQL.Database();
    db.run("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('old')");
    const before = db.export();
    db.run("INSERT INTO t VALUES ('new')");
    for (let i = 0; i < 200; i++) db.run("INSERT INTO t VALUES (?)", [`row ${i} `.repeat(20)]);
    const after = db.export();
    db.close();
    const pageSize = (before[16]! << 8) | before[17]!;
    const dbPages = after.length / pageSize;
    const changed = [...Array(dbPages).keys()].map((i) => i + 1).filter((p) => {
      const a = after.subarray((p - 1) * pageSize, p * pageSize);
      const b = before.subarray((p - 1) * pageSize, p * pageSize);
      return a.length !== b.length || a.some((x, i) => x !== b[i]);
    });
    expect(changed.length).toBeGreaterThan(1);

    const garbage = new Uint8Array(pageSize).fill(0xff);
    const folded = applyWal(before, walOf(after, changed, pageSize, dbPages, { pgno: 1, bytes: garbage }));
    const read = new SQL.Database(folded);
    expect(read.exec("SELECT count(*) FROM t")[0]!.values[0]![0]).toBe(202);
    expect(read.exec("SELECT v FROM t LIMIT 2")[0]!.values.map((r) => r[0])).toEqual(["old", "new"]);
    read.close();

    expect(applyWal(before, null)).toBe(before);
    expect(applyWal(before, new Uint8Array(10))).toBe(before);
  });
});
