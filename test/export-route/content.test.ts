import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { UNICODE } from "../export/fixtures";
import { exportOk, FORMATS, ingestMany, jsonLines, parseDeepEval, parseDeepEvalJsonl, parseOpenAi, readyBody, workspaceKey } from "./support";

describe("reasoning", () => {
  it("is in no format, however the message arrived", async () => {
    const { key } = await workspaceKey("reason");
    const [id] = await ingestMany(key, [
      readyBody({
        messages: [
          { externalId: "u1", role: "user", content: "why?" },
          { externalId: "a1", role: "assistant", content: "because", reasoning: "SECRET-REASONING one" },
          {
            externalId: "a2",
            role: "assistant",
            content: "",
            reasoning: "SECRET-REASONING two",
            toolCalls: [{ id: "c1", name: "ls", arguments: {} }],
          },
          { externalId: "t1", role: "tool", toolCallId: "c1", content: "a.ts" },
        ],
      }),
    ]);
    const appended = await call(`/api/sessions/${id}/messages`, {
      method: "POST",
      key,
      json: {
        messages: [
          { externalId: "u2", role: "user", content: "and?" },
          { externalId: "a3", role: "assistant", content: "done", reasoning: "SECRET-REASONING three" },
        ],
      },
    });
    expect(appended.status).toBe(200);
    // The stored session keeps it (GET returns messages as stored) ...
    const stored = await call(`/api/sessions/${id}`, { key });
    expect(await stored.text()).toContain("SECRET-REASONING three");
    // ... the export never does.
    for (const format of FORMATS) {
      const { body } = await exportOk(key, `format=${format}`);
      expect(body, format).not.toContain("SECRET-REASONING");
      expect(body, format).not.toMatch(/reasoning/i);
      expect(body, format).toContain("because");
      expect(body, format).toContain("done");
    }
  });
});

describe("large and unicode content", () => {
  /** UTF-8 byte length. */
  const bytes = (s: string) => new TextEncoder().encode(s).length;

  it("a 900 KB message with emoji, CJK, RTL, NUL and line separators round-trips exactly", async () => {
    const { key } = await workspaceKey("big");
    const unit = `${UNICODE} "quoted" \\ back\tslash\r\n`;
    const big = unit.repeat(Math.ceil(900_000 / bytes(unit)) + 1).slice(0, -1); // ends mid-unit, never mid-pair
    expect(bytes(big)).toBeGreaterThan(900_000);
    expect(bytes(big)).toBeLessThan(1024 * 1024);
    const reply = `回答 👩‍💻 שלום\u0000 ${UNICODE}`;
    const title = `Ünïcödé ${UNICODE}`;
    const [id] = await ingestMany(key, [
      readyBody({
        title,
        evalTags: ["标签", "🏷️"],
        expectedOutput: big,
        messages: [
          { role: "system", content: UNICODE },
          { role: "user", content: big },
          { role: "assistant", content: reply, toolCalls: [{ id: "c1", name: "grep", arguments: { pattern: UNICODE } }] },
          { role: "tool", toolCallId: "c1", content: big.slice(0, 1000) },
          { role: "user", content: "again" },
          { role: "assistant", content: UNICODE },
        ],
      }),
    ]);

    const openai = (await exportOk(key, "format=openai")).body;
    // No raw U+2028, U+2029 or U+0085: line splitters such as Python's splitlines() would cut a record there.
    expect(openai).not.toMatch(/[\u2028\u2029\u0085]/);
    const [line] = parseOpenAi(openai);
    expect(line!.messages).toEqual([
      { role: "system", content: UNICODE },
      { role: "user", content: big },
      {
        role: "assistant",
        content: reply,
        tool_calls: [{ id: "c1", type: "function", function: { name: "grep", arguments: JSON.stringify({ pattern: UNICODE }) } }],
      },
      { role: "tool", tool_call_id: "c1", content: big.slice(0, 1000) },
      { role: "user", content: "again" },
      { role: "assistant", content: UNICODE },
    ]);

    const deepeval = parseDeepEval((await exportOk(key, "format=deepeval")).body);
    expect(deepeval).toHaveLength(2);
    expect(deepeval[0]!.input).toBe(big);
    expect(deepeval[0]!.actual_output).toBe(reply);
    expect(deepeval[0]!.tools_called).toEqual([{ name: "grep", input_parameters: { pattern: UNICODE }, output: big.slice(0, 1000) }]);
    expect(deepeval[0]!.additional_metadata.session_id).toBe(id);
    expect(deepeval[0]!.additional_metadata.eval_tags).toEqual(["标签", "🏷️"]);
    expect(deepeval[1]!.context[1]).toBe(`user: ${big}`);
    expect(deepeval[1]!.actual_output).toBe(UNICODE);
    expect(deepeval[1]!.expected_output).toBe(big);

    const jsonl = (await exportOk(key, "format=deepeval-jsonl")).body;
    expect(jsonl).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(jsonl.split("\n")).toHaveLength(3); // two records, each "\n"-terminated
    expect(parseDeepEvalJsonl(jsonl)).toEqual(deepeval);

    const text = (await exportOk(key, "format=text")).body;
    expect(text).toContain(`**User:** ${big}\n\n`);
    expect(text).toContain(`**Assistant:** ${reply}\n\n`);
  });

  it("many sessions of large messages stream through, each record whole", async () => {
    const { key } = await workspaceKey("bulk");
    const chunk = "数据".repeat(50_000); // 300 KB of UTF-8 per message
    const bodies = Array.from({ length: 12 }, (_, i) =>
      readyBody({
        messages: [
          { role: "user", content: `${i}:${chunk}` },
          { role: "assistant", content: `${i}:${chunk}` },
        ],
      }),
    );
    for (const b of bodies) await ingestMany(key, [b]);
    const lines = jsonLines((await exportOk(key, "format=openai")).body);
    expect(lines.map((l) => l.messages[0].content)).toEqual(bodies.map((_, i) => `${i}:${chunk}`));
  });
});
