import MarkdownIt from "markdown-it";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import diff from "highlight.js/lib/languages/diff";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import { hasMarks, markedHtml } from "./marks";

// A handful of languages that coding transcripts are mostly made of; the full set would triple the bundle.
for (const [name, lang] of Object.entries({ bash, diff, javascript, json, python, sql, typescript, xml })) hljs.registerLanguage(name, lang);
const ALIASES: Record<string, string> = { sh: "bash", shell: "bash", zsh: "bash", console: "bash", js: "javascript", jsx: "javascript", ts: "typescript", tsx: "typescript", py: "python", html: "xml", patch: "diff" };

/** The names a fence may ask for: the registered languages and their hljs aliases (hljs looks names up in plain objects). */
const LANGUAGES = new Set(hljs.listLanguages().flatMap((l) => [l, ...(hljs.getLanguage(l)?.aliases ?? [])]));

/** Above this size a code block is shown plain: highlighting a 1 MiB tool dump costs more than it helps. */
const HIGHLIGHT_MAX_CHARS = 20_000;

/**
 * Characters of code one page highlights, in reading order; later blocks are shown plain (still monospace).
 * Highlighting costs ~1 ms per 1,000 characters and is most of a long session's render: a 1,000-message session
 * with 250,000 characters of code rendered in ~310 ms, ~140 ms with this budget (scripts/bench, review page).
 */
export const PAGE_HIGHLIGHT_CHARS = 60_000;

/** What is left of a page's highlighting budget; one per rendered page, passed down to each block. */
export interface HighlightBudget {
  chars: number;
}

export const pageHighlightBudget = (): HighlightBudget => ({ chars: PAGE_HIGHLIGHT_CHARS });

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A fenced or standalone code block: highlighted when its language is known, it is small and the page's budget allows. */
function codeBlockHtml(code: string, info: string, budget: HighlightBudget | undefined): string {
  const name = info.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  // Own keys only: a fence named `__proto__` or `constructor` must not reach Object.prototype.
  const lang = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
  // A block holding a value an export would mask is shown plain with the value marked (highlighting would cut
  // the marks apart).
  if (hasMarks(code)) return `<pre class="code"><code>${markedHtml(code)}</code></pre>`;
  if (lang && code.length <= HIGHLIGHT_MAX_CHARS && LANGUAGES.has(lang) && (!budget || budget.chars >= code.length)) {
    try {
      const html = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
      if (budget) budget.chars -= code.length;
      return `<pre class="code"><code class="hljs language-${escapeHtml(lang)}">${html}</code></pre>`;
    } catch {
      // fall through to plain text
    }
  }
  return `<pre class="code"><code>${escapeHtml(code)}</code></pre>`;
}

/** markdown-it's `env` of one render: the page's highlighting budget, when the caller has one. */
interface RenderEnv {
  budget?: HighlightBudget;
}

/**
 * `html: false` is the safety line: raw HTML in a message is shown as text, never passed through. markdown-it's
 * own link validation already refuses javascript:/vbscript:/data: URLs (except images), and links open with
 * rel=noopener nofollow below.
 */
const md: MarkdownIt = new MarkdownIt({ html: false, linkify: false, breaks: false });
// Fences through codeBlockHtml with the render's budget (markdown-it's `highlight` option is not given the env).
md.renderer.rules.fence = (tokens, idx, _options, env: RenderEnv) => `${codeBlockHtml(tokens[idx]!.content, tokens[idx]!.info, env.budget)}\n`;

// Links go out only to the web or to mail: an absolute http(s):/mailto: address. markdown-it's own check lets any
// other scheme through (ftp:, tel:, intent:, a made-up one) and relative or protocol-relative paths, which in a
// transcript point at this site (`/api/admin/keys`) or wherever `//host` names; those stay text.
md.validateLink = (url) => /^(https?:\/\/[^/\\]|mailto:[^\s])/i.test(url.trim());

// Images would load from anywhere (the CSP blocks them anyway); show their alt text and address instead.
md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx]!;
  return `<span class="img-ref">[image: ${escapeHtml(t.content || "")}${t.attrGet("src") ? ` ${escapeHtml(t.attrGet("src")!)}` : ""}]</span>`;
};
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// Marks of what an export would mask, on text nodes after tokenization: escaped segment by segment, never raw HTML.
md.renderer.rules.text = (tokens, idx) => markedHtml(tokens[idx]!.content);
md.renderer.rules.code_inline = (tokens, idx, _options, _env, self) => `<code${self.renderAttrs(tokens[idx]!)}>${markedHtml(tokens[idx]!.content)}</code>`;
// Tables scroll sideways on their own instead of widening the conversation column.
md.renderer.rules.table_open = () => '<div class="md-table"><table>\n';
md.renderer.rules.table_close = () => "</table></div>\n";

/** Markdown → HTML safe to embed in a page: no raw HTML, no scripts, no remote images. */
export function renderMarkdown(source: string, budget?: HighlightBudget): string {
  const env: RenderEnv = { budget };
  return md.render(source, env);
}

/** A code block on its own (tool arguments and outputs), highlighted when the language is known and it is small. */
export function renderCode(code: string, lang = "", budget?: HighlightBudget): string {
  return codeBlockHtml(code, lang, budget);
}
