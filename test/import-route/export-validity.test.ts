import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { bodyText, jsonLines, parseDeepEval, parseOpenAi } from "../export-route/support";
import { claudeTranscript } from "../importers/fixtures/claude-code";
import { codexRollout } from "../importers/fixtures/codex";
import { imported, readSession } from "./support";

/** An imported session, marked eval-ready, is valid OpenAI fine-tuning data and DeepEval cases with tool outputs. */

async function importReady(key: string, format: string, file: string): Promise<string> {
  const out = await imported(key, format, file, 201);
  const id = out.sessions[0]!.id;
  const res = await call(`/api/sessions/${id}/eval`, { method: "PATCH", key, json: { evalReady: true, evalStatus: "golden" } });
  expect(res.status, await res.clone().text()).toBe(200);
  return id;
}

async function exported(key: string, id: string, format: string): Promise<string> {
  const res = await call(`/api/export?format=${format}&id=${id}&redact=none`, { key });
  const body = await bodyText(res);
  expect(res.status, body.slice(0, 500)).toBe(200);
  expect(res.headers.get("x-export-sessions")).toBe("1");
  return body;
}

/** Every assistant tool_calls entry answered by the tool messages right after it, with its id, none orphaned. */
function expectPairedOpenAi(messages: any[], expectedCalls: number) {
  let calls = 0;
  messages.forEach((m, i) => {
    if (m.role === "tool") {
      const caller = messages.slice(0, i).reverse().find((x) => x.role !== "tool");
      expect(caller?.role, `tool message ${i} follows an assistant`).toBe("assistant");
      expect(caller.tool_calls.map((c: any) => c.id)).toContain(m.tool_call_id);
    }
    if (m.role !== "assistant" || !m.tool_calls) return;
    const answers = [];
    for (let j = i + 1; j < messages.length && messages[j].role === "tool"; j++) answers.push(messages[j].tool_call_id);
    expect(answers, `the calls of message ${i} are answered right after it`).toEqual(m.tool_calls.map((c: any) => c.id));
    for (const c of m.tool_calls) {
      calls++;
      expect(c.type).toBe("function");
      expect(typeof c.function.arguments).toBe("string");
      expect(() => JSON.parse(c.function.arguments)).not.toThrow();
    }
  });
  expect(calls).toBe(expectedCalls);
}

describe("export of imported sessions", () => {
  it("a Claude Code session with tool calls is valid OpenAI fine-tuning data and DeepEval with tool outputs", async () => {
    const key = await makeKey("imp-exp-cc");
    const id = await importReady(key, "claude-code", claudeTranscript());
    const stored = (await readSession(key, id)).body;

    const [line, ...more] = parseOpenAi(await exported(key, id, "openai"));
    expect(more).toEqual([]);
    expectPairedOpenAi(line!.messages, 2);
    const calls = line!.messages.flatMap((m: any) => m.tool_calls ?? []);
    expect(calls.map((c: any) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ["toolu_01", "Read", { file_path: "/home/me/app/src/auth.tsx" }],
      ["toolu_02", "Bash", stored.messages.find((m: any) => m.toolCalls?.[0]?.id === "toolu_02").toolCalls[0].arguments],
    ]);
    expect(line!.messages.filter((m: any) => m.role === "tool").map((m: any) => m.content)).toEqual(["export function AuthProvider() {}", "[error] 1 test failed"]);

    const cases = parseDeepEval(await exported(key, id, "deepeval"));
    const tools = cases.flatMap((c) => c.tools_called);
    expect(tools.map((t) => [t.name, t.output])).toEqual([
      ["Read", "export function AuthProvider() {}"],
      ["Bash", "[error] 1 test failed"],
    ]);
    expect(tools[0]!.input_parameters).toEqual({ file_path: "/home/me/app/src/auth.tsx" });
    expect(cases.every((c) => c.additional_metadata.session_id === id)).toBe(true);
  });

  it("a Codex rollout is valid OpenAI fine-tuning data and DeepEval with tool outputs, its patch string included", async () => {
    const key = await makeKey("imp-exp-codex");
    const id = await importReady(key, "codex", codexRollout());

    const [line, ...more] = parseOpenAi(await exported(key, id, "openai"));
    expect(more).toEqual([]);
    expectPairedOpenAi(line!.messages, 3);
    expect(line!.messages.slice(0, 4).map((m: any) => m.role)).toEqual(["system", "system", "system", "user"]);
    const calls = line!.messages.flatMap((m: any) => m.tool_calls ?? []);
    expect(calls.map((c: any) => c.function.name)).toEqual(["shell", "apply_patch", "local_shell"]);
    expect(JSON.parse(calls[0].function.arguments)).toEqual({ command: ["bash", "-lc", "ls"], workdir: "/home/me/api" });
    expect(JSON.stringify(JSON.parse(calls[1].function.arguments))).toContain("*** Add File: src/health.ts");
    // An assistant message that only calls tools has content null or a string, never missing.
    for (const m of line!.messages) expect("content" in m).toBe(true);

    const cases = parseDeepEval(await exported(key, id, "deepeval"));
    const tools = cases.flatMap((c) => c.tools_called);
    expect(tools.map((t) => [t.name, t.output])).toEqual([
      ["shell", "src\npackage.json\n"],
      ["apply_patch", "Success. Updated the following files:\nA src/health.ts"],
      ["local_shell", "ok"],
    ]);
    expect(cases.at(-1)!.actual_output).toContain("Added GET /health.");

    const jsonl = jsonLines(await exported(key, id, "deepeval-jsonl"));
    expect(jsonl.flatMap((c) => c.tools_called).map((t: any) => t.output)).toEqual(tools.map((t) => t.output));
  });
});
