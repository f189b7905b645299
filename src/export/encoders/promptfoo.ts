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

/** Where template syntax could start: `{{`, `{%` or `{#`. */
const TEMPLATE_START = /\{[{%#]/;
/** Inside `{% raw %}` only an endraw tag is special; a text that contains one is cut around it. */
const ENDRAW = /(\{%-?\s*endraw\s*-?%\})/;

/**
 * Text that reaches promptfoo's Nunjucks rendering literally: text with template syntax is wrapped in
 * `{% raw %}…{% endraw %}`; an endraw tag inside the text is emitted by an expression outside the raw block, so no
 * text can end the block early. Text without template syntax is left as it is, readable.
 */
export function nunjucksLiteral(text: string): string {
  if (!TEMPLATE_START.test(text)) return text;
  return text
    .split(ENDRAW)
    .map((part, i) => (i % 2 === 1 ? `{{ ${JSON.stringify(part)} }}` : part === "" ? "" : `{% raw %}${part}{% endraw %}`))
    .join("");
}

/** The reference-answer assertion; `llm-rubric` grades with promptfoo's default grader (API.md "promptfoo"). */
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
