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

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * `html: false` is the safety line: raw HTML in a message is shown as text, never passed through. markdown-it's
 * own link validation already refuses javascript:/vbscript:/data: URLs (except images), and links open with
 * rel=noopener nofollow below.
 */
const md: MarkdownIt = new MarkdownIt({
  html: false,
  linkify: false,
  breaks: false,
  highlight(code, info) {
    const name = info.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    // Own keys only: a fence named `__proto__` or `constructor` must not reach Object.prototype.
    const lang = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
    // A block holding a value an export would mask is shown plain with the value marked (highlighting would cut
    // the marks apart).
    if (hasMarks(code)) return `<pre class="code"><code>${markedHtml(code)}</code></pre>`;
    if (lang && code.length <= HIGHLIGHT_MAX_CHARS && LANGUAGES.has(lang)) {
      try {
        return `<pre class="code"><code class="hljs language-${escapeHtml(lang)}">${hljs.highlight(code, { language: lang, ignoreIllegals: true }).value}</code></pre>`;
      } catch {
        // fall through to plain text
      }
    }
    return `<pre class="code"><code>${escapeHtml(code)}</code></pre>`;
  },
});

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
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** A code block on its own (tool arguments and outputs), highlighted when the language is known and it is small. */
export function renderCode(code: string, lang = ""): string {
  return md.options.highlight!(code, lang, "") as string;
}
