/**
 * The `promptfoo` encoder on its own: line shape (API.md "promptfoo"), and the escaping that makes promptfoo read
 * every text literally. The escaping rules come from promptfoo 0.121.20 (the devDependency), whose var handling
 * in dist/src/evaluatorHelpers-*.js `renderPrompt` does, in order: load a var starting with `file://` (running a
 * .js/.py file) or `package:`; strip one final "\n"; `resolveVariables` (substitutes `{{ name }}` of another var,
 * even inside raw blocks); then per var: leave it unrendered when `extractVariablesFromTemplate` finds a variable
 * that is not a var, wrap it whole in a raw block when `autoWrapRawIfPartialNunjucks` sees a partial tag, and
 * render it with Nunjucks. The evaluator's `generateVarCombinations` also expands a `file://` var as a glob.
 * Assertion values are rendered once. test-e2e/promptfoo.e2e.ts runs the export through promptfoo itself.
 */
import { describe, expect, it } from "vitest";
import { FORMAT_SPECS } from "../../src/export/encoders";
import { sessionText } from "../../src/export/encoders/encoder";
import { nunjucksLiteral, promptfooEncoder, REFERENCE_RUBRIC, type PromptfooTest } from "../../src/export/encoders/promptfoo";
import type { ExportSession } from "../../src/export/model";
import { buildTurns, type TurnOptions } from "../../src/export/turns";
import { asst, call, session, sys, tool, UNICODE, user } from "./fixtures";

function run(sessions: ExportSession[], opts: TurnOptions = {}): string {
  const encoder = promptfooEncoder(opts);
  return encoder.begin() + sessions.map((s) => sessionText(encoder, s)).join("") + encoder.end();
}

function tests(body: string): PromptfooTest[] {
  expect(body === "" || body.endsWith("\n")).toBe(true);
  return body === "" ? [] : body.slice(0, -1).split("\n").map((l) => JSON.parse(l) as PromptfooTest);
}

const readA = call("c1", "read_file", { path: "a.ts" });
const twoTurns = session(
  [sys("be brief"), user("q1"), asst("r1", [readA]), tool("c1", "body", "read_file"), user("q2"), asst("r2")],
  { expectedOutput: "gold", evalTags: ["auth", "login"] },
);

describe("promptfoo lines", () => {
  it("writes one test case per deepeval exchange, keys in the contract's order", () => {
    const [first, second, ...rest] = tests(run([twoTurns]));
    expect(rest).toEqual([]);
    expect(Object.keys(first!)).toEqual(["description", "vars", "assert", "metadata"]);
    expect(first).toEqual({
      description: "A session — turn 1",
      vars: { input: "q1", context: "system: be brief" },
      assert: [],
      metadata: { session_id: "ses_1", external_id: "ext-1", turn: 1, model: "claude-sonnet-4-20250514", source: "claude-code", eval_status: "golden", eval_tags: ["auth", "login"] },
    });
    expect(Object.keys(second!.vars)).toEqual(["input", "context", "expected_output"]);
    expect(second!.vars).toEqual({
      input: "q2",
      context: 'system: be brief\n\nuser: q1\n\nassistant: r1\nread_file({"path":"a.ts"})\n\ntool: body',
      expected_output: "gold",
    });
    expect(second!.assert).toEqual([{ type: "llm-rubric", value: "Matches the reference answer: gold" }]);
  });

  it("carries DeepEval's context as one text and its additional_metadata as metadata, for every exchange", () => {
    const s = session([sys("s"), user("a"), asst("b"), user("c"), user("d"), asst("e", [readA]), tool("c1", "x")], {
      expectedOutput: "ref",
      split: "test",
    });
    for (const opts of [{}, { contextMessages: 0 }, { contextMessages: 2 }]) {
      const cases = buildTurns(s, opts);
      const lines = tests(run([s], opts));
      expect(lines.length).toBe(cases.length);
      lines.forEach((l, i) => {
        expect(l.vars.input).toBe(cases[i]!.input);
        expect(l.vars.context).toBe(cases[i]!.context.join("\n\n"));
        expect(l.metadata).toEqual(cases[i]!.additional_metadata);
      });
    }
    expect(tests(run([s]))[1]!.metadata.split).toBe("test");
  });

  it("leaves expected_output out (promptfoo refuses a null var) and asserts nothing where there is no reference", () => {
    const body = run([session([user("q"), asst("a")]), session([user("q1"), asst("r1"), user("q2")], { expectedOutput: "gold" })]);
    const lines = tests(body);
    expect(lines.length).toBe(2);
    for (const l of lines.slice(0, 1)) {
      expect("expected_output" in l.vars).toBe(false);
      expect(l.assert).toEqual([]);
    }
    // The trailing user message yields no exchange, so the reference goes with the last emitted one (as in deepeval).
    expect(lines[1]!.vars.expected_output).toBe("gold");
    expect(body).not.toMatch(/"expected_output":null/);
  });

  it("names the session in the description: the title, else its id", () => {
    const titles = [
      session([user("q"), asst("a")], { title: null, id: "ses_9" }),
      session([user("q"), asst("a")], { title: "   ", id: "ses_8" }),
      session([user("q"), asst("a")], { title: "{{ x }} file://t" }),
    ];
    expect(tests(run(titles)).map((l) => l.description)).toEqual([
      "Session ses_9 — turn 1",
      "Session ses_8 — turn 1",
      // promptfoo does not render descriptions: the title stays as it is.
      "{{ x }} file://t — turn 1",
    ]);
  });

  it("is an empty body when nothing matched or no session has an exchange, and one line per case otherwise", () => {
    expect(run([])).toBe("");
    expect(run([session([]), session([sys("s"), user("q")])])).toBe("");
    const body = run([session([user(UNICODE), asst(UNICODE)], { title: UNICODE, expectedOutput: UNICODE })]);
    // U+2028/U+2029 are escaped by the JSON writer, so the line stays one line for JSONL readers.
    expect(body.split("\n").length).toBe(2);
    const [line] = tests(body);
    expect(line!.vars.input).toBe(UNICODE);
    expect(line!.vars.expected_output).toBe(UNICODE);
    expect(line!.assert[0]!.value).toBe(REFERENCE_RUBRIC + UNICODE);
  });

  it("is the format table's promptfoo encoder", () => {
    const encoder = FORMAT_SPECS.promptfoo.createEncoder();
    expect(encoder.begin() + sessionText(encoder, twoTurns) + encoder.end()).toBe(run([twoTurns]));
  });

  it("escapes input, every context entry, expected_output and the rubric, but not metadata or description", () => {
    const t = "{{ input }}";
    const s = session([sys(t), user(`${t} 1`), asst(t), user(t), asst("ok", [call("c1", "ls", { p: t })]), tool("c1", t)], {
      title: t,
      expectedOutput: t,
      evalTags: [t],
      externalId: t,
    });
    const [a, b] = tests(run([s]));
    const e = nunjucksLiteral(t);
    expect(a!.vars).toEqual({ input: `${e} 1`, context: `system: ${e}` });
    expect(b!.vars).toEqual({
      input: e,
      context: [`system: ${e}`, `user: ${e} 1`, `assistant: ${e}`].join("\n\n"),
      expected_output: e,
    });
    expect(b!.assert).toEqual([{ type: "llm-rubric", value: REFERENCE_RUBRIC + e }]);
    expect(b!.description).toBe(`${t} — turn 2`);
    expect(b!.metadata.eval_tags).toEqual([t]);
    expect(b!.metadata.external_id).toBe(t);
  });
});

/** What promptfoo 0.121.20 does with a var before and while rendering it, as far as literal text is concerned. */
const PROMPTFOO_SCANS = {
  // evaluatorHelpers resolveVariables
  otherVar: /\{\{\s*(\w+)\s*\}\}/,
  // util extractVariablesFromTemplate (after removing comments); a match for a name that is not a var skips rendering
  variable: /\{\{[\s]*([^{}\s|]+)[\s]*(?:\|[^}]+)?\}\}|\{%[\s]*(?:if|for)[\s]+([^{}\s]+)[\s]*.*?%\}/,
  comment: /\{#[\s\S]*?#\}/,
  // evaluatorHelpers autoWrapRawIfPartialNunjucks
  partialTag: /({%[^%]*$|{{[^}]*$|{#[^#]*$)/m,
};

/**
 * Renders what nunjucksLiteral writes, and only that: `{{ "{" }}`, `{{ "}" }}` and one-character raw blocks.
 * Any other template syntax left in the text makes it throw.
 */
function renderOurs(escaped: string): string {
  const out = escaped.replace(/\{\{ "([{}])" \}\}|\{% raw %\}([\s\S])\{% endraw %\}|(\{[{%#]|#\})/g, (_, brace, rawChar, stray) => {
    if (stray) throw new Error(`template syntax left: ${stray} in ${JSON.stringify(escaped)}`);
    return brace ?? rawChar;
  });
  return out;
}

/** Short texts of template-syntax atoms from a fixed generator. */
function generated(n: number): string[] {
  const atoms = ["{", "}", "%", "#", "-", " ", "\n", "x", "input", " raw ", "endraw", "if ", "for ", "file://", "package:", '"', "\\", "|", "{{", "}}", "{%", "%}", "{#", "#}", "👩‍💻"];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => {
    let s = "";
    for (let j = 1 + Math.floor(next() * 10); j > 0; j--) s += atoms[Math.floor(next() * atoms.length)];
    return s;
  });
}

describe("nunjucksLiteral", () => {
  it("leaves text without template syntax, loader prefix or final newline as it is", () => {
    for (const t of ["plain", "", "{ a }", "}} %} a}", "50% #1 {x}", "{\"json\": {\"a\": 1}}", "x file://a", " package:a", "a\nb", UNICODE]) {
      expect(nunjucksLiteral(t)).toBe(t);
    }
  });

  it("prints each syntax brace through an expression", () => {
    expect(nunjucksLiteral("a {{ x }} b")).toBe('a {{ "{" }}{ x }} b');
    expect(nunjucksLiteral("{% if y %}z{% endif %}")).toBe('{{ "{" }}% if y %}z{{ "{" }}% endif %}');
    expect(nunjucksLiteral("{# c #}")).toBe('{{ "{" }}# c #{{ "}" }}');
    expect(nunjucksLiteral("a #} b")).toBe('a #{{ "}" }} b');
    expect(nunjucksLiteral("{{{")).toBe('{{ "{" }}{{ "{" }}{');
    expect(nunjucksLiteral("{% raw %}r{% endraw %}")).toBe('{{ "{" }}% raw %}r{{ "{" }}% endraw %}');
  });

  it("keeps a file:// or package: value from being loaded, and a final newline from being stripped", () => {
    expect(nunjucksLiteral("file://a.js")).toBe("{% raw %}f{% endraw %}ile://a.js");
    expect(nunjucksLiteral("package:fs:readFileSync")).toBe("{% raw %}p{% endraw %}ackage:fs:readFileSync");
    expect(nunjucksLiteral("a\n")).toBe("a{% raw %}\n{% endraw %}");
    expect(nunjucksLiteral("\n\n")).toBe("\n{% raw %}\n{% endraw %}");
    // A last brace is followed by the raw tag, so it is escaped too.
    expect(nunjucksLiteral("a{\n")).toBe('a{{ "{" }}{% raw %}\n{% endraw %}');
    expect(nunjucksLiteral("file://{{x}}\n")).toBe('{% raw %}f{% endraw %}ile://{{ "{" }}{x}}{% raw %}\n{% endraw %}');
  });

  it("gives promptfoo nothing to act on, and renders back to the text, for generated texts", () => {
    for (const t of generated(2000)) {
      const e = nunjucksLiteral(t);
      expect(renderOurs(e), JSON.stringify(t)).toBe(t);
      expect(e.startsWith("file://") || e.startsWith("package:"), JSON.stringify(t)).toBe(false);
      expect(e.endsWith("\n"), JSON.stringify(t)).toBe(false);
      for (const [name, re] of Object.entries(PROMPTFOO_SCANS)) expect(re.test(e), `${name}: ${JSON.stringify(t)}`).toBe(false);
      // Also where the encoder puts it after a prefix (rubric, context entries).
      expect(PROMPTFOO_SCANS.variable.test(REFERENCE_RUBRIC + e)).toBe(false);
    }
  });
});
