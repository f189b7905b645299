import { describe, expect, it } from "vitest";
import { parseOpenCode, parseTranscript } from "../../src/importers";
import type { ImportedSession } from "../../src/importers/types";
import { LIMITS, utf8Length } from "../../src/lib/limits";
import { sessionInputSchema } from "../../src/sessions/schemas";
import { claudeTranscript } from "./fixtures/claude-code";
import { OC_CHILD, OC_SESSION, opencodeChild, opencodeDocument } from "./fixtures/opencode";

const parse = (doc: unknown) => parseTranscript("opencode", JSON.stringify(doc));
const only = (sessions: ImportedSession[]) => {
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
};
type Doc = ReturnType<typeof opencodeDocument>;
const assistantParts = (doc: Doc) => doc.messages[1]!.parts as Record<string, unknown>[];

describe("OpenCode parser — parts", () => {
  it("maps user text and file parts, one assistant message per step, each tool's output or error as a tool message", () => {
    const { sessions, report } = parse(opencodeDocument());
    const s = only(sessions);
    expect(sessionInputSchema.safeParse(s).success).toBe(true);
    expect(s.messages!.map((m) => [m.role, m.externalId])).toEqual([
      ["user", "msg_u1"],
      ["assistant", "msg_a1"], // step 1
      ["tool", "prt_tool1"],
      ["assistant", "prt_s2"], // step 2 (its step-start part's id)
      ["tool", "prt_tool2"],
    ]);
    const [user, step1, read, step2, edit] = s.messages!;
    // A file part is a short placeholder, never its data: URL.
    expect(user!.content).toBe("Add a dark mode toggle — 🌙\n\n[file: mock.png, image/png]");
    expect(JSON.stringify(s)).not.toContain("base64,AAAA");
    expect(step1).toMatchObject({
      content: "Looking for the theme.",
      reasoning: "Need to find the theme file.",
      model: "claude-sonnet-4-5",
      toolCalls: [{ id: "toolu_oc1", name: "read", arguments: { filePath: "/home/me/site/theme.css" } }],
    });
    expect(read).toMatchObject({ toolCallId: "toolu_oc1", toolName: "read", content: ":root { --bg: #fff }", createdAt: 1767600003500 });
    expect(step2).toMatchObject({ content: "Added the toggle.", toolCalls: [{ id: "toolu_oc2", name: "edit", arguments: { filePath: "/home/me/site/theme.css" } }] });
    expect(edit).toMatchObject({ toolCallId: "toolu_oc2", toolName: "edit", content: "[error] File was modified since it was read" });
    expect(report.skipped).toEqual({ "part:step-finish": 2, "part:patch": 1, "part:snapshot": 1 });
    expect(report.messages).toBe(5);
  });

  it("keeps tokens and cost per message, counted once, on the message's last step", () => {
    const s = only(parse(opencodeDocument()).sessions);
    // input 1200, output 300 + reasoning 20; cache reads and writes apart; the step-finish figures are not added again.
    expect(s).toMatchObject({ promptTokens: 1200, completionTokens: 320, cacheReadTokens: 5000, cacheWriteTokens: 400, cost: 0.0123 });
    expect(s.messages![1]!.promptTokens).toBeUndefined();
    expect(s.messages![3]).toMatchObject({ promptTokens: 1200, completionTokens: 320 });
  });

  it("keeps session fields: title, directory, provider, model, timestamps", () => {
    const s = only(parse(opencodeDocument()).sessions);
    expect(s).toMatchObject({
      externalId: OC_SESSION,
      source: "opencode",
      provider: "anthropic",
      title: "Add dark mode",
      projectPath: "/home/me/site",
      projectName: "site",
      parentExternalId: null,
      model: "claude-sonnet-4-5",
      createdAt: 1767600000000,
      durationMs: 60_000,
    });
  });

  it("replaces OpenCode's placeholder title with the first prompt", () => {
    const s = only(parse(opencodeDocument({ title: "New session - 2026-01-05T08:00:00.000Z" })).sessions);
    expect(s.title).toBe("Add a dark mode toggle — 🌙 [file: mock.png, image/png]");
  });

  it("makes a child session its own session with parentExternalId", () => {
    const s = only(parse(opencodeChild()).sessions);
    expect(s).toMatchObject({ externalId: OC_CHILD, parentExternalId: OC_SESSION, model: "claude-haiku-4-5", cost: 0.001 });
    expect(s.messages!.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("answers a tool still running or pending with its state, never an empty pairing", () => {
    const doc = opencodeDocument();
    assistantParts(doc).splice(4, 0, { id: "prt_tool0", type: "tool", callID: "toolu_oc0", tool: "bash", state: { status: "running", input: { command: "ls" }, time: { start: 1 } } });
    const m = only(parse(doc).sessions).messages!;
    expect(m[1]!.toolCalls!.map((c) => c.id)).toEqual(["toolu_oc1", "toolu_oc0"]);
    expect(m.filter((x) => x.role === "tool").map((x) => [x.toolCallId, x.content])).toEqual([
      ["toolu_oc1", ":root { --bg: #fff }"],
      ["toolu_oc0", "[running]"],
      ["toolu_oc2", "[error] File was modified since it was read"],
    ]);
  });
});

describe("OpenCode parser — damaged, grown and huge documents", () => {
  it("refuses what is not an OpenCode session document, naming line 1", () => {
    expect(parseTranscript("opencode", "not json").report.firstBad).toEqual({ line: 1, message: "not a JSON object" });
    expect(parseTranscript("opencode", claudeTranscript()).report.firstBad?.line).toBe(1);
    expect(parseOpenCode({ info: { title: "x" }, messages: [] }).report.firstBad).toEqual({ line: 1, message: "not an OpenCode session: no info.id" });
    expect(parseOpenCode({ info: { id: "ses_1" } }).report.firstBad).toEqual({ line: 1, message: "not an OpenCode session: no messages array" });
    const empty = parseOpenCode({ info: { id: "ses_1" }, messages: [] });
    expect(empty.report.messages).toBe(0);
  });

  it("skips a malformed message entry and counts it", () => {
    const doc = opencodeDocument() as { messages: unknown[] };
    doc.messages.splice(1, 0, { parts: [] }, "garbage");
    const { sessions, report } = parse(doc);
    expect(report.skipped.malformed).toBe(2);
    expect(only(sessions).messages).toHaveLength(5);
  });

  it("gives a grown document the same ids for what it had, so a re-import only appends", () => {
    const early = only(parse(opencodeDocument()).sessions);
    const grown = opencodeDocument();
    grown.messages.push(
      { info: { id: "msg_u2", sessionID: OC_SESSION, role: "user", time: { created: 1767600070000 } }, parts: [{ id: "prt_u2", type: "text", text: "Thanks — どうも" }] } as never,
    );
    const full = only(parse(grown).sessions);
    const ids = early.messages!.map((m) => m.externalId);
    expect(full.messages!.slice(0, ids.length).map((m) => m.externalId)).toEqual(ids);
    expect(full.messages!.at(-1)).toMatchObject({ externalId: "msg_u2", role: "user", content: "Thanks — どうも" });
  });

  it("cuts a huge tool output to fit 1 MiB, ending with how much was cut, and counts it", () => {
    const huge = "ü".repeat(700_000); // 1.4 MB of UTF-8
    const doc = opencodeDocument();
    ((assistantParts(doc)[3]!.state as Record<string, unknown>).output = huge);
    const { sessions, report } = parse(doc);
    const tool = only(sessions).messages![2]!;
    expect(report.truncated).toBe(1);
    expect(utf8Length(tool.content)).toBeLessThanOrEqual(LIMITS.messageContentBytes);
    const m = /…\[truncated (\d+) bytes\]$/.exec(tool.content)!;
    expect(m).not.toBeNull();
    expect(utf8Length(tool.content.slice(0, m.index)) + Number(m[1])).toBe(utf8Length(huge));
    expect(sessionInputSchema.safeParse(only(sessions)).success).toBe(true);
  });
});
