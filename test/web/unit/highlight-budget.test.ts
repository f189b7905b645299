import { describe, expect, it } from "vitest";
import { PAGE_HIGHLIGHT_CHARS, pageHighlightBudget, renderCode, renderMarkdown } from "../../../src/web/render/markdown";
import { Conversation } from "../../../src/web/pages/conversation";
import type { MessageOut } from "../../../src/sessions/schemas";

const fence = (lang: string, code: string) => "```" + lang + "\n" + code + "\n```\n";
const highlighted = (html: string) => (html.match(/<code class="hljs/g) ?? []).length;
const plainBlocks = (html: string) => (html.match(/<pre class="code"><code>/g) ?? []).length;

describe("a page's highlighting budget", () => {
  it("highlights blocks in order while the budget lasts, then shows them plain and still escaped", () => {
    const code = "const a = 1;\n".repeat(40); // 520 characters
    const budget = { chars: 1200 };
    const html = renderMarkdown([fence("ts", code), fence("ts", code), fence("ts", code + "<b>x</b>")].join("\n"), budget);
    expect(highlighted(html)).toBe(2);
    expect(plainBlocks(html)).toBe(1);
    expect(budget.chars).toBe(1200 - 2 * (code.length + 1)); // a fence's content ends with its newline
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<b>x</b>");
  });

  it("is shared by markdown and standalone blocks (tool arguments); no budget means no limit", () => {
    const budget = { chars: 30 };
    expect(highlighted(renderCode('{"path": "src/a.ts"}', "json", budget))).toBe(1);
    expect(highlighted(renderMarkdown(fence("json", '{"path": "src/b.ts"}'), budget))).toBe(0);
    expect(highlighted(renderMarkdown(fence("json", '{"path": "src/b.ts"}')))).toBe(1);
    expect(pageHighlightBudget()).toEqual({ chars: PAGE_HIGHLIGHT_CHARS });
  });

  it("a long session's page highlights its first code and stops at the budget", () => {
    const block = "export function f(x: number) {\n  return x * 2;\n}\n".repeat(20); // ~1,000 characters
    const n = Math.ceil((PAGE_HIGHLIGHT_CHARS * 2) / block.length);
    const messages = Array.from({ length: n }, (_, seq) => ({
      seq, externalId: `m${seq}`, role: "assistant", content: `Step ${seq}\n\n${fence("ts", block)}`,
      toolCalls: null, toolCallId: null, toolName: null, reasoning: null, createdAt: null,
    })) as unknown as MessageOut[];
    const html = String(Conversation({ messages }));
    const lit = highlighted(html);
    expect(lit).toBe(Math.floor(PAGE_HIGHLIGHT_CHARS / (block.length + 1)));
    expect(plainBlocks(html)).toBe(n - lit);
    // In reading order: the first block is highlighted, the last one plain.
    expect(html.indexOf('<code class="hljs')).toBeLessThan(html.indexOf('<pre class="code"><code>'));
  });
});
