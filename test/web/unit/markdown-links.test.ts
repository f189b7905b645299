/**
 * Hostile markdown on the review page: which addresses a message may link to (absolute http(s) and mailto only;
 * everything else stays text), and fence names that are Object.prototype keys.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../src/web/render/markdown";

const hrefs = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);

describe("renderMarkdown links", () => {
  it("keeps http, https and mailto links, with rel=noopener", () => {
    const html = renderMarkdown("[a](https://example.com/x?a=1&b=2) [b](HTTP://example.org/) [c](mailto:me@example.com) <https://example.net/auto>");
    expect(hrefs(html)).toEqual(["https://example.com/x?a=1&amp;b=2", "HTTP://example.org/", "mailto:me@example.com", "https://example.net/auto"]);
    expect(html.match(/rel="noopener noreferrer nofollow"/g)).toHaveLength(4);
  });
  it("shows every other scheme, relative and protocol-relative addresses as text", () => {
    const bad = ["ftp://example.com/f", "tel:+123", "intent://x#Intent;end", "/api/admin/keys", "//evil.example/x", "#top", "x-app:open", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x73;cript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "https:evil.example", "https:///evil"];
    for (const url of bad) {
      const html = renderMarkdown(`[link](${url}) <${url}>`);
      expect(hrefs(html), url).toEqual([]);
      expect(html, url).toContain("[link](");
    }
  });
});

describe("renderMarkdown fence names", () => {
  it("a fence named after an Object.prototype key renders as plain code instead of throwing", () => {
    for (const name of ["__proto__", "constructor", "__defineGetter__", "isPrototypeOf", "propertyIsEnumerable"]) {
      const html = renderMarkdown("```" + name + "\n<b>x</b> = 1\n```");
      expect(html, name).toBe("<pre class=\"code\"><code>&lt;b&gt;x&lt;/b&gt; = 1\n</code></pre>\n");
    }
  });
  it("still highlights by alias, hljs's own aliases included", () => {
    expect(renderMarkdown("```ts\nconst a = 1;\n```")).toContain('class="hljs language-typescript"');
    expect(renderMarkdown("```mts\nconst a = 1;\n```")).toContain('class="hljs language-mts"');
    expect(renderMarkdown("```nonsense\nconst a = 1;\n```")).toContain("<pre class=\"code\"><code>const a = 1;");
  });
});
