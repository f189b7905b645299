import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXPORT_FORMATS, exportFilename, FORMAT_SPECS, type Encoder, type ExportFormat } from "../../src/export/encoders";
import { sessionText } from "../../src/export/encoders/encoder";
import { formatCost, formatTokens, textBlock } from "../../src/export/encoders/text";
import { deepEvalCaseTexts } from "../../src/export/encoders/deepeval";
import { toJson } from "../../src/export/json";
import type { ExportSession } from "../../src/export/model";
import { buildTurns } from "../../src/export/turns";
import { deepEvalCase, fineTuningLine } from "./consumer-schemas";
import { asst, call, session, sys, tool, UNICODE, user } from "./fixtures";

/** Runs an encoder the way the stream does: begin, one session at a time, end. */
function run(format: ExportFormat, sessions: ExportSession[]): string {
  const encoder: Encoder = FORMAT_SPECS[format].createEncoder();
  return encoder.begin() + sessions.map((s) => sessionText(encoder, s)).join("") + encoder.end();
}

const readA = call("c1", "read_file", { path: "a.ts" });

/** The expected OpenAI shape of one tool call, spelled out once. */
const fn = (id: string, name: string, args: string) => ({ id, type: "function", function: { name, arguments: args } });

/** Sessions covering the edge cases; every format must stay valid on all of them. */
const edgeSessions: Record<string, ExportSession> = {
  simple: session([user("hi"), asst("hello")]),
  systemPrompt: session([sys("be brief"), user("hi"), asst("hello")]),
  toolOnly: session([user("fix"), asst("", [readA]), tool("c1", "body", "read_file"), asst("done")]),
  consecutiveUsers: session([user("first"), user("second"), asst("reply")]),
  trailingUser: session([user("q1"), asst("r1"), user("q2")], { expectedOutput: "gold" }),
  emptyContent: session([user(""), asst(""), asst("", [call("c1", "ls", {})])]),
  unicode: session([sys(UNICODE), user(UNICODE), asst(UNICODE), tool(null, UNICODE)], { title: UNICODE, evalTags: [UNICODE] }),
  unknownToolCallId: session([user("q"), tool("ghost", "boo"), asst("a", [readA]), tool("nope", "x"), tool("c1", "ok")]),
  noAssistant: session([sys("s"), user("q"), tool("c1", "x")]),
  stringArguments: session([
    user("q"),
    asst("", [call("c1", "edit", '{ "path": "a.ts" }'), call("c2", "edit", { path: "b.ts" })]),
    tool("c1", "1"),
    tool("c2", "2"),
  ]),
  invalidArguments: session([
    user("q"),
    asst("", [call("c1", "edit", '{"path": '), call(null, "ls", "[1,2]")]),
    tool("c1", "err"),
    asst("sorry"),
  ]),
  empty: session([]),
};
const all = Object.values(edgeSessions);

function lines(body: string): string[] {
  expect(body === "" || body.endsWith("\n")).toBe(true);
  return body === "" ? [] : body.slice(0, -1).split("\n");
}

describe("deepeval", () => {
  it("writes each case byte for byte as JSON-encoding the turn builder's object would, context spliced once per session", () => {
    const multiTurn = session([sys("s"), user("q1"), asst("a1", [readA]), tool("c1", UNICODE), user("q2"), asst("a2"), user("q3"), asst("a3")], {
      expectedOutput: "gold",
    });
    for (const s of [...all, multiTurn]) {
      expect(deepEvalCaseTexts(s)).toEqual(buildTurns(s).map((c) => toJson(c)));
    }
    expect(deepEvalCaseTexts(multiTurn)).toHaveLength(3);
  });

  it('is "[]" when nothing matched', () => {
    expect(run("deepeval", [])).toBe("[]");
  });

  it('is "[]" when no session emits an object', () => {
    expect(run("deepeval", [edgeSessions.noAssistant!, edgeSessions.empty!])).toBe("[]");
  });

  it("places commas right when sessions that emit nothing sit between others", () => {
    const { noAssistant, simple, empty, trailingUser } = edgeSessions;
    const body = run("deepeval", [noAssistant!, simple!, empty!, trailingUser!, noAssistant!]);
    const parsed = z.array(deepEvalCase).parse(JSON.parse(body));
    expect(parsed.map((c) => c.input)).toEqual(["hi", "q1"]);
    expect(body).toMatch(/^\[\n\{.*\},\n\{.*\}\n\]$/s);
  });

  it.each(Object.entries(edgeSessions))("%s: every object has DeepEval's loader types", (_name, s) => {
    const parsed = z.array(deepEvalCase).parse(JSON.parse(run("deepeval", [s])));
    parsed.forEach((c, i) => expect(c.additional_metadata.turn).toBe(i + 1));
  });

  it("keeps expected_output on the last emitted object of each session", () => {
    const two = session([user("a"), asst("b"), user("c"), asst("d")], { expectedOutput: "x" });
    const parsed = z.array(deepEvalCase).parse(JSON.parse(run("deepeval", [edgeSessions.trailingUser!, two])));
    expect(parsed.map((c) => c.expected_output)).toEqual(["gold", null, "x"]);
  });

  it("never exports tool-call ids or message reasoning", () => {
    const body = run("deepeval", all);
    expect(body).not.toMatch(/"(id|reasoning|tool_call_id)":/);
  });

  it("round-trips unicode, escaping line separators", () => {
    const body = run("deepeval", [edgeSessions.unicode!]);
    expect(body).not.toMatch(/[\u0000\u0085\u2028\u2029]/);
    const [c] = z.array(deepEvalCase).parse(JSON.parse(body));
    expect(c?.input).toBe(UNICODE);
    expect(c?.context).toEqual([`system: ${UNICODE}`]);
  });
});

describe("deepeval-jsonl", () => {
  it("is empty when nothing matched", () => {
    expect(run("deepeval-jsonl", [])).toBe("");
    expect(run("deepeval-jsonl", [edgeSessions.noAssistant!])).toBe("");
  });

  it("holds the same objects as the array, one per line", () => {
    const body = run("deepeval-jsonl", all);
    const fromLines = lines(body).map((l) => deepEvalCase.parse(JSON.parse(l)));
    expect(fromLines).toEqual(JSON.parse(run("deepeval", all)));
    expect(fromLines).toHaveLength(10);
  });
});

describe("openai", () => {
  it.each(Object.entries(edgeSessions))("%s: is a valid fine-tuning line, or no line", (name, s) => {
    const out = lines(run("openai", [s]));
    const hasAssistant = s.messages.some((m) => m.role === "assistant");
    expect(out.length).toBe(hasAssistant ? 1 : 0);
    for (const l of out) {
      const result = fineTuningLine.safeParse(JSON.parse(l));
      expect(result.error?.issues ?? [], name).toEqual([]);
    }
  });

  const want: { name: string; s: ExportSession; messages: unknown[] }[] = [
    {
      name: "system, user, consecutive assistants stay separate",
      s: session([sys("be brief"), user("hi"), asst("one"), asst("two")]),
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
        { role: "assistant", content: "one" },
        { role: "assistant", content: "two" },
      ],
    },
    {
      name: "tool-only assistant has null content; tool name and toolName are not exported",
      s: edgeSessions.toolOnly!,
      messages: [
        { role: "user", content: "fix" },
        { role: "assistant", content: null, tool_calls: [fn("c1", "read_file", '{"path":"a.ts"}')] },
        { role: "tool", tool_call_id: "c1", content: "body" },
        { role: "assistant", content: "done" },
      ],
    },
    {
      name: "JSON-string arguments kept byte for byte, objects serialised",
      s: edgeSessions.stringArguments!,
      messages: [
        { role: "user", content: "q" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            fn("c1", "edit", '{ "path": "a.ts" }'),
            fn("c2", "edit", '{"path":"b.ts"}'),
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "1" },
        { role: "tool", tool_call_id: "c2", content: "2" },
      ],
    },
    {
      name: "invalid arguments become a JSON string; a call without id gets a generated one",
      s: edgeSessions.invalidArguments!,
      messages: [
        { role: "user", content: "q" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            fn("c1", "edit", '"{\\"path\\": "'),
            fn("call_1_1", "ls", "[1,2]"),
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "err" },
        { role: "assistant", content: "sorry" },
      ],
    },
    {
      name: "tool messages answering no earlier call are left out; unanswered calls kept",
      s: session([
        user("q"),
        tool("c2", "early"),
        asst("a", [call("c2", "x", {}), call("c3", "y", {})]),
        tool("nope", "x"),
        tool(null, "y"),
        tool("c2", "ok"),
      ]),
      messages: [
        { role: "user", content: "q" },
        {
          role: "assistant",
          content: "a",
          tool_calls: [
            fn("c2", "x", "{}"),
            fn("c3", "y", "{}"),
          ],
        },
        { role: "tool", tool_call_id: "c2", content: "ok" },
      ],
    },
    {
      name: "generated ids never collide with ids in the session",
      s: session([user("q"), asst("", [call(null, "a", {})]), tool("call_1_0", "orphan"), asst("", [call("call_1_0_1", "b", {})])]),
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: null, tool_calls: [fn("call_1_0_2", "a", "{}")] },
        { role: "assistant", content: null, tool_calls: [fn("call_1_0_1", "b", "{}")] },
      ],
    },
    {
      name: "empty contents stay strings unless the assistant only calls tools",
      s: edgeSessions.emptyContent!,
      messages: [
        { role: "user", content: "" },
        { role: "assistant", content: "" },
        { role: "assistant", content: null, tool_calls: [fn("c1", "ls", "{}")] },
      ],
    },
  ];

  it.each(want)("$name", ({ s, messages }) => {
    const body = run("openai", [s]);
    expect(lines(body)).toHaveLength(1);
    expect(JSON.parse(body)).toStrictEqual({ messages });
  });

  it("writes one line per session with an assistant message, in order", () => {
    const body = run("openai", [edgeSessions.noAssistant!, edgeSessions.simple!, edgeSessions.empty!, edgeSessions.systemPrompt!]);
    expect(lines(body).map((l) => (JSON.parse(l) as { messages: unknown[] }).messages.length)).toEqual([2, 3]);
  });

  it("round-trips unicode on a single line", () => {
    const out = lines(run("openai", [edgeSessions.unicode!]));
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? "")).toEqual({
      messages: [
        { role: "system", content: UNICODE },
        { role: "user", content: UNICODE },
        { role: "assistant", content: UNICODE },
      ],
    });
  });
});

describe("text", () => {
  const example = session(
    [user("I'm seeing a redirect loop when I try to log in..."), asst("The issue is in your AuthProvider component...")],
    {
      title: "Fix the login redirect bug",
      totalTokens: 4521,
      cost: 0.08,
      model: "claude-sonnet-4-20250514",
      evalStatus: "golden",
      evalTags: ["debugging", "auth"],
    },
  );

  it("matches the API.md example line by line", () => {
    expect(run("text", [example]).split("\n")).toEqual([
      "## Session: Fix the login redirect bug",
      "",
      "**User:** I'm seeing a redirect loop when I try to log in...",
      "",
      "**Assistant:** The issue is in your AuthProvider component...",
      "",
      "---",
      "Tokens: 4,521 | Cost: $0.08 | Model: claude-sonnet-4-20250514",
      "Status: golden | Tags: debugging, auth",
      "",
    ]);
  });

  it("separates sessions by one blank line", () => {
    const one = textBlock(example);
    expect(run("text", [example, example])).toBe(`${one}\n${one}`);
    expect(run("text", [])).toBe("");
  });

  it("lays out system, tool calls and tool results as paragraphs", () => {
    const s = session(
      [
        sys("be brief"),
        user("fix"),
        asst("", [readA, call("c2", "grep", '{"q": "x"}')]),
        tool("c1", "body"),
        tool("c2", "match", "search"),
        tool("zz", "?"),
        asst("done", [call("c3", "edit", "{bad")]),
      ],
      { title: null, totalTokens: null, cost: null, model: null, evalStatus: "needs_review", evalTags: [] },
    );
    expect(run("text", [s]).split("\n")).toEqual([
      "## Session: Untitled",
      "",
      "**System:** be brief",
      "",
      "**User:** fix",
      "",
      '**Tool call:** read_file({"path":"a.ts"})',
      "",
      '**Tool call:** grep({"q":"x"})',
      "",
      "**Tool (read_file):** body",
      "",
      "**Tool (search):** match",
      "",
      "**Tool (tool):** ?",
      "",
      "**Assistant:** done",
      "",
      '**Tool call:** edit("{bad")',
      "",
      "---",
      "Tokens: 0 | Cost: $0.00 | Model: unknown",
      "Status: needs_review",
      "",
    ]);
  });

  it.each([
    { name: "multi-line title", title: "a\nb\r\n c", heading: "## Session: a b c" },
    { name: "blank title", title: "  ", heading: "## Session: Untitled" },
    { name: "unicode title", title: UNICODE, heading: `## Session: ${UNICODE}` },
  ])("heading: $name", ({ title, heading }) => {
    expect(textBlock(session([], { title })).split("\n")[0]).toBe(heading);
  });

  it.each([
    { tokens: 0, want: "0" },
    { tokens: 999, want: "999" },
    { tokens: 1000, want: "1,000" },
    { tokens: 1234567, want: "1,234,567" },
    { tokens: null, want: "0" },
  ])("tokens $tokens → $want", ({ tokens, want }) => {
    expect(formatTokens(tokens)).toBe(want);
  });

  it.each([
    { cost: 0.08, want: "0.08" },
    { cost: 12.3, want: "12.30" },
    { cost: 0, want: "0.00" },
    { cost: null, want: "0.00" },
  ])("cost $cost → $want", ({ cost, want }) => {
    expect(formatCost(cost)).toBe(want);
  });

  it("keeps unicode and NUL as they are", () => {
    const body = run("text", [edgeSessions.unicode!]);
    expect(body).toContain(`**User:** ${UNICODE}\n`);
    expect(body).toContain(`**Tool (tool):** ${UNICODE}\n`);
    expect(body).toContain(`Tags: ${UNICODE}\n`);
  });
});

describe("format table", () => {
  it.each([
    { format: "deepeval", type: "application/json", ext: "json" },
    { format: "deepeval-jsonl", type: "application/x-ndjson", ext: "jsonl" },
    { format: "deepeval-conversational", type: "application/json", ext: "json" },
    { format: "openai", type: "application/x-ndjson", ext: "jsonl" },
    { format: "promptfoo", type: "application/x-ndjson", ext: "jsonl" },
    { format: "text", type: "text/plain; charset=utf-8", ext: "txt" },
  ] as const)("$format", ({ format, type, ext }) => {
    expect(FORMAT_SPECS[format].contentType).toBe(type);
    expect(FORMAT_SPECS[format].extension).toBe(ext);
    expect(exportFilename(format, new Date(Date.UTC(2025, 10, 26, 23, 59)))).toBe(`evalport-${format}-2025-11-26.${ext}`);
  });

  it("lists the formats with deepeval first (the default)", () => {
    expect(EXPORT_FORMATS).toEqual(["deepeval", "deepeval-jsonl", "deepeval-conversational", "openai", "promptfoo", "text"]);
  });

  it("gives every export its own encoder state", () => {
    const a = FORMAT_SPECS.deepeval.createEncoder();
    const b = FORMAT_SPECS.deepeval.createEncoder();
    a.begin();
    sessionText(a, edgeSessions.simple!);
    b.begin();
    expect(sessionText(b, edgeSessions.simple!).startsWith("\n{")).toBe(true);
    expect(b.end()).toBe("\n]");
    expect(a.end()).toBe("\n]");
  });
});
