import { describe, expect, it } from "vitest";
import { createClaudeCodeParser } from "../../src/importers/claude-code";
import { feedLines } from "../../src/importers/lines";
import { parseTranscript } from "../../src/importers";
import type { ImportedSession } from "../../src/importers/types";
import { LIMITS, utf8Length } from "../../src/lib/limits";
import { sessionInputSchema } from "../../src/sessions/schemas";
import { agentTranscript, CC_SESSION, claudeLines, claudeTranscript, IMAGE_BASE64, longTranscript, toJsonl } from "./fixtures/claude-code";
import { codexRollout } from "./fixtures/codex";

const parse = (text: string) => parseTranscript("claude-code", text);
const only = (sessions: ImportedSession[]) => {
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
};

describe("Claude Code parser — line kinds", () => {
  it("maps prompts, one assistant message per message.id, tool results, compaction and interruptions", () => {
    const { sessions, report } = parse(claudeTranscript());
    const s = only(sessions);
    expect(sessionInputSchema.safeParse(s).success).toBe(true);
    expect(s.messages!.map((m) => [m.role, m.externalId])).toEqual([
      ["user", "u-1"],
      ["assistant", "msg_01A"],
      ["tool", "toolu_01:result"],
      ["assistant", "msg_01B"],
      ["tool", "toolu_02:result"],
      ["user", "u-6"],
      ["assistant", "msg_01C"],
      ["system", "u-7"],
      ["system", "u-8"],
    ]);
    const a = s.messages![1]!;
    expect(a.content).toBe("Let me read the provider.");
    expect(a.reasoning).toBe("The provider probably re-renders.");
    expect(a.toolCalls).toEqual([{ id: "toolu_01", name: "Read", arguments: { file_path: "/home/me/app/src/auth.tsx" } }]);
    expect(a.model).toBe("claude-sonnet-4-5-20250929");
    expect(s.messages![2]).toMatchObject({ toolCallId: "toolu_01", toolName: "Read", content: "export function AuthProvider() {}" });
    expect(s.messages![4]).toMatchObject({ toolCallId: "toolu_02", toolName: "Bash", content: "[error] 1 test failed" });
    expect(s.messages![7]!.content).toMatch(/^This session is being continued/);
    expect(report.skipped).toEqual({ "file-history-snapshot": 1, progress: 1, meta: 1, command: 2, "queue-operation": 1, system: 1 });
    expect(report.messages).toBe(9);
    expect(report.firstBad).toBeUndefined();
  });

  it("keeps session fields: summary title, cwd, branch, model, timestamps", () => {
    const s = only(parse(claudeTranscript()).sessions);
    expect(s).toMatchObject({
      externalId: CC_SESSION,
      title: "Fix the login redirect loop",
      source: "claude-code",
      provider: "anthropic",
      projectPath: "/home/me/app",
      projectName: "app",
      gitBranch: "main",
      parentExternalId: null,
      model: "claude-sonnet-4-5-20250929",
      createdAt: Date.parse("2026-01-05T10:00:00.000Z"),
      durationMs: 15_000,
    });
  });

  it("counts a response's usage once, although each of its block lines repeats it", () => {
    const s = only(parse(claudeTranscript()).sessions);
    // msg_01A: three lines (input 10 each, output growing to 80); msg_01B 20/30; msg_01C 30/40.
    expect(s).toMatchObject({ promptTokens: 60, completionTokens: 150, cacheReadTokens: 6000, cacheWriteTokens: 300 });
    expect(s.messages![1]).toMatchObject({ promptTokens: 10, completionTokens: 80 });
  });

  it("never stores an image's base64: a short placeholder with its type and size instead", () => {
    const s = only(parse(claudeTranscript()).sessions);
    const all = JSON.stringify(s);
    expect(all).not.toContain(IMAGE_BASE64.slice(0, 40));
    expect(s.messages![5]!.content).toBe(`Here is the screenshot — ünïcödé ✓ 日本語 🎉\n\n[image: image/png, ${Math.round((IMAGE_BASE64.length * 3) / 4 / 1024)} KB]`);
  });

  it("falls back to the first prompt's first 80 characters as the title", () => {
    const lines = claudeLines().filter((l) => l.type !== "summary");
    const first = lines.find((l) => l.uuid === "u-1") as { message: { content: string } };
    first.message.content = `${"word ".repeat(30)}end`;
    const s = only(parse(toJsonl(lines)).sessions);
    expect(s.title).toBe(`${"word ".repeat(16).slice(0, 80)}…`);
  });

  it("reads tool results given as block lists, strings, or with images inside", () => {
    const text = toJsonl([
      { type: "user", sessionId: "s1", uuid: "x1", timestamp: "2026-01-01T00:00:00Z", message: { role: "user", content: "go" } },
      { type: "assistant", sessionId: "s1", uuid: "x2", timestamp: "2026-01-01T00:00:01Z", message: { id: "m1", role: "assistant", model: "claude-opus-4-6", content: [{ type: "tool_use", id: "t1", name: "Shot", input: {} }, { type: "tool_use", id: "t2", name: "Read", input: { p: 1 } }] } },
      {
        type: "user", sessionId: "s1", uuid: "x3", timestamp: "2026-01-01T00:00:02Z",
        message: { role: "user", content: [
          { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "took it" }, { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "QUJD".repeat(600) } }] },
          { type: "tool_result", tool_use_id: "t2", content: "line 1" },
        ] },
      },
    ]);
    const s = only(parse(text).sessions);
    expect(s.messages!.map((m) => m.content)).toEqual(["go", "", "took it\n[image: image/jpeg, 2 KB]", "line 1"]);
    expect(s.messages![1]!.toolCalls!.map((c) => c.id)).toEqual(["t1", "t2"]);
    expect(s.messages![3]).toMatchObject({ toolCallId: "t2", toolName: "Read" });
  });
});

describe("Claude Code parser — subagents", () => {
  it("makes an agent transcript its own session, <parent>:agent-<agentId>, pointing at the parent", () => {
    const s = only(parse(agentTranscript("abc123")).sessions);
    expect(s.externalId).toBe(`${CC_SESSION}:agent-abc123`);
    expect(s.parentExternalId).toBe(CC_SESSION);
    expect(s.messages!.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
  });

  it("splits sidechains kept inside a main transcript into a session each", () => {
    const side = (uuid: string, parentUuid: string | null, role: "user" | "assistant", content: unknown) => ({
      type: role, sessionId: "main-1", uuid, parentUuid, isSidechain: true, timestamp: "2025-06-01T00:00:05Z",
      message: role === "assistant" ? { id: `m-${uuid}`, role, model: "claude-3-5-haiku", content } : { role, content },
    });
    const text = toJsonl([
      { type: "user", sessionId: "main-1", uuid: "m1", parentUuid: null, isSidechain: false, timestamp: "2025-06-01T00:00:00Z", message: { role: "user", content: "main prompt" } },
      side("s1", null, "user", "first task"),
      side("s2", "s1", "assistant", [{ type: "text", text: "done 1" }]),
      side("t1", null, "user", "second task"),
      side("t2", "t1", "assistant", [{ type: "text", text: "done 2" }]),
    ]);
    const { sessions } = parse(text);
    expect(sessions.map((s) => [s.externalId, s.parentExternalId, s.messages!.length])).toEqual([
      ["main-1", null, 1],
      ["main-1:sidechain-s1", "main-1", 2],
      ["main-1:sidechain-t1", "main-1", 2],
    ]);
  });
});

describe("Claude Code parser — damaged, repeated and grown files", () => {
  it("skips a malformed line in the middle and a half-written last line, counting them", () => {
    const lines = claudeTranscript().trimEnd().split("\n");
    lines.splice(5, 0, '{"type":"assistant","message":{"id":');
    const text = `${lines.join("\n")}\n{"type":"user","sessionId":"${CC_SESSION}","uu`;
    const { sessions, report } = parse(text);
    expect(report.skipped.malformed).toBe(2);
    expect(report.firstBad).toEqual({ line: 6, message: "not a JSON object" });
    expect(only(sessions).messages).toHaveLength(9);
  });

  it("reads a repeated line once", () => {
    const lines = claudeTranscript().trimEnd().split("\n");
    const text = [...lines.slice(0, 6), lines[4], lines[6], ...lines.slice(6)].join("\n");
    const { sessions, report } = parse(text);
    expect(report.skipped.duplicate).toBe(2);
    const s = only(sessions);
    expect(s.messages).toHaveLength(9);
    expect(s.messages![1]!.content).toBe("Let me read the provider.");
  });

  it("gives a grown transcript the same ids for what it had, so a re-import only appends", () => {
    const lines = claudeTranscript().trimEnd().split("\n");
    // Cut in the middle of msg_01A (after its thinking and text lines, before its tool_use line).
    const early = only(parse(lines.slice(0, 5).join("\n")).sessions);
    const full = only(parse(lines.join("\n")).sessions);
    const earlyIds = early.messages!.map((m) => m.externalId);
    expect(full.messages!.slice(0, earlyIds.length).map((m) => m.externalId)).toEqual(earlyIds);
    expect(early.messages![1]!.toolCalls).toBeUndefined();
    expect(full.messages![1]!.toolCalls).toHaveLength(1);
    expect(full.createdAt).toBe(early.createdAt);
  });

  it("is not fooled by another tool's file: no conversation, and the first line named", () => {
    const { sessions, report } = parse(codexRollout());
    expect(sessions).toEqual([]);
    expect(report.messages).toBe(0);
    expect(report.firstBad).toEqual({ line: 1, message: 'not a Claude Code line (type "session_meta")' });
  });

  it("cuts a huge tool output to fit 1 MiB, ending with how much was cut, and counts it", () => {
    const huge = "é".repeat(800_000); // 1.6 MB of UTF-8
    const text = toJsonl([
      { type: "user", sessionId: "s1", uuid: "x1", timestamp: "2026-01-01T00:00:00Z", message: { role: "user", content: "cat big.log" } },
      { type: "assistant", sessionId: "s1", uuid: "x2", timestamp: "2026-01-01T00:00:01Z", message: { id: "m1", role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "cat big.log" } }] } },
      { type: "user", sessionId: "s1", uuid: "x3", timestamp: "2026-01-01T00:00:02Z", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: huge }] } },
    ]);
    const { sessions, report } = parse(text);
    const tool = only(sessions).messages![2]!;
    expect(report.truncated).toBe(1);
    expect(utf8Length(tool.content)).toBeLessThanOrEqual(LIMITS.messageContentBytes);
    const m = /…\[truncated (\d+) bytes\]$/.exec(tool.content)!;
    expect(m).not.toBeNull();
    const kept = tool.content.slice(0, m.index);
    expect(utf8Length(kept) + Number(m[1])).toBe(utf8Length(huge));
    expect(sessionInputSchema.safeParse(only(sessions)).success).toBe(true);
  });
});

describe("Claude Code parser — chunked drains", () => {
  it("drains in chunks to exactly the messages of one whole parse, holding back an unfinished response", () => {
    const text = longTranscript(50);
    const whole = only(parse(text).sessions).messages!.map((m) => m.externalId);
    const parser = createClaudeCodeParser();
    const chunks: ImportedSession[][] = [];
    feedLines(text, (line, n) => {
      parser.line(line, n);
      if (parser.pendingMessages() >= 7) chunks.push(parser.drain(false));
    });
    chunks.push(parser.drain(true));
    const ids = chunks.flat().flatMap((s) => s.messages!.map((m) => m.externalId));
    expect(ids).toEqual(whole);
    // Before the end only fields that never change travel: no title, totals or duration.
    const early = chunks[0]![0]!;
    expect(early.title).toBeUndefined();
    expect(early.promptTokens).toBeUndefined();
    expect(early.createdAt).toBe(chunks.at(-1)![0]!.createdAt);
  });
});
