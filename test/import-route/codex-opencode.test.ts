import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { expectError, expectKeyRefusals } from "../routes/_support";
import { CODEX_SESSION, codexRollout } from "../importers/fixtures/codex";
import { OC_CHILD, OC_SESSION, opencodeChild, opencodeDocument } from "../importers/fixtures/opencode";
import { imported, listAll, readSession } from "./support";

/** POST /api/import?format=codex|opencode: the mapping as GET /api/sessions/:id shows it. */

const pairs = (messages: any[]) => ({
  calls: messages.flatMap((m) => (m.toolCalls ?? []).map((c: any) => c.id)),
  results: messages.filter((m) => m.role === "tool").map((m) => m.toolCallId),
});

describe("POST /api/import?format=codex", () => {
  it("stores a rollout: instructions as system, tool calls paired with results, git fields and tokens", async () => {
    const key = await makeKey("imp-codex");
    const out = await imported(key, "codex", codexRollout(), 201);
    expect(out.sessions).toEqual([{ id: expect.stringMatching(/^ses_/), externalId: CODEX_SESSION, created: true, messageCount: 12, parentExternalId: null }]);
    expect(out.skipped).toMatchObject({ encrypted_reasoning: 1, "event_msg:user_message": 1, "response_item:ghost_snapshot": 1 });
    expect(out.truncated).toBe(0);

    const { body: s } = await readSession(key, out.sessions[0]!.id);
    expect(s).toMatchObject({
      externalId: CODEX_SESSION,
      source: "codex",
      provider: "openai",
      model: "gpt-5-codex",
      projectPath: "/home/me/api",
      projectName: "api",
      gitBranch: "feature/x",
      gitCommit: "3f2a9c1e5b7d",
      gitRemote: "github.com/acme/api",
      parentExternalId: null,
      promptTokens: 1800,
      cacheReadTokens: 1200,
      completionTokens: 150,
      durationMs: 10000,
      title: "Add a health endpoint — ✓ ünïcödé",
    });
    expect(s.messages.map((m: any) => m.role)).toEqual([
      "system", "system", "system", "user", "assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant", "system",
    ]);
    expect(s.messages[4]).toMatchObject({
      reasoning: "**Looking at the router**",
      toolCalls: [{ id: "call_1", name: "shell", arguments: { command: ["bash", "-lc", "ls"], workdir: "/home/me/api" } }],
    });
    expect(s.messages[5]).toMatchObject({ role: "tool", toolCallId: "call_1", toolName: "shell", content: "src\npackage.json\n" });
    const { calls, results } = pairs(s.messages);
    expect(calls).toEqual(["call_1", "call_2", "call_3"]);
    expect(results).toEqual(calls);
    // Each result comes right after the message that called it.
    for (const m of s.messages.filter((x: any) => x.role === "tool")) {
      expect(s.messages[m.seq - 1].toolCalls.map((c: any) => c.id)).toContain(m.toolCallId);
    }
  });

  it("changes nothing on a re-import (same ETag) and appends only what is new from a grown rollout", async () => {
    const key = await makeKey("imp-codex-grow");
    const lines = codexRollout().trimEnd().split("\n");
    const early = `${lines.slice(0, 12).join("\n")}\n`; // up to the first tool output
    const first = await imported(key, "codex", early, 201);
    expect(first.sessions[0]!.messageCount).toBe(6);
    const id = first.sessions[0]!.id;
    const before = await readSession(key, id);

    const again = await imported(key, "codex", early, 200);
    expect(again.sessions).toEqual([{ ...first.sessions[0], created: false }]);
    const same = await readSession(key, id);
    expect(same.etag).toBe(before.etag);
    expect(same.body).toEqual(before.body);

    const grown = await imported(key, "codex", codexRollout(), 200);
    expect(grown.sessions).toEqual([expect.objectContaining({ id, created: false, messageCount: 12 })]);
    const after = await readSession(key, id);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.messages).toHaveLength(12);
    // What was stored is unchanged, message for message; the rest is appended after it.
    expect(after.body.messages.slice(0, 6)).toEqual(before.body.messages);
    expect(after.body.messages.slice(6).map((m: any) => [m.seq, m.externalId])).toEqual([
      [6, "line-14"], [7, "line-15"], [8, "line-16"], [9, "line-17"], [10, "line-19"], [11, "line-22"],
    ]);
    expect(after.body.completionTokens).toBe(150);
    expect((await listAll(key)).length).toBe(1);

    const third = await imported(key, "codex", codexRollout(), 200);
    expect(third.sessions[0]!.messageCount).toBe(12);
    expect((await readSession(key, id)).etag).toBe(after.etag);
  });

  it("needs a key with sessions:write", async () => {
    await expectKeyRefusals("imp-codex-sec", "sessions:write", (authorization) =>
      call("/api/import?format=codex", { method: "POST", body: codexRollout(), headers: authorization ? { authorization } : {} }),
    );
  });
});

describe("POST /api/import?format=opencode", () => {
  it("stores a session document: steps, tool results and errors, tokens and cost, and a child pointing at its parent", async () => {
    const key = await makeKey("imp-oc");
    const out = await imported(key, "opencode", JSON.stringify(opencodeDocument()), 201);
    expect(out.sessions).toEqual([{ id: expect.stringMatching(/^ses_/), externalId: OC_SESSION, created: true, messageCount: 5, parentExternalId: null }]);
    expect(out.skipped).toEqual({ "part:step-finish": 2, "part:patch": 1, "part:snapshot": 1 });

    const { body: s } = await readSession(key, out.sessions[0]!.id);
    expect(s).toMatchObject({
      externalId: OC_SESSION,
      source: "opencode",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      title: "Add dark mode",
      projectPath: "/home/me/site",
      promptTokens: 1200,
      completionTokens: 320,
      cacheReadTokens: 5000,
      cacheWriteTokens: 400,
      cost: 0.0123,
      parentExternalId: null,
    });
    expect(s.messages.map((m: any) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool"]);
    expect(s.messages[0].content).toBe("Add a dark mode toggle — 🌙\n\n[file: mock.png, image/png]");
    expect(s.messages[1]).toMatchObject({ reasoning: "Need to find the theme file.", toolCalls: [{ id: "toolu_oc1", name: "read" }] });
    expect(s.messages[4]).toMatchObject({ toolCallId: "toolu_oc2", toolName: "edit", content: "[error] File was modified since it was read" });
    const { calls, results } = pairs(s.messages);
    expect(results).toEqual(calls);

    const child = await imported(key, "opencode", JSON.stringify(opencodeChild()), 201);
    expect(child.sessions).toEqual([expect.objectContaining({ externalId: OC_CHILD, parentExternalId: OC_SESSION })]);
    expect((await readSession(key, child.sessions[0]!.id)).body.parentExternalId).toBe(OC_SESSION);

    const again = await imported(key, "opencode", JSON.stringify(opencodeDocument()), 200);
    expect(again.sessions[0]!.created).toBe(false);
    expect((await readSession(key, out.sessions[0]!.id)).body).toEqual(s);
  });

  it("answers 413 for a document announced over 32 MiB, before reading it, and stores nothing", async () => {
    const key = await makeKey("imp-oc-big");
    const res = await call("/api/import?format=opencode", {
      method: "POST", key, body: JSON.stringify(opencodeDocument()),
      headers: { "content-length": String(32 * 1024 * 1024 + 1), "content-type": "application/json" },
    });
    await expectError(res, 413, "payload_too_large");
    expect(await listAll(key)).toHaveLength(0);
  });

  it("keeps workspaces apart: another workspace neither sees the imported sessions nor can read them", async () => {
    const a = await makeKey("imp-oc-ten-a");
    const b = await makeKey("imp-oc-ten-b");
    const oc = await imported(a, "opencode", JSON.stringify(opencodeDocument()), 201);
    const cx = await imported(a, "codex", codexRollout(), 201);
    for (const id of [oc.sessions[0]!.id, cx.sessions[0]!.id]) {
      expect((await call(`/api/sessions/${id}`, { key: b })).status).toBe(404);
    }
    expect(await listAll(b)).toHaveLength(0);
    // The same file imported by b is b's own session, not a's.
    const inB = await imported(b, "opencode", JSON.stringify(opencodeDocument()), 201);
    expect(inB.sessions[0]!.id).not.toBe(oc.sessions[0]!.id);
    expect(await listAll(a)).toHaveLength(2);
  });
});
