import { describe, expect, it } from "vitest";
import { messageInputSchema } from "../../src/sessions/schemas";
import { pendingCalls, toMessageCandidates, type PendingCall } from "../../src/sync/message-input";
import { syncMessageSchema } from "../../src/sync/schemas";
import { claudeCodeSync, droidSync, piOpensync } from "./plugin-payloads";

const map = (body: unknown, pending: PendingCall[] = []) => toMessageCandidates(syncMessageSchema.parse(body), pending);

describe("toMessageCandidates", () => {
  it("claude-code-sync PostToolUse: one call with the tool_use_id as its id, its result as a tool message", () => {
    const { messages, orphanResults } = map(claudeCodeSync.toolUse("s", "toolu_01", "Read", { file_path: "src/a.ts" }, "export const a = 1;"));
    expect(orphanResults).toBe(0);
    expect(messages).toEqual([
      { externalId: "toolu_01", role: "assistant", content: "", toolCalls: [{ id: "toolu_01", name: "Read", arguments: { file_path: "src/a.ts" } }] },
      { externalId: "toolu_01#result-0", role: "tool", content: "export const a = 1;", toolCallId: "toolu_01", toolName: "Read" },
    ]);
    for (const m of messages) expect(messageInputSchema.safeParse(m).success).toBe(true);
  });

  it("a call left unanswered is added to the pending calls", () => {
    const pending: PendingCall[] = [];
    map(claudeCodeSync.toolUse("s", "toolu_02", "Bash", { command: "ls" }), pending);
    expect(pending).toEqual([{ id: "toolu_02", name: "Bash" }]);
  });

  it("droid-sync tool_use part: the call, and its result when the part carries one", () => {
    const withResult = map(droidSync.tool("s", "m1", "t1", "Grep", { pattern: "TODO" }, "a.ts:3"));
    expect(withResult.messages.map((m) => [m.role, m.externalId, m.toolCallId])).toEqual([
      ["assistant", "m1-tool-t1", undefined],
      ["tool", "m1-tool-t1#result-0", "m1-tool-t1"],
    ]);
    const without = map(droidSync.tool("s", "m1", "t2", "Grep", { pattern: "x" }));
    expect(without.messages).toHaveLength(1);
  });

  it("pi-opensync: textContent wins over the repeated text part; results interleaved answer their own calls; thinking is reasoning", () => {
    const body = piOpensync.assistant("s", 2, "Checking both files.", 1764147600000, [
      { name: "read", args: { path: "a.ts" }, result: "A" },
      { name: "read", args: { path: "b.ts" }, result: "B" },
    ], "plan: read a then b");
    const { messages } = map(body);
    expect(messages[0]).toEqual({
      externalId: "s-assistant-2", role: "assistant", content: "Checking both files.",
      toolCalls: [
        { id: "s-assistant-2#call-0", name: "read", arguments: { path: "a.ts" } },
        { id: "s-assistant-2#call-1", name: "read", arguments: { path: "b.ts" } },
      ],
      reasoning: "plan: read a then b", model: "claude-opus-4", promptTokens: 300, completionTokens: 80, createdAt: 1764147600000,
    });
    expect(messages.slice(1).map((m) => [m.content, m.toolCallId])).toEqual([
      ["A", "s-assistant-2#call-0"],
      ["B", "s-assistant-2#call-1"],
    ]);
  });

  it("text parts make the content when textContent is absent", () => {
    const { messages } = map({ sessionExternalId: "s", externalId: "m", role: "assistant", parts: [{ type: "text", content: "one" }, { type: "text", content: { text: "two" } }] });
    expect(messages[0]!.content).toBe("one\n\ntwo");
  });

  it("a result without toolCallId answers the latest pending call of the session", () => {
    const pending: PendingCall[] = [{ id: "c1", name: "Read" }, { id: "c2", name: "Bash" }];
    const { messages, orphanResults } = map({ sessionExternalId: "s", externalId: "r", role: "tool", parts: [{ type: "tool-result", content: "ok" }] }, pending);
    expect(orphanResults).toBe(0);
    expect(messages).toEqual([{ externalId: "r#result-0", role: "tool", content: "ok", toolCallId: "c2", toolName: "Bash" }]);
    expect(pending).toEqual([{ id: "c1", name: "Read" }]);
  });

  it("a result naming its call answers that one; an object result keeps toolName and JSON-encodes non-strings", () => {
    const pending: PendingCall[] = [{ id: "c1", name: "Read" }, { id: "c2", name: "Bash" }];
    const { messages } = map({
      sessionExternalId: "s", externalId: "r", role: "assistant",
      parts: [{ type: "tool-result", content: { toolCallId: "c1", toolName: "Read", result: { lines: 3 } } }],
    }, pending);
    expect(messages[1]).toEqual({ externalId: "r#result-0", role: "tool", content: '{"lines":3}', toolCallId: "c1", toolName: "Read" });
    expect(pending).toEqual([{ id: "c2", name: "Bash" }]);
  });

  it("a result with no call to answer is an orphan, stored without toolCallId", () => {
    const { messages, orphanResults } = map({ sessionExternalId: "s", externalId: "r", role: "user", parts: [{ type: "tool-result", content: "out" }] });
    expect(orphanResults).toBe(1);
    // The user message only wrapped the result, so it adds nothing of its own.
    expect(messages).toEqual([{ externalId: "r#result-0", role: "tool", content: "out" }]);
  });

  it("a tool-role message answers the latest pending call itself", () => {
    const pending: PendingCall[] = [{ id: "c9", name: "Edit" }];
    const { messages } = map({ sessionExternalId: "s", externalId: "t", role: "tool", textContent: "edited" }, pending);
    expect(messages).toEqual([{ externalId: "t", role: "tool", content: "edited", toolCallId: "c9", toolName: "Edit" }]);
  });

  it("tool calls and reasoning on a user message go to an assistant message beside it", () => {
    const { messages } = map({ sessionExternalId: "s", externalId: "u", role: "user", textContent: "hi", parts: [{ type: "tool-call", content: { toolName: "x", args: "raw" } }] });
    expect(messages).toEqual([
      { externalId: "u", role: "user", content: "hi" },
      { externalId: "u#assistant", role: "assistant", content: "", toolCalls: [{ id: "u", name: "x", arguments: "raw" }] },
    ]);
  });

  it("role unknown is stored as assistant; zero tokens and the placeholder model are left out; unknown parts ignored", () => {
    const { messages } = map({ sessionExternalId: "s", externalId: "m", role: "unknown", textContent: "x", model: "unknown", promptTokens: 0, parts: [{ type: "file", content: { url: "a.png" } }] });
    expect(messages).toEqual([{ externalId: "m", role: "assistant", content: "x" }]);
  });

  it("oversized content is cut to the limit, never refused", () => {
    const { messages } = map({ sessionExternalId: "s", externalId: "m", role: "user", textContent: "x".repeat(1_100_000) });
    expect(messages[0]!.content).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(messageInputSchema.safeParse(messages[0]).success).toBe(true);
  });
});

describe("pendingCalls", () => {
  it("lists stored calls no tool message has answered, oldest first", () => {
    expect(
      pendingCalls([
        { role: "assistant", toolCalls: JSON.stringify([{ id: "a", name: "Read" }, { id: "b", name: "Bash" }]), toolCallId: null },
        { role: "tool", toolCalls: null, toolCallId: "a" },
        { role: "assistant", toolCalls: JSON.stringify([{ id: "c", name: "Edit" }]), toolCallId: null },
      ]),
    ).toEqual([{ id: "b", name: "Bash" }, { id: "c", name: "Edit" }]);
  });
});
