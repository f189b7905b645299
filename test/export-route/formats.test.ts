import { beforeAll, describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import {
  bodyText,
  CONTENT_TYPES,
  exportCall,
  exportOk,
  EXTENSIONS,
  FORMATS,
  ingestMany,
  jsonLines,
  parseDeepEval,
  parseDeepEvalJsonl,
  parseOpenAi,
  readyBody,
  workspaceKey,
  type DeepEvalCase,
  type Format,
} from "./support";

/**
 * One workspace, read by every test of this file (nothing here writes after beforeAll):
 * - `tools`: the helpers' default session (user → assistant with a read_file call → tool result → assistant), tagged
 * - `multi`: a system prompt and two exchanges, with an expectedOutput
 * - `noReply`: a user message with no assistant: no deepeval object, no openai line, still a text block
 * - `notReady`: eval-ready false: in no export
 * Export order is createdAt ascending, so the expected order is tools, multi, noReply.
 */
let key: string;
const ids: Record<"tools" | "multi" | "noReply" | "notReady", string> = { tools: "", multi: "", noReply: "", notReady: "" };
const T0 = Date.UTC(2025, 10, 26, 9, 0, 0);

const multiMessages = [
  { role: "system", content: "be brief" },
  { role: "user", content: "q1" },
  { role: "assistant", content: "a1" },
  { role: "user", content: "q2" },
  { role: "assistant", content: "" },
  { role: "assistant", content: "a2 part 1" },
  { role: "assistant", content: "a2 part 2" },
];

beforeAll(async () => {
  ({ key } = await workspaceKey("fmt"));
  const [tools, multi, noReply, notReady] = await ingestMany(key, [
    readyBody({ title: "Fix the login redirect bug", createdAt: T0, evalTags: ["debugging", "auth"] }),
    readyBody({
      title: "Multi-turn",
      createdAt: T0 + 1000,
      evalStatus: "correct",
      expectedOutput: "the gold answer",
      model: null,
      promptTokens: null,
      completionTokens: null,
      cost: null,
      messages: multiMessages,
    }),
    readyBody({ title: "Unanswered", createdAt: T0 + 2000, messages: [{ role: "user", content: "anyone?" }] }),
    sessionBody({ title: "Not ready", createdAt: T0 + 500, evalReady: false }),
  ]);
  Object.assign(ids, { tools, multi, noReply, notReady });
});

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

describe("GET /api/export headers", () => {
  it.each(FORMATS)("%s: 200, its content type, an attachment named by format and UTC date, the session count", async (format) => {
    const before = utcDay(new Date());
    const res = await exportCall(key, `format=${format}`);
    const after = utcDay(new Date());
    await bodyText(res);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(CONTENT_TYPES[format]);
    const disposition = res.headers.get("content-disposition");
    expect([before, after].map((day) => `attachment; filename="evalport-${format}-${day}.${EXTENSIONS[format]}"`)).toContain(disposition);
    // Every matched session counts, also those that emit nothing in this format (noReply).
    expect(res.headers.get("x-export-sessions")).toBe("3");
  });

  it("X-Export-Sessions counts after filters and limit", async () => {
    const cases: [string, string][] = [
      ["", "3"],
      ["limit=2", "2"],
      ["limit=1000000", "3"],
      ["status=correct", "1"],
      ["tag=auth", "1"],
      [`after=${ids.tools}`, "2"],
      [`after=${ids.tools}&limit=1`, "1"],
      [`id=${ids.multi}&id=${ids.notReady}`, "1"],
    ];
    for (const [query, count] of cases) {
      const { res } = await exportOk(key, query);
      expect(res.headers.get("x-export-sessions"), query).toBe(count);
    }
  });

  it("defaults to deepeval", async () => {
    const plain = await exportOk(key);
    const explicit = await exportOk(key, "format=deepeval");
    expect(plain.res.headers.get("content-type")).toBe("application/json");
    expect(plain.res.headers.get("content-disposition")).toMatch(/filename="evalport-deepeval-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(plain.body).toBe(explicit.body);
  });

  it("answers the same bytes to the same request", async () => {
    for (const format of FORMATS) {
      expect((await exportOk(key, `format=${format}`)).body).toBe((await exportOk(key, `format=${format}`)).body);
    }
  });
});

describe("deepeval", () => {
  let cases: DeepEvalCase[];
  beforeAll(async () => {
    cases = parseDeepEval((await exportOk(key, "format=deepeval")).body);
  });

  it("is a JSON array of test cases with DeepEval's loader types", () => {
    expect(Array.isArray(cases)).toBe(true);
    for (const c of cases) {
      expect(typeof c.input).toBe("string");
      expect(typeof c.actual_output).toBe("string");
      expect(c.context.every((s) => typeof s === "string")).toBe(true);
      expect(c.retrieval_context.every((s) => typeof s === "string")).toBe(true);
    }
  });

  it("has one object per answered exchange, in export order, none for unready or unanswered sessions", () => {
    expect(cases.map((c) => [c.additional_metadata.session_id, c.additional_metadata.turn])).toEqual([
      [ids.tools, 1],
      [ids.multi, 1],
      [ids.multi, 2],
    ]);
  });

  it("spells out an exchange with its tool calls", () => {
    const c = cases[0]!;
    expect(c).toEqual({
      input: "I'm seeing a redirect loop when I log in.",
      actual_output: "Let me read the provider.\n\nThe issue is in your AuthProvider component.",
      expected_output: null,
      context: [],
      retrieval_context: [],
      tools_called: [{ name: "read_file", input_parameters: { path: "src/auth.tsx" }, output: "export function AuthProvider() {}" }],
      additional_metadata: {
        session_id: ids.tools,
        external_id: expect.any(String),
        turn: 1,
        model: "claude-sonnet-4-20250514",
        source: "claude-code",
        eval_status: "golden",
        eval_tags: ["debugging", "auth"],
      },
    });
  });

  it("gives earlier messages as context and expected_output only on the session's last object", () => {
    const [, first, second] = cases;
    expect(first!.context).toEqual(["system: be brief"]);
    expect(first!.expected_output).toBeNull();
    expect(second!.input).toBe("q2");
    expect(second!.actual_output).toBe("a2 part 1\n\na2 part 2");
    expect(second!.context).toEqual(["system: be brief", "user: q1", "assistant: a1"]);
    expect(second!.expected_output).toBe("the gold answer");
    expect(second!.additional_metadata).toMatchObject({ eval_status: "correct", model: null, eval_tags: [] });
  });

  it("numbers turns per session and sets expected_output on no object but a session's last", () => {
    const bySession = new Map<string, DeepEvalCase[]>();
    for (const c of cases) bySession.set(c.additional_metadata.session_id, [...(bySession.get(c.additional_metadata.session_id) ?? []), c]);
    for (const list of bySession.values()) {
      expect(list.map((c) => c.additional_metadata.turn)).toEqual(list.map((_, i) => i + 1));
      expect(list.slice(0, -1).every((c) => c.expected_output === null)).toBe(true);
    }
    expect(cases.filter((c) => c.expected_output !== null)).toHaveLength(1);
  });

  it("deepeval-jsonl carries the same objects, one per line", async () => {
    const { body } = await exportOk(key, "format=deepeval-jsonl");
    expect(body.split("\n").filter((l) => l !== "")).toHaveLength(3);
    expect(parseDeepEvalJsonl(body)).toEqual(cases);
  });
});

describe("openai", () => {
  it("is one valid fine-tuning line per session with an assistant message, messages in conversation order", async () => {
    const lines = parseOpenAi((await exportOk(key, "format=openai")).body);
    expect(lines).toEqual([
      {
        messages: [
          { role: "user", content: "I'm seeing a redirect loop when I log in." },
          {
            role: "assistant",
            content: "Let me read the provider.",
            tool_calls: [{ id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"src/auth.tsx"}' } }],
          },
          { role: "tool", tool_call_id: "call_1", content: "export function AuthProvider() {}" },
          { role: "assistant", content: "The issue is in your AuthProvider component." },
        ],
      },
      { messages: multiMessages },
    ]);
  });
});

describe("text", () => {
  it("lays sessions out as API.md shows, separated by a blank line, the expected output after the last message", async () => {
    const { body } = await exportOk(key, "format=text");
    const tools = [
      "## Session: Fix the login redirect bug",
      "",
      "**User:** I'm seeing a redirect loop when I log in.",
      "",
      "**Assistant:** Let me read the provider.",
      "",
      '**Tool call:** read_file({"path":"src/auth.tsx"})',
      "",
      "**Tool (read_file):** export function AuthProvider() {}",
      "",
      "**Assistant:** The issue is in your AuthProvider component.",
      "",
      "---",
      "Tokens: 4,521 | Cost: $0.08 | Model: claude-sonnet-4-20250514",
      "Status: golden | Tags: debugging, auth",
    ].join("\n");
    const multi = [
      "## Session: Multi-turn",
      "",
      "**System:** be brief",
      "",
      "**User:** q1",
      "",
      "**Assistant:** a1",
      "",
      "**User:** q2",
      "",
      "**Assistant:** a2 part 1",
      "",
      "**Assistant:** a2 part 2",
      "",
      "**Expected output:** the gold answer",
      "",
      "---",
      "Tokens: 0 | Cost: $0.00 | Model: unknown",
      "Status: correct",
    ].join("\n");
    const noReply = [
      "## Session: Unanswered",
      "",
      "**User:** anyone?",
      "",
      "---",
      "Tokens: 4,521 | Cost: $0.08 | Model: claude-sonnet-4-20250514",
      "Status: golden",
    ].join("\n");
    expect(body).toBe(`${tools}\n\n${multi}\n\n${noReply}\n`);
  });
});

describe("every format", () => {
  it.each(FORMATS)("%s: lists the sessions in export order and never an unready one", async (format: Format) => {
    const { body } = await exportOk(key, `format=${format}`);
    expect(body).not.toContain("Not ready");
    if (format === "text") {
      expect([...body.matchAll(/^## Session: (.*)$/gm)].map((m) => m[1])).toEqual(["Fix the login redirect bug", "Multi-turn", "Unanswered"]);
    } else if (format === "openai") {
      expect(jsonLines(body).map((l) => l.messages[0].content)).toEqual(["I'm seeing a redirect loop when I log in.", "be brief"]);
    } else {
      const parsed = format === "deepeval" ? parseDeepEval(body) : parseDeepEvalJsonl(body);
      expect(parsed.map((c) => c.additional_metadata.session_id)).not.toContain(ids.notReady);
    }
  });

  it("exports a session as labelled after a later label change", async () => {
    const { key: k } = await workspaceKey("relabel");
    const [id] = await ingestMany(k, [readyBody({ evalStatus: "needs_review" })]);
    const patch = await call(`/api/sessions/${id}/eval`, { method: "PATCH", key: k, json: { evalStatus: "incorrect", evalTags: ["x"], expectedOutput: "y" } });
    expect(patch.status).toBe(200);
    const [c] = parseDeepEval((await exportOk(k)).body);
    expect(c!.additional_metadata).toMatchObject({ eval_status: "incorrect", eval_tags: ["x"] });
    expect(c!.expected_output).toBe("y");
    const unready = await call(`/api/evals/ready`, { method: "POST", key: k, json: { sessionIds: [id], ready: false } });
    expect(unready.status).toBe(200);
    expect((await exportOk(k)).body).toBe("[]");
  });
});
