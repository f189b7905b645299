import { describe, expect, it } from "vitest";
import { argumentsLine, argumentsValue, deepEvalParameters, openAiArguments } from "../../src/export/arguments";
import { toJson } from "../../src/export/json";
import { parseToolCalls } from "../../src/export/model";
import { UNICODE } from "./fixtures";

describe("parseToolCalls", () => {
  it.each([
    { name: "null column", json: null, want: null },
    { name: "empty text", json: "", want: null },
    { name: "empty list", json: "[]", want: null },
    { name: "unreadable text", json: "[{", want: null },
    { name: "not a list", json: '{"name":"x"}', want: null },
    {
      name: "object arguments",
      json: '[{"id":"c1","name":"read_file","arguments":{"path":"a.ts"}}]',
      want: [{ id: "c1", name: "read_file", arguments: { path: "a.ts" } }],
    },
    {
      name: "string arguments stay strings, even invalid ones",
      json: '[{"id":"c1","name":"a","arguments":"{\\"x\\":1}"},{"id":"c2","name":"b","arguments":"{bad"}]',
      want: [
        { id: "c1", name: "a", arguments: '{"x":1}' },
        { id: "c2", name: "b", arguments: "{bad" },
      ],
    },
    { name: "missing id", json: '[{"name":"a","arguments":{}}]', want: [{ id: null, name: "a", arguments: {} }] },
    { name: "entries without a name are dropped", json: '[{"id":"c1"},7,{"name":"b","arguments":{}}]', want: [{ id: null, name: "b", arguments: {} }] },
  ])("$name", ({ json, want }) => {
    expect(parseToolCalls(json)).toEqual(want);
  });
});

describe("tool-call arguments", () => {
  it.each([
    { name: "object", raw: { path: "a.ts" }, value: { path: "a.ts" }, params: { path: "a.ts" }, line: 'f({"path":"a.ts"})', openai: '{"path":"a.ts"}' },
    { name: "JSON string", raw: '{ "path": "a.ts" }', value: { path: "a.ts" }, params: { path: "a.ts" }, line: 'f({"path":"a.ts"})', openai: '{ "path": "a.ts" }' },
    { name: "invalid JSON string", raw: '{"path": ', value: '{"path": ', params: { _raw: '{"path": ' }, line: 'f("{\\"path\\": ")', openai: '"{\\"path\\": "' },
    { name: "JSON string of an array", raw: "[1,2]", value: [1, 2], params: { _raw: [1, 2] }, line: "f([1,2])", openai: "[1,2]" },
    { name: "absent", raw: undefined, value: {}, params: {}, line: "f({})", openai: "{}" },
    { name: "null", raw: null, value: {}, params: {}, line: "f({})", openai: "{}" },
    { name: "blank string", raw: "  ", value: {}, params: {}, line: "f({})", openai: "{}" },
  ])("$name", ({ raw, value, params, line, openai }) => {
    expect(argumentsValue(raw)).toEqual(value);
    expect(deepEvalParameters(raw)).toEqual(params);
    expect(argumentsLine("f", raw)).toBe(line);
    expect(openAiArguments(raw)).toBe(openai);
    expect(() => JSON.parse(openAiArguments(raw))).not.toThrow();
  });
});

describe("toJson", () => {
  it("escapes characters that line splitters break on, and round-trips", () => {
    const out = toJson({ s: UNICODE });
    expect(out).not.toMatch(/[\u0085\u2028\u2029\n\r\u0000]/);
    expect(out).toContain("\\u2028");
    expect(JSON.parse(out)).toEqual({ s: UNICODE });
  });
});
