import { describe, expect, it } from "vitest";
import { parseTranscript } from "../../src/importers";
import { createCodexParser } from "../../src/importers/codex";
import { feedLines } from "../../src/importers/lines";
import type { ImportedSession } from "../../src/importers/types";
import { LIMITS, utf8Length } from "../../src/lib/limits";
import { sessionInputSchema } from "../../src/sessions/schemas";
import { claudeTranscript } from "./fixtures/claude-code";
import { CODEX_SESSION, codexLines, codexRollout, legacyCodexRollout, toJsonl } from "./fixtures/codex";

const parse = (text: string) => parseTranscript("codex", text);
const only = (sessions: ImportedSession[]) => {
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
};

describe("Codex parser — line kinds", () => {
  it("maps response items: instructions as system, prompts, one assistant message per model turn, outputs as tool messages", () => {
    const { sessions, report } = parse(codexRollout());
    const s = only(sessions);
    expect(sessionInputSchema.safeParse(s).success).toBe(true);
    expect(s.messages!.map((m) => [m.role, m.externalId])).toEqual([
      ["system", "line-2"], // developer message
      ["system", "line-3"], // <user_instructions>
      ["system", "line-4"], // <environment_context>
      ["user", "line-5"],
      ["assistant", "line-10"], // reasoning summary + function_call
      ["tool", "line-12"],
      ["assistant", "line-14"], // custom_tool_call (the encrypted-only reasoning before it is dropped)
      ["tool", "line-15"],
      ["assistant", "line-16"], // local_shell_call
      ["tool", "line-17"],
      ["assistant", "line-19"],
      ["system", "line-22"], // compacted summary
    ]);
    expect(s.messages![3]!.content).toBe("Add a health endpoint — ✓ ünïcödé");
    expect(report.messages).toBe(12);
    expect(report.firstBad).toBeUndefined();
  });

  it("pairs function_call, custom_tool_call and local_shell_call with their outputs", () => {
    const m = only(parse(codexRollout()).sessions).messages!;
    expect(m[4]).toMatchObject({
      role: "assistant",
      model: "gpt-5-codex",
      reasoning: "**Looking at the router**",
      toolCalls: [{ id: "call_1", name: "shell", arguments: { command: ["bash", "-lc", "ls"], workdir: "/home/me/api" } }],
    });
    // The {"output": …, "metadata": …} wrapper Codex puts around shell output is unwrapped.
    expect(m[5]).toMatchObject({ role: "tool", toolCallId: "call_1", toolName: "shell", content: "src\npackage.json\n" });
    expect(m[6]!.toolCalls).toEqual([{ id: "call_2", name: "apply_patch", arguments: expect.stringContaining("*** Add File: src/health.ts") }]);
    expect(m[6]!.reasoning).toBeUndefined();
    expect(m[7]).toMatchObject({ toolCallId: "call_2", toolName: "apply_patch", content: "Success. Updated the following files:\nA src/health.ts" });
    expect(m[8]!.toolCalls).toEqual([{ id: "call_3", name: "local_shell", arguments: { type: "exec", command: ["pnpm", "test"], timeout_ms: 10000 } }]);
    expect(m[9]).toMatchObject({ toolCallId: "call_3", toolName: "local_shell", content: "ok" });
    expect(m[10]).toMatchObject({ content: "Added GET /health.", model: "gpt-5-codex" });
    const calls = m.flatMap((x) => x.toolCalls ?? []).map((c) => c.id);
    const results = m.filter((x) => x.role === "tool").map((x) => x.toolCallId);
    expect(results).toEqual(calls);
  });

  it("keeps session_meta (id, cwd, git without credentials), turn_context model and the last cumulative token count", () => {
    const s = only(parse(codexRollout()).sessions);
    expect(s).toMatchObject({
      externalId: CODEX_SESSION,
      source: "codex",
      provider: "openai",
      projectPath: "/home/me/api",
      projectName: "api",
      gitBranch: "feature/x",
      gitCommit: "3f2a9c1e5b7d",
      gitRemote: "github.com/acme/api",
      parentExternalId: null,
      model: "gpt-5-codex",
      title: "Add a health endpoint — ✓ ünïcödé",
      createdAt: Date.parse("2026-02-01T09:00:00.000Z"),
      durationMs: 10_000,
      // Last total_token_usage (3000 in, 1200 of them cached, 150 out), never a sum of the two token_count events.
      promptTokens: 1800,
      cacheReadTokens: 1200,
      completionTokens: 150,
    });
    const withToken = only(parse(codexRollout({ git: { repository_url: "https://x-access-token:ghp_secret@github.com/acme/api.git" } })).sessions);
    expect(withToken.gitRemote).toBe("github.com/acme/api");
    expect(JSON.stringify(withToken)).not.toContain("ghp_secret");
  });

  it("drops encrypted reasoning and counts the event_msg lines that repeat response items", () => {
    const { sessions, report } = parse(codexRollout());
    expect(JSON.stringify(only(sessions))).not.toContain("gAAAA");
    expect(report.skipped).toEqual({
      "event_msg:user_message": 1,
      "event_msg:agent_reasoning": 1,
      "event_msg:agent_message": 1,
      encrypted_reasoning: 1,
      "response_item:ghost_snapshot": 1,
    });
  });

  it("reads a sub-agent rollout as its own session pointing at its parent thread", () => {
    const s = only(parse(codexRollout({ id: "child-thread", source: { subagent: { thread_spawn: { parent_thread_id: CODEX_SESSION, depth: 1 } } } })).sessions);
    expect(s.externalId).toBe("child-thread");
    expect(s.parentExternalId).toBe(CODEX_SESSION);
  });

  it("reads an output given as content items", () => {
    const lines = codexLines();
    lines.splice(13, 0, {
      timestamp: "2026-02-01T09:00:04.500Z",
      type: "response_item",
      payload: { type: "function_call_output", call_id: "call_1", output: [{ type: "input_text", text: "first" }, { type: "input_text", text: "second" }] },
    });
    const tool = only(parse(toJsonl(lines)).sessions).messages!.find((m) => m.externalId === "line-14")!;
    expect(tool).toMatchObject({ role: "tool", toolCallId: "call_1", content: "first\n\nsecond" });
  });

  it("reads a rollout from before CLI 0.44 (no envelope)", () => {
    const s = only(parse(legacyCodexRollout()).sessions);
    expect(s).toMatchObject({ externalId: "legacy-0001", gitBranch: "main", gitCommit: "abc123", gitRemote: "github.com/acme/old" });
    expect(s.messages!.map((m) => [m.role, m.content])).toEqual([["user", "Hello"], ["assistant", "Hi!"]]);
  });
});

describe("Codex parser — damaged, grown and huge files", () => {
  it("skips a malformed line in the middle and a half-written last line, counting them", () => {
    const lines = codexRollout().trimEnd().split("\n");
    lines.splice(6, 0, '{"timestamp":"2026-02-01T09:00:02Z","type":"response_item","payload":{"type":"mess');
    const text = `${lines.join("\n")}\n{"timestamp":"2026-02-01T09:00:11Z","type":"respo`;
    const { sessions, report } = parse(text);
    expect(report.skipped.malformed).toBe(2);
    expect(report.firstBad).toEqual({ line: 7, message: "not a JSON object" });
    expect(only(sessions).messages).toHaveLength(12);
  });

  it("is not fooled by another tool's file: no conversation, and the first line named", () => {
    const { sessions, report } = parse(claudeTranscript());
    expect(sessions).toEqual([]);
    expect(report.messages).toBe(0);
    expect(report.firstBad?.line).toBe(1);
  });

  it("gives a grown rollout the same line ids for what it had, so a re-import only appends", () => {
    const lines = codexRollout().trimEnd().split("\n");
    // Cut after the reasoning summary, before the function_call of the same turn.
    const early = only(parse(lines.slice(0, 10).join("\n")).sessions);
    const full = only(parse(lines.join("\n")).sessions);
    const earlyIds = early.messages!.map((m) => m.externalId);
    expect(earlyIds.at(-1)).toBe("line-10");
    expect(full.messages!.slice(0, earlyIds.length).map((m) => m.externalId)).toEqual(earlyIds);
    expect(early.messages!.at(-1)!.toolCalls).toBeUndefined();
    expect(full.messages![4]!.toolCalls).toHaveLength(1);
    expect(full.createdAt).toBe(early.createdAt);
  });

  it("holds back the assistant turn still being written while draining in chunks", () => {
    const text = codexRollout();
    const whole = only(parse(text).sessions).messages!.map((m) => m.externalId);
    const parser = createCodexParser();
    const chunks: ImportedSession[][] = [];
    feedLines(text, (line, n) => {
      parser.line(line, n);
      if (parser.pendingMessages() >= 2) chunks.push(parser.drain(false));
    });
    chunks.push(parser.drain(true));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.flat().flatMap((s) => s.messages!.map((m) => m.externalId))).toEqual(whole);
    const merged = chunks.flat().flatMap((s) => s.messages!);
    expect(merged.find((m) => m.externalId === "line-10")!.toolCalls).toHaveLength(1);
  });

  it("cuts a huge tool output to fit 1 MiB, ending with how much was cut, and counts it", () => {
    const huge = "日本".repeat(300_000); // 1.8 MB of UTF-8
    const lines = codexLines();
    (lines[11]!.payload as Record<string, unknown>).output = huge;
    const { sessions, report } = parse(toJsonl(lines));
    const tool = only(sessions).messages!.find((m) => m.externalId === "line-12")!;
    expect(tool.role).toBe("tool");
    expect(report.truncated).toBe(1);
    expect(utf8Length(tool.content)).toBeLessThanOrEqual(LIMITS.messageContentBytes);
    const m = /…\[truncated (\d+) bytes\]$/.exec(tool.content)!;
    expect(m).not.toBeNull();
    expect(utf8Length(tool.content.slice(0, m.index)) + Number(m[1])).toBe(utf8Length(huge));
    expect(sessionInputSchema.safeParse(only(sessions)).success).toBe(true);
  });
});
