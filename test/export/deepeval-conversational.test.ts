/**
 * The `deepeval-conversational` encoder on its own (API.md "deepeval-conversational"), checked against DeepEval's
 * loader as read in confident-ai/deepeval at a2e0d4cfd3118352d321c1c84bdeba17d4a201bc (2026-08-22):
 * - deepeval/dataset/dataset.py `add_goldens_from_json_file`: `json.load` of the file, then per object: a
 *   `ConversationalGolden` when `scenario` is present and truthy (else the object is read as a single-turn
 *   `Golden`), from the keys `scenario`, `turns` (through `parse_turns`), `expected_outcome`, `context`,
 *   `comments`, `name`, `additional_metadata` (and `user_description`, `persona`, `custom_column_key_values`,
 *   which we do not write).
 * - deepeval/dataset/utils.py `parse_turns`: a list of dicts, each with a string `role` and a string `content`,
 *   then `Turn.model_validate`.
 * - deepeval/dataset/golden.py `ConversationalGolden`: `scenario: str` (required); `expected_outcome`,
 *   `comments`, `name`: Optional[str]; `context`: Optional[List[str]]; `additional_metadata`: Optional[Dict].
 * - deepeval/test_case/conversational_test_case.py `Turn`: `role: Literal["user", "assistant"]`, `content: str`,
 *   `tools_called: Optional[List[ToolCall]]` (alias `toolsCalled`); `ConversationalTestCase` refuses empty
 *   `turns` ("'turns' must not be empty") and wants `context` None or a list of strings.
 * - deepeval/test_case/llm_test_case.py `ToolCall`: `name: str`, `input_parameters: Optional[Dict[str, Any]]`
 *   (alias `inputParameters`), `output: Optional[Any]`.
 * The schemas below say the same in zod, strict where our rows must carry exactly the contract's keys.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FORMAT_SPECS } from "../../src/export/encoders";
import { conversationalGolden, deepEvalConversationalEncoder, type ConversationalGolden } from "../../src/export/encoders/deepeval-conversational";
import { sessionText } from "../../src/export/encoders/encoder";
import type { ExportSession } from "../../src/export/model";
import { asst, call, session, sys, tool, UNICODE, user } from "./fixtures";

const toolCall = z.strictObject({
  name: z.string(),
  input_parameters: z.record(z.string(), z.unknown()).nullable(),
  output: z.unknown(),
});
const turn = z.discriminatedUnion("role", [
  z.strictObject({ role: z.literal("user"), content: z.string() }),
  z.strictObject({ role: z.literal("assistant"), content: z.string(), tools_called: z.array(toolCall).min(1).optional() }),
]);
/** A row `add_goldens_from_json_file` reads as a ConversationalGolden, which converts to a ConversationalTestCase. */
const conversationalRow = z.strictObject({
  scenario: z.string().min(1),
  expected_outcome: z.string().nullable(),
  context: z.array(z.string()),
  name: z.string(),
  comments: z.string().nullable(),
  additional_metadata: z.strictObject({
    session_id: z.string(),
    external_id: z.string(),
    model: z.string().nullable(),
    source: z.string().nullable(),
    eval_status: z.enum(["golden", "correct", "incorrect", "needs_review"]),
    eval_tags: z.array(z.string()),
    git_branch: z.string().nullable(),
    git_commit: z.string().nullable(),
    git_remote: z.string().nullable(),
    parent_external_id: z.string().nullable(),
    split: z.enum(["train", "test"]).optional(),
  }),
  turns: z.array(turn).min(1),
});

function run(sessions: ExportSession[]): string {
  const encoder = deepEvalConversationalEncoder();
  return encoder.begin() + sessions.map((s) => sessionText(encoder, s)).join("") + encoder.end();
}
const rows = (sessions: ExportSession[]) => JSON.parse(run(sessions)) as ConversationalGolden[];
const turnsOf = (s: ExportSession) => conversationalGolden(s)!.turns;

const readA = call("c1", "read_file", { path: "a.ts" });

describe("deepeval-conversational rows", () => {
  it("writes the contract's example row, keys in its order", () => {
    const s = session(
      [sys("You are a coding assistant."), user("Fix the redirect"), asst("Looking", [readA]), tool("c1", "export {}", "read_file"), asst("Fixed.")],
      {
        title: "Fix the login redirect bug",
        expectedOutput: "The redirect is fixed",
        evalNotes: "good",
        gitBranch: "main",
        gitCommit: "3f2a9c1e",
        gitRemote: "github.com/acme/app",
      },
    );
    const [row] = rows([s]);
    expect(Object.keys(row!)).toEqual(["scenario", "expected_outcome", "context", "name", "comments", "additional_metadata", "turns"]);
    expect(row).toEqual({
      scenario: "Fix the login redirect bug",
      expected_outcome: "The redirect is fixed",
      context: ["system: You are a coding assistant."],
      name: "ses_1",
      comments: "good",
      additional_metadata: {
        session_id: "ses_1",
        external_id: "ext-1",
        model: "claude-sonnet-4-20250514",
        source: "claude-code",
        eval_status: "golden",
        eval_tags: ["auth"],
        git_branch: "main",
        git_commit: "3f2a9c1e",
        git_remote: "github.com/acme/app",
        parent_external_id: null,
      },
      turns: [
        { role: "user", content: "Fix the redirect" },
        { role: "assistant", content: "Looking\n\nFixed.", tools_called: [{ name: "read_file", input_parameters: { path: "a.ts" }, output: "export {}" }] },
      ],
    });
    expect(conversationalRow.safeParse(row).success).toBe(true);
  });

  it("has user and assistant turns only: system prompts go to context, tool results into the call they answer", () => {
    const s = session([
      sys("first"),
      user("q1"),
      asst("", [call("a", "ls", {}), call("b", "cat", '{"f":"x"}')]),
      tool("b", "x body"),
      tool("a", "listing"),
      sys("mid-conversation note"),
      tool("ghost", "answers nothing"),
      asst("done"),
      user("q2"),
      asst("ok", [call("c", "rm", "not json")]),
    ]);
    expect(conversationalGolden(s)!.context).toEqual(["system: first", "system: mid-conversation note"]);
    expect(turnsOf(s)).toEqual([
      { role: "user", content: "q1" },
      {
        role: "assistant",
        content: "done",
        tools_called: [
          { name: "ls", input_parameters: {}, output: "listing" },
          { name: "cat", input_parameters: { f: "x" }, output: "x body" },
        ],
      },
      { role: "user", content: "q2" },
      // Unanswered call: output null; arguments that are not a JSON object stay a dict for DeepEval.
      { role: "assistant", content: "ok", tools_called: [{ name: "rm", input_parameters: { _raw: "not json" }, output: null }] },
    ]);
    expect(turnsOf(s).every((t) => t.role === "user" || t.role === "assistant")).toBe(true);
  });

  it("answers calls that share an id in order, and leaves tools_called off turns that called nothing", () => {
    const s = session([user("q"), asst("a", [call("x", "f", {}), call("x", "g", {})]), tool("x", "1"), tool("x", "2"), tool("x", "3")]);
    expect(turnsOf(s)).toEqual([
      { role: "user", content: "q" },
      { role: "assistant", content: "a", tools_called: [{ name: "f", input_parameters: {}, output: "1" }, { name: "g", input_parameters: {}, output: "2" }] },
    ]);
    const plain = turnsOf(session([user("q"), asst("a")]));
    expect("tools_called" in plain[1]!).toBe(false);
  });

  it("keeps consecutive user messages as turns of their own, joins consecutive assistant messages, skips blank ones", () => {
    const s = session([user("one"), user("two"), asst("a"), asst("  \n"), asst("b"), user("three"), asst("", [readA])]);
    expect(turnsOf(s)).toEqual([
      { role: "user", content: "one" },
      { role: "user", content: "two" },
      { role: "assistant", content: "a\n\nb" },
      { role: "user", content: "three" },
      // An assistant that only called a tool is a turn with empty content.
      { role: "assistant", content: "", tools_called: [{ name: "read_file", input_parameters: { path: "a.ts" }, output: null }] },
    ]);
  });

  it("opens with an assistant turn when the assistant spoke before any user", () => {
    expect(turnsOf(session([sys("s"), asst("Hello, how can I help?"), user("q"), asst("a")])).map((t) => t.role)).toEqual([
      "assistant",
      "user",
      "assistant",
    ]);
  });

  it("takes the scenario from the title, else the first user message's first 200 code points, else the id", () => {
    const long = `${"👩‍💻x".repeat(100)}tail`; // 300 code points: the ZWJ sequence is 3 of them
    expect(conversationalGolden(session([user("q"), asst("a")], { title: "T" }))!.scenario).toBe("T");
    expect(conversationalGolden(session([user("  "), user(long), asst("a")], { title: "  " }))!.scenario).toBe(
      Array.from(long).slice(0, 200).join(""),
    );
    expect(conversationalGolden(session([user(long), asst("a")], { title: null }))!.scenario).not.toMatch(/[\ud800-\udbff]$/);
    expect(conversationalGolden(session([asst("a")], { title: null, id: "ses_7" }))!.scenario).toBe("Session ses_7");
  });

  it("writes no row for a session without an assistant message, or without any turn", () => {
    expect(conversationalGolden(session([sys("s"), user("q"), tool("c1", "x")]))).toBeNull();
    expect(conversationalGolden(session([]))).toBeNull();
    // Assistant messages that say nothing and call nothing, and no user: DeepEval refuses empty turns.
    expect(conversationalGolden(session([sys("s"), asst(""), asst(" ")]))).toBeNull();
    expect(run([session([sys("s"), asst("")])])).toBe("[]");
  });

  it("carries expected output, notes, git context, parent and split; nulls where unknown", () => {
    const s = session([user("q"), asst("a")], {
      expectedOutput: null,
      evalNotes: null,
      model: null,
      source: null,
      parentExternalId: "parent-1",
      split: "train",
      evalStatus: "needs_review",
      evalTags: [],
    });
    const g = conversationalGolden(s)!;
    expect(g.expected_outcome).toBeNull();
    expect(g.comments).toBeNull();
    expect(g.context).toEqual([]);
    expect(g.additional_metadata).toMatchObject({ model: null, source: null, parent_external_id: "parent-1", split: "train", eval_status: "needs_review", eval_tags: [] });
    expect("split" in conversationalGolden(session([user("q"), asst("a")]))!.additional_metadata).toBe(false);
  });
});

describe("deepeval-conversational file", () => {
  it('is "[]" when nothing matched, and one row per line with commas right around sessions that yield none', () => {
    expect(run([])).toBe("[]");
    const a = session([user("a"), asst("1")], { id: "ses_a" });
    const none = session([user("x")], { id: "ses_n" });
    const b = session([user("b"), asst("2")], { id: "ses_b" });
    const body = run([none, a, none, none, b, none]);
    expect(body.startsWith("[\n{")).toBe(true);
    expect(body.endsWith("}\n]")).toBe(true);
    expect(body.split("\n").length).toBe(4);
    expect((JSON.parse(body) as ConversationalGolden[]).map((g) => g.name)).toEqual(["ses_a", "ses_b"]);
  });

  it("writes each row as JSON-encoding conversationalGolden's object would", () => {
    const sessions = [
      session([sys("s"), user("q"), asst("r", [readA]), tool("c1", "o")], { expectedOutput: "e", evalNotes: "n", split: "test" }),
      session([user(UNICODE), asst(UNICODE)], { title: UNICODE, evalTags: [UNICODE] }),
    ];
    expect(rows(sessions)).toEqual(sessions.map((s) => conversationalGolden(s)));
    const table = FORMAT_SPECS["deepeval-conversational"].createEncoder();
    expect(table.begin() + sessions.map((s) => sessionText(table, s)).join("") + table.end()).toBe(run(sessions));
    // Unicode (with U+2028/2029 escaped) round-trips.
    expect(rows(sessions)[1]!.turns[0]!.content).toBe(UNICODE);
  });

  it("holds only rows DeepEval's loader reads as ConversationalGoldens that convert to ConversationalTestCases", () => {
    const sessions = [
      session([user("hi"), asst("hello")]),
      session([sys("be brief"), user("hi"), asst("hello")], { title: null }),
      session([user("fix"), asst("", [readA]), tool("c1", "body", "read_file"), asst("done")]),
      session([user("first"), user("second"), asst("reply")]),
      session([user("q1"), asst("r1"), user("q2")], { expectedOutput: "gold" }),
      session([user(""), asst(""), asst("", [call("c1", "ls", {})])], { title: "" }),
      session([sys(UNICODE), user(UNICODE), asst(UNICODE), tool(null, UNICODE)], { title: UNICODE }),
      session([user("q"), tool("ghost", "boo"), asst("a", [readA]), tool("nope", "x"), tool("c1", "ok")]),
      session([user("q"), asst("", [call("c1", "edit", '{"path": '), call(null, "ls", "[1,2]")]), tool("c1", "err"), asst("sorry")]),
      session([asst("opening"), user("q"), asst("a")], { title: null }),
      session([sys("s"), user("q"), tool("c1", "x")]),
      session([]),
    ];
    const parsed = rows(sessions);
    expect(parsed.length).toBe(sessions.length - 2);
    for (const row of parsed) {
      const check = conversationalRow.safeParse(row);
      expect(check.success, JSON.stringify(check.error?.issues)).toBe(true);
    }
  });
});
