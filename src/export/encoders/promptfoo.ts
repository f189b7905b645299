import { toJson } from "../json";
import type { ExportSession } from "../model";
import { contextLine, contextStart, deepEvalMetadata, planExchanges, type DeepEvalMetadata, type TurnOptions } from "../turns";
import type { Encoder, EncoderOptions } from "./encoder";

/** One promptfoo test case (`tests: file://….jsonl`), key order as in API.md. */
export interface PromptfooTest {
  description: string;
  vars: { input: string; context: string; expected_output?: string };
  assert: { type: "llm-rubric"; value: string }[];
  metadata: DeepEvalMetadata;
}

/** A brace that Nunjucks' lexer reads as syntax: the opening one of `{{`, `{%`, `{#`, and the closing one of `#}`. */
const TEMPLATE_BRACE = /\{(?=[{%#])|(?<=#)\}/g;
/** The same, and a last `{` (when a raw tag will follow it). */
const TEMPLATE_BRACE_OR_LAST = /\{(?=[{%#]|$)|(?<=#)\}/g;
/** Var values promptfoo reads as a file (`file://`, even running a .js/.py one) or a package export (`package:`). */
const LOADER_PREFIX = /^(?:file:\/\/|package:)/;

/**
 * Text that reaches promptfoo literally after its one Nunjucks rendering of a var (text prompts) and of an
 * assertion value. Raw blocks alone are not enough in promptfoo 0.121: before rendering, it scans var values with
 * its own regexes — `{{ name }}` of another var is substituted even inside `{% raw %}`, and a var that names an
 * undefined variable (`{{ x }}`, `{% if x %}`) is not rendered at all, so raw tags would show — so no template
 * syntax may remain in a value. Each brace that Nunjucks reads as syntax becomes an expression printing it,
 * `{{ "{" }}` or `{{ "}" }}` (no regex of promptfoo's matches those); a value starting with `file://` or
 * `package:` gets its first character in a raw block (promptfoo would load that file, even run it), and a final
 * newline too (promptfoo strips one before rendering). Text without any of these is left as it is, readable.
 * A JSON chat prompt is the exception promptfoo makes: it inserts vars there without rendering them, so such a
 * prompt shows the escapes of texts that had template syntax (a text prompt, `{{ input }}`, does not).
 */
export function nunjucksLiteral(text: string): string {
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, -1) : text;
  let out = body.replace(finalNewline ? TEMPLATE_BRACE_OR_LAST : TEMPLATE_BRACE, (brace) => `{{ "${brace}" }}`);
  if (LOADER_PREFIX.test(out)) out = `{% raw %}${out[0]}{% endraw %}${out.slice(1)}`;
  return finalNewline ? `${out}{% raw %}\n{% endraw %}` : out;
}

/**
 * The reference-answer assertion; `llm-rubric` grades with promptfoo's default grader, or the one named by
 * `defaultTest.options.provider` / `--grader` (API.md "promptfoo").
 */
export const REFERENCE_RUBRIC = "Matches the reference answer: ";

/**
 * One test case per exchange of the `deepeval` format, with the same context (`contextMessages` applies here
 * too) as one text, entries separated by a blank line. Only the session's last exchange carries the expected
 * output (as in deepeval), so only it asserts. Written as pieces, one context entry at a time.
 */
export function* promptfooTestPieces(session: ExportSession, opts: TurnOptions): Generator<string> {
  const messages = session.messages;
  const plans = planExchanges(messages);
  const title = session.title?.trim() ? session.title : `Session ${session.id}`;
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p]!;
    const expected = p === plans.length - 1 ? session.expectedOutput : null;
    const input = nunjucksLiteral(messages[plan.userIndex]!.content);
    yield `{"description":${toJson(`${title} — turn ${plan.turn}`)},"vars":{"input":${toJson(input)},"context":"`;
    const start = contextStart(plan, opts);
    for (let i = start; i < plan.userIndex; i++) {
      yield (i > start ? "\\n\\n" : "") + toJson(nunjucksLiteral(contextLine(messages[i]!))).slice(1, -1);
    }
    const asserts: PromptfooTest["assert"] =
      expected === null ? [] : [{ type: "llm-rubric", value: REFERENCE_RUBRIC + nunjucksLiteral(expected) }];
    const expectedVar = expected === null ? "" : `,"expected_output":${toJson(nunjucksLiteral(expected))}`;
    yield `"${expectedVar}},"assert":${toJson(asserts)},"metadata":${toJson(deepEvalMetadata(session, plan.turn))}}\n`;
  }
}

/** The `promptfoo` format: JSONL test cases; an empty export is an empty body. */
export function promptfooEncoder(opts: EncoderOptions = {}): Encoder {
  return { begin: () => "", session: (session) => promptfooTestPieces(session, opts), end: () => "" };
}
