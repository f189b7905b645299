import { describe, expect, it } from "vitest";
import { makeKey } from "../helpers";
import { agentTranscript, CC_SESSION, claudeTranscript, longTranscript } from "../importers/fixtures/claude-code";
import { importFile, imported, listAll, readSession } from "./support";

/** POST /api/import: a transcript in, sessions stored through the ingest path, the contract's answer out. */

describe("POST /api/import?format=claude-code — happy path", () => {
  it("imports a transcript (201) and stores its messages in conversation order", async () => {
    const key = await makeKey("imp-happy");
    const out = await imported(key, "claude-code", claudeTranscript(), 201);
    expect(out.sessions).toEqual([
      { id: expect.stringMatching(/^ses_/), externalId: CC_SESSION, created: true, messageCount: 9, parentExternalId: null },
    ]);
    expect(out.skipped).toEqual({ "file-history-snapshot": 1, progress: 1, meta: 1, command: 2, "queue-operation": 1, system: 1 });
    expect(out.truncated).toBe(0);

    const { body: s } = await readSession(key, out.sessions[0]!.id);
    expect(s).toMatchObject({
      externalId: CC_SESSION,
      title: "Fix the login redirect loop",
      source: "claude-code",
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      projectPath: "/home/me/app",
      projectName: "app",
      gitBranch: "main",
      promptTokens: 60,
      completionTokens: 150,
      cacheReadTokens: 6000,
      cacheWriteTokens: 300,
      totalTokens: 210,
      durationMs: 15000,
      createdAt: Date.parse("2026-01-05T10:00:00.000Z"),
    });
    expect(s.messages.map((m: any) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool", "user", "assistant", "system", "system"]);
    expect(s.messages[1]).toMatchObject({
      externalId: "msg_01A",
      content: "Let me read the provider.",
      reasoning: "The provider probably re-renders.",
      toolCalls: [{ id: "toolu_01", name: "Read", arguments: { file_path: "/home/me/app/src/auth.tsx" } }],
    });
    expect(s.messages[2]).toMatchObject({ role: "tool", toolCallId: "toolu_01", toolName: "Read", content: "export function AuthProvider() {}" });
    expect(s.messages[4].content).toBe("[error] 1 test failed");
    expect(s.messages[5].content).toMatch(/^Here is the screenshot — ünïcödé ✓ 日本語 🎉\n\n\[image: image\/png, \d+ KB\]$/);
  });

  it("answers 200 with the same ids on a re-import, and nothing changes (same ETag)", async () => {
    const key = await makeKey("imp-again");
    const first = await imported(key, "claude-code", claudeTranscript(), 201);
    const before = await readSession(key, first.sessions[0]!.id);
    const again = await imported(key, "claude-code", claudeTranscript(), 200);
    expect(again.sessions).toEqual([{ ...first.sessions[0], created: false }]);
    const after = await readSession(key, first.sessions[0]!.id);
    expect(after.etag).toBe(before.etag);
    expect(after.body).toEqual(before.body);
  });

  it("imports a subagent transcript as its own session pointing at its parent", async () => {
    const key = await makeKey("imp-agent");
    const out = await imported(key, "claude-code", agentTranscript("a0ad4f44"), 201);
    expect(out.sessions).toEqual([
      expect.objectContaining({ externalId: `${CC_SESSION}:agent-a0ad4f44`, parentExternalId: CC_SESSION, messageCount: 4 }),
    ]);
    const { body } = await readSession(key, out.sessions[0]!.id);
    expect(body.parentExternalId).toBe(CC_SESSION);
  });

  it("writes a long transcript in chunks within one request, every message once and in order", async () => {
    const key = await makeKey("imp-long");
    const turns = 700; // 2,800 messages: more than one chunk
    const out = await imported(key, "claude-code", longTranscript(turns), 201);
    expect(out.sessions).toHaveLength(1);
    expect(out.sessions[0]!.messageCount).toBe(turns * 4);
    const { body, etag } = await readSession(key, out.sessions[0]!.id);
    expect(body.messages).toHaveLength(turns * 4);
    expect(body.messages[4 * 600 + 3].content).toBe("Answer 600");
    expect(body.messages.every((m: any, i: number) => m.seq === i)).toBe(true);
    const again = await imported(key, "claude-code", longTranscript(turns), 200);
    expect(again.sessions[0]!.messageCount).toBe(turns * 4);
    expect((await readSession(key, out.sessions[0]!.id)).etag).toBe(etag);
  });

  it("accepts the content types a file upload may carry, and none at all", async () => {
    const key = await makeKey("imp-types");
    for (const type of ["application/x-ndjson", "application/jsonl", "application/json", "text/plain; charset=utf-8", null]) {
      const res = await importFile(key, "claude-code", claudeTranscript(), type);
      expect([200, 201], `${type}`).toContain(res.status);
    }
    expect(await listAll(key)).toHaveLength(1);
  });
});
