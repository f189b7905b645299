import { describe, expect, it } from "vitest";
import type { ExportMessage } from "../../src/export/model";
import { buildTurns, contextLine, type DeepEvalToolCall } from "../../src/export/turns";
import { asst, call, session, sys, tool, UNICODE, user } from "./fixtures";

interface Want {
  input: string;
  actual_output: string;
  context: string[];
  tools_called?: DeepEvalToolCall[];
}

const readA = call("c1", "read_file", { path: "a.ts" });

const cases: { name: string; messages: ExportMessage[]; want: Want[] }[] = [
  { name: "one exchange", messages: [user("hi"), asst("hello")], want: [{ input: "hi", actual_output: "hello", context: [] }] },
  {
    name: "system prompt becomes the first context line",
    messages: [sys("be brief"), user("hi"), asst("hello")],
    want: [{ input: "hi", actual_output: "hello", context: ["system: be brief"] }],
  },
  {
    name: "assistant texts until the next user joined by a blank line, blank ones skipped",
    messages: [user("q"), asst("one"), asst(""), asst(" \n"), asst("two")],
    want: [{ input: "q", actual_output: "one\n\ntwo", context: [] }],
  },
  {
    name: "tool-only assistant turn adds calls but no text",
    messages: [user("fix it"), asst("", [readA]), tool("c1", "export {}"), asst("done")],
    want: [
      {
        input: "fix it",
        actual_output: "done",
        context: [],
        tools_called: [{ name: "read_file", input_parameters: { path: "a.ts" }, output: "export {}" }],
      },
    ],
  },
  {
    name: "an exchange where the assistant only called tools is still emitted, with empty output",
    messages: [user("run"), asst("\n", [readA]), tool("c1", "ok")],
    want: [
      {
        input: "run",
        actual_output: "",
        context: [],
        tools_called: [{ name: "read_file", input_parameters: { path: "a.ts" }, output: "ok" }],
      },
    ],
  },
  {
    name: "consecutive user messages: the earlier one is context only",
    messages: [user("first"), user("second"), asst("reply")],
    want: [{ input: "second", actual_output: "reply", context: ["user: first"] }],
  },
  {
    name: "trailing user message yields nothing",
    messages: [user("q1"), asst("r1"), user("q2")],
    want: [{ input: "q1", actual_output: "r1", context: [] }],
  },
  { name: "blank assistant message without calls is no reply", messages: [user("q"), asst("")], want: [] },
  { name: "session without assistant", messages: [sys("s"), user("q")], want: [] },
  { name: "no messages", messages: [], want: [] },
  {
    name: "messages before the first user are context only",
    messages: [asst("welcome"), user("q"), asst("a")],
    want: [{ input: "q", actual_output: "a", context: ["assistant: welcome"] }],
  },
  {
    name: "context holds every earlier message, tool calls as compact lines",
    messages: [
      sys("sys"),
      user("q1"),
      asst("let me look", [call("c1", "read_file", '{ "path": "a.ts" }'), call("c2", "grep", { q: "x", n: 2 })]),
      tool("c1", "content", "read_file"),
      asst("r1"),
      user("q2"),
      asst("r2"),
    ],
    want: [
      {
        input: "q1",
        actual_output: "let me look\n\nr1",
        context: ["system: sys"],
        tools_called: [
          { name: "read_file", input_parameters: { path: "a.ts" }, output: "content" },
          { name: "grep", input_parameters: { q: "x", n: 2 }, output: null },
        ],
      },
      {
        input: "q2",
        actual_output: "r2",
        context: [
          "system: sys",
          "user: q1",
          'assistant: let me look\nread_file({"path":"a.ts"})\ngrep({"q":"x","n":2})',
          "tool: content",
          "assistant: r1",
        ],
      },
    ],
  },
  {
    name: "invalid JSON string arguments are kept as the string",
    messages: [user("q"), asst("", [call("c1", "edit", '{"path": ')]), user("q2"), asst("ok")],
    want: [
      { input: "q", actual_output: "", context: [], tools_called: [{ name: "edit", input_parameters: { _raw: '{"path": ' }, output: null }] },
      { input: "q2", actual_output: "ok", context: ["user: q", 'assistant: \nedit("{\\"path\\": ")'] },
    ],
  },
  {
    name: "unknown tool_call_id and calls without id stay unanswered",
    messages: [user("q"), asst("", [call(null, "ls", {})]), tool("nope", "x"), tool(null, "y"), asst("a")],
    want: [{ input: "q", actual_output: "a", context: [], tools_called: [{ name: "ls", input_parameters: {}, output: null }] }],
  },
  {
    name: "repeated call ids are answered in order",
    messages: [user("q"), asst("", [call("c", "a", {}), call("c", "b", {})]), tool("c", "1"), tool("c", "2"), tool("c", "3")],
    want: [
      {
        input: "q",
        actual_output: "",
        context: [],
        tools_called: [
          { name: "a", input_parameters: {}, output: "1" },
          { name: "b", input_parameters: {}, output: "2" },
        ],
      },
    ],
  },
  {
    name: "unicode is kept byte for byte",
    messages: [user(UNICODE), asst(UNICODE)],
    want: [{ input: UNICODE, actual_output: UNICODE, context: [] }],
  },
];

describe("buildTurns", () => {
  it.each(cases)("$name", ({ messages, want }) => {
    const got = buildTurns(session(messages));
    expect(got.map(({ input, actual_output, context }) => ({ input, actual_output, context }))).toEqual(
      want.map(({ input, actual_output, context }) => ({ input, actual_output, context })),
    );
    got.forEach((turn, i) => {
      expect(turn.tools_called).toEqual(want[i]?.tools_called ?? []);
      expect(turn.retrieval_context).toEqual([]);
      expect(turn.additional_metadata.turn).toBe(i + 1);
    });
  });

  it("puts expected_output on the last emitted object only", () => {
    const s = session([user("q1"), asst("r1"), user("q2"), asst("r2"), user("q3"), asst("r3"), user("no reply")], {
      expectedOutput: "gold",
    });
    expect(buildTurns(s).map((t) => t.expected_output)).toEqual([null, null, "gold"]);
  });

  it("leaves expected_output null when the session has none", () => {
    expect(buildTurns(session([user("q"), asst("a")])).map((t) => t.expected_output)).toEqual([null]);
  });

  it("fills additional_metadata from the session, with key order as documented", () => {
    const [turn] = buildTurns(
      session([user("q"), asst("a")], {
        id: "ses_9",
        externalId: "claude-9",
        model: null,
        source: "codex",
        evalStatus: "needs_review",
        evalTags: [],
      }),
    );
    expect(Object.keys(turn ?? {})).toEqual([
      "input",
      "actual_output",
      "expected_output",
      "context",
      "retrieval_context",
      "tools_called",
      "additional_metadata",
    ]);
    expect(turn?.additional_metadata).toStrictEqual({
      session_id: "ses_9",
      external_id: "claude-9",
      turn: 1,
      model: null,
      source: "codex",
      eval_status: "needs_review",
      eval_tags: [],
    });
  });

  it("answers a call even when the tool result comes after the next user message", () => {
    const got = buildTurns(session([user("q1"), asst("", [readA]), user("q2"), tool("c1", "late"), asst("a2")]));
    expect(got[0]?.tools_called[0]?.output).toBe("late");
    expect(got[1]?.context).toEqual(["user: q1", 'assistant: \nread_file({"path":"a.ts"})']);
  });
});

describe("contextLine", () => {
  it.each([
    { message: user("hi"), want: "user: hi" },
    { message: tool("c1", "out", "read_file"), want: "tool: out" },
    { message: asst("text", [readA]), want: 'assistant: text\nread_file({"path":"a.ts"})' },
  ])("$want", ({ message, want }) => {
    expect(contextLine(message)).toBe(want);
  });
});
