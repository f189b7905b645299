import { beforeAll, describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { etagOf, readSession, sync } from "./_support";
import { claudeCodeSync, codexSync, opencodeSync, piOpensync, uid } from "./plugin-payloads";

const WS = "sync-message";
let key: string;
beforeAll(async () => {
  key = await makeKey(WS);
});

const shape = (m: { role: string; content: string; toolCalls: unknown; toolCallId: string | null }) => [m.role, m.content, m.toolCalls, m.toolCallId];

describe("POST /sync/message", () => {
  it("claude-code-sync's hook sequence: prompt, tool use (before the text that preceded it), replies — in order of arrival", async () => {
    const sid = uid("cc");
    await sync("/sync/session", key, claudeCodeSync.sessionStart(sid));
    const prompt = claudeCodeSync.userPrompt(sid, "Why is the cart total off by a cent?");
    const answer = await sync<{ ok: boolean; messageId: string }>("/sync/message", key, prompt);
    expect(answer).toEqual({ ok: true, messageId: prompt.externalId });
    await sync("/sync/message", key, claudeCodeSync.toolUse(sid, "toolu_01A", "Read", { file_path: "src/cart.ts" }, "export const total = …", 35));
    await sync("/sync/message", key, claudeCodeSync.assistantText(sid, "uuid-a1", "Let me read the cart code."));
    await sync("/sync/message", key, claudeCodeSync.assistantText(sid, "uuid-a2", "The total is rounded per line; round once at the end."));
    const s = await readSession(key, WS, sid);
    expect(s.messages.map(shape)).toEqual([
      ["user", "Why is the cart total off by a cent?", null, null],
      ["assistant", "", [{ id: "toolu_01A", name: "Read", arguments: { file_path: "src/cart.ts" } }], null],
      ["tool", "export const total = …", null, "toolu_01A"],
      ["assistant", "Let me read the cart code.", null, null],
      ["assistant", "The total is rounded per line; round once at the end.", null, null],
    ]);
    expect(s.messages[2]!.toolName).toBe("Read");
    expect(s.messages[4]!.model).toBe("claude-sonnet-4-20250514");
    expect(s.messageCount).toBe(5);
  });

  it("creates the session when the message arrives first, with the message's source", async () => {
    const sid = uid("early");
    await sync("/sync/message", key, claudeCodeSync.userPrompt(sid, "hello"));
    const s = await readSession(key, WS, sid);
    expect(s).toMatchObject({ source: "claude-code", messageCount: 1 });
    // opencode-sync-plugin names no source: OpenSync's default.
    const oc = uid("oc");
    await sync("/sync/message", key, opencodeSync.message(oc, "msg_1", "user", "list the routes"));
    expect(await readSession(key, WS, oc)).toMatchObject({ source: "opencode", model: "claude-sonnet-4" });
  });

  it("a message re-sent with the same externalId is updated in place; an identical resend changes nothing", async () => {
    const oc = uid("oc");
    await sync("/sync/message", key, opencodeSync.message(oc, "msg_1", "user", "add a test"));
    await sync("/sync/message", key, opencodeSync.message(oc, "msg_2", "assistant", "I'll add"));
    await sync("/sync/message", key, opencodeSync.message(oc, "msg_2", "assistant", "I'll add a test for the parser."));
    const s = await readSession(key, WS, oc);
    expect(s.messages.map((m) => m.content)).toEqual(["add a test", "I'll add a test for the parser."]);
    const etag = await etagOf(key, s.id);
    await sync("/sync/message", key, opencodeSync.message(oc, "msg_2", "assistant", "I'll add a test for the parser."));
    expect(await etagOf(key, s.id)).toBe(etag);
  });

  it("a resend that leaves fields out or empty keeps the stored ones", async () => {
    const sid = uid("cc");
    await sync("/sync/message", key, claudeCodeSync.toolUse(sid, "toolu_9", "Bash", { command: "npm test" }, "12 passed"));
    // The same tool use again without its result (PostToolUse fired twice, the second without tool_result).
    await sync("/sync/message", key, claudeCodeSync.toolUse(sid, "toolu_9", "Bash", { command: "npm test" }));
    await sync("/sync/message", key, { sessionExternalId: sid, externalId: "toolu_9", role: "assistant", source: "claude-code" });
    const s = await readSession(key, WS, sid);
    expect(s.messages.map(shape)).toEqual([
      ["assistant", "", [{ id: "toolu_9", name: "Bash", arguments: { command: "npm test" } }], null],
      ["tool", "12 passed", null, "toolu_9"],
    ]);
  });

  it("user prompts get a new id on every send, so each send is its own message", async () => {
    const sid = uid("cc");
    await sync("/sync/message", key, claudeCodeSync.userPrompt(sid, "continue"));
    await sync("/sync/message", key, claudeCodeSync.userPrompt(sid, "continue"));
    expect((await readSession(key, WS, sid)).messages.map((m) => m.content)).toEqual(["continue", "continue"]);
  });

  it("a result without toolCallId in a later message answers the latest unanswered stored call", async () => {
    const sid = uid("x");
    await sync("/sync/message", key, { sessionExternalId: sid, externalId: "a1", role: "assistant", parts: [
      { type: "tool-call", content: { toolName: "Read", args: { path: "a" }, toolCallId: "c1" } },
      { type: "tool-call", content: { toolName: "Grep", args: { q: "b" }, toolCallId: "c2" } },
    ] });
    await sync("/sync/message", key, { sessionExternalId: sid, externalId: "r1", role: "tool", parts: [{ type: "tool-result", content: "grep out" }] });
    await sync("/sync/message", key, { sessionExternalId: sid, externalId: "r2", role: "tool", parts: [{ type: "tool-result", content: { result: "read out" } }] });
    const s = await readSession(key, WS, sid);
    expect(s.messages.slice(1).map((m) => [m.content, m.toolCallId, m.toolName])).toEqual([
      ["grep out", "c2", "Grep"],
      ["read out", "c1", "Read"],
    ]);
  });

  it("pi-opensync parts: text, calls with results in place, thinking as reasoning; createdAt kept", async () => {
    const sid = uid("pi");
    await sync("/sync/message", key, piOpensync.user(sid, 1, "rename the flag", 1764147600000));
    await sync("/sync/message", key, piOpensync.assistant(sid, 2, "Renaming it.", 1764147601000, [{ name: "edit", args: { path: "cli.ts" }, result: "ok" }], "find usages first"));
    const s = await readSession(key, WS, sid);
    expect(s.messages.map(shape)).toEqual([
      ["user", "rename the flag", null, null],
      ["assistant", "Renaming it.", [{ id: `${sid}-assistant-2`, name: "edit", arguments: { path: "cli.ts" } }], null],
      ["tool", "ok", null, `${sid}-assistant-2`],
    ]);
    expect(s.messages[1]).toMatchObject({ reasoning: "find usages first", createdAt: 1764147601000, promptTokens: 300, completionTokens: 80 });
  });

  it("codex-sync messages", async () => {
    const sid = uid("codex");
    await sync("/sync/session", key, codexSync.session(sid));
    await sync("/sync/message", key, codexSync.message(sid, "c-1", "user", "add a retry"));
    await sync("/sync/message", key, codexSync.message(sid, "c-2", "assistant", "Added exponential backoff."));
    const s = await readSession(key, WS, sid);
    expect(s.messages.map((m) => [m.role, m.content])).toEqual([["user", "add a retry"], ["assistant", "Added exponential backoff."]]);
  });

  it("bad messages are JSON 400s and store nothing", async () => {
    const sid = uid("bad");
    const res = await sync<{ error: { code: string; details: { path: string }[] } }>("/sync/message", key, { sessionExternalId: sid, externalId: "m", role: "robot", textContent: "x" }, 400);
    expect(res.error.details.map((d) => d.path)).toContain("role");
    await sync("/sync/message", key, { sessionExternalId: sid, role: "user", textContent: "x" }, 400);
    const list = await (await call("/sync/sessions/list", { key })).json() as { sessionIds: string[] };
    expect(list.sessionIds).not.toContain(sid);
  });

  it("dozens of messages sent at once to one new session all land, in a consistent order", async () => {
    const sid = uid("par");
    const bodies = Array.from({ length: 40 }, (_, i) => claudeCodeSync.assistantText(sid, `uuid-${i}`, `block ${i}`));
    const answers = await Promise.all(bodies.map((b) => call("/sync/message", { method: "POST", key, json: b })));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const s = await readSession(key, WS, sid);
    expect(s.messageCount).toBe(40);
    expect(new Set(s.messages.map((m) => m.content))).toEqual(new Set(bodies.map((b) => b.textContent)));
    expect(s.messages.map((m) => m.seq)).toEqual(bodies.map((_, i) => i));
  });

  it("parallel tool uses and replies to an existing session all land", async () => {
    const sid = uid("par2");
    await sync("/sync/session", key, claudeCodeSync.sessionStart(sid));
    const bodies = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0 ? claudeCodeSync.toolUse(sid, `toolu_${i}`, "Read", { file_path: `f${i}.ts` }, `content ${i}`) : claudeCodeSync.assistantText(sid, `u-${i}`, `text ${i}`),
    );
    const answers = await Promise.all(bodies.map((b) => call("/sync/message", { method: "POST", key, json: b })));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const s = await readSession(key, WS, sid);
    expect(s.messageCount).toBe(45); // 15 calls + 15 results + 15 texts
    for (let i = 0; i < 30; i += 2) {
      const callAt = s.messages.findIndex((m) => m.externalId === `toolu_${i}`);
      expect(s.messages[callAt + 1]).toMatchObject({ role: "tool", toolCallId: `toolu_${i}`, content: `content ${i}` });
    }
  });
});
