import { beforeAll, describe, expect, it } from "vitest";
import { makeKey } from "../helpers";
import { etagOf, readSession, sync } from "./_support";
import { claudeCodeSync, codexSync, droidSync, opencodeSync, piOpensync, uid } from "./plugin-payloads";

const WS = "sync-session";
let key: string;
beforeAll(async () => {
  key = await makeKey(WS);
});

describe("POST /sync/session", () => {
  it("creates a session from claude-code-sync's SessionStart and answers {ok, sessionId}", async () => {
    const sid = uid("cc");
    const res = await sync<{ ok: boolean; sessionId: string }>("/sync/session", key, claudeCodeSync.sessionStart(sid));
    expect(res.ok).toBe(true);
    expect(res.sessionId).toMatch(/^ses_/);
    const s = await readSession(key, WS, sid);
    expect(s).toMatchObject({ id: res.sessionId, externalId: sid, source: "claude-code", projectPath: "/home/dev/shop", projectName: "shop", title: null });
  });

  it("accepts sessionId in place of externalId", async () => {
    const sid = uid("legacy");
    const res = await sync<{ sessionId: string }>("/sync/session", key, { sessionId: sid, source: "claude-code", title: "Legacy" });
    expect((await readSession(key, WS, sid)).id).toBe(res.sessionId);
  });

  it("partial resends: zeros and absent fields keep what is stored; later non-zero counts win", async () => {
    const sid = uid("cc");
    await sync("/sync/session", key, claudeCodeSync.sessionStart(sid));
    await sync("/sync/session", key, claudeCodeSync.firstPromptTitle(sid, "Fix the checkout total rounding"));
    await sync("/sync/session", key, claudeCodeSync.stopSession(sid, 5200, 640, 0.031));
    const before = await readSession(key, WS, sid);
    // SessionEnd with an unreadable transcript: zeros and the slug.
    await sync("/sync/session", key, claudeCodeSync.sessionEnd(sid, "gentle-humming-lantern"));
    const s = await readSession(key, WS, sid);
    expect(s).toMatchObject({
      title: "Fix the checkout total rounding", model: "claude-sonnet-4-20250514", promptTokens: 5200, completionTokens: 640,
      totalTokens: 5840, cost: 0.031, projectPath: "/home/dev/shop", source: "claude-code",
    });
    expect(s.durationMs).toBeNull();
    expect(await etagOf(key, s.id)).toBe(await etagOf(key, before.id));
    await sync("/sync/session", key, claudeCodeSync.sessionEnd(sid, "gentle-humming-lantern", { input: 9000, output: 1000 }, 0.05));
    expect(await readSession(key, WS, sid)).toMatchObject({ promptTokens: 9000, completionTokens: 1000, totalTokens: 10000, cost: 0.05 });
  });

  it("a slug title is stored when no title is, and a person's title then replaces it", async () => {
    const sid = uid("cc");
    await sync("/sync/session", key, claudeCodeSync.sessionEnd(sid, "brave-quiet-otter"));
    expect((await readSession(key, WS, sid)).title).toBe("brave-quiet-otter");
    await sync("/sync/session", key, claudeCodeSync.firstPromptTitle(sid, "Speed up the test suite"));
    expect((await readSession(key, WS, sid)).title).toBe("Speed up the test suite");
    await sync("/sync/session", key, claudeCodeSync.sessionEnd(sid, "brave-quiet-otter"));
    expect((await readSession(key, WS, sid)).title).toBe("Speed up the test suite");
  });

  it("opencode-sync-plugin: no source means opencode; 'Untitled Session' and zeros never overwrite", async () => {
    const id = uid("ses");
    await sync("/sync/session", key, opencodeSync.session(id));
    expect(await readSession(key, WS, id)).toMatchObject({ source: "opencode", title: "Untitled Session", promptTokens: null, cost: null, provider: "anthropic" });
    await sync("/sync/session", key, opencodeSync.session(id, { title: "Add pagination to /orders", promptTokens: 800, completionTokens: 90, cost: 0.004 }));
    await sync("/sync/session", key, opencodeSync.session(id));
    await sync("/sync/session", key, opencodeSync.cliSession(id));
    expect(await readSession(key, WS, id)).toMatchObject({
      title: "Add pagination to /orders", promptTokens: 800, completionTokens: 90, cost: 0.004, model: "claude-sonnet-4", provider: "opencode",
    });
  });

  it("droid-sync, pi-opensync and codex-sync sessions keep their fields", async () => {
    const d = uid("droid");
    await sync("/sync/session", key, droidSync.session(d));
    expect(await readSession(key, WS, d)).toMatchObject({ source: "factory-droid", title: "Refactor billing", durationMs: 42000, model: "gpt-5" });
    const p = uid("pi");
    await sync("/sync/session", key, piOpensync.session(p));
    await sync("/sync/session", key, { ...piOpensync.session(p, "Port the parser"), promptTokens: 100, completionTokens: 20, totalTokens: 120, messageCount: 2 });
    await sync("/sync/session", key, piOpensync.session(p));
    expect(await readSession(key, WS, p)).toMatchObject({ source: "pi", title: "Port the parser", totalTokens: 120 });
    const c = uid("codex");
    await sync("/sync/session", key, codexSync.session(c));
    expect(await readSession(key, WS, c)).toMatchObject({ source: "codex-cli", provider: "openai", cost: 0.013 });
  });

  it("createdAt (ms or ISO) is kept", async () => {
    const sid = uid("t");
    await sync("/sync/session", key, { externalId: sid, createdAt: "2026-11-01T08:00:00Z" });
    expect((await readSession(key, WS, sid)).createdAt).toBe(Date.parse("2026-11-01T08:00:00Z"));
  });

  it("bad bodies are JSON 400s naming the field, and change nothing", async () => {
    const missing = await sync<{ error: { code: string; details: { path: string }[] } }>("/sync/session", key, { title: "no id" }, 400);
    expect(missing.error.code).toBe("invalid_request");
    expect(missing.error.details.map((d) => d.path)).toContain("externalId");
    const sid = uid("bad");
    const wrong = await sync<{ error: { details: { path: string }[] } }>("/sync/session", key, { externalId: sid, promptTokens: "lots" }, 400);
    expect(wrong.error.details.map((d) => d.path)).toContain("promptTokens");
    const list = await sync<{ sessionIds: string[] }>("/sync/session", key, { externalId: uid("ok") });
    expect(list).toMatchObject({ ok: true });
  });
});
