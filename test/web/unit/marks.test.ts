import { describe, expect, it } from "vitest";
import { countMarks, markedHtml } from "../../../src/web/render/marks";
import { renderCode, renderMarkdown } from "../../../src/web/render/markdown";

const TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const EMAIL = "password=" + "hunter2-Very-Secret-99";

describe("review page marks", () => {
  it("marks a secret in plain text and escapes around it", () => {
    const html = markedHtml(`<b>x</b> token ${TOKEN} & more`);
    expect(html).toContain(`<mark class="would-mask" data-kind="github_token"`);
    expect(html).toContain(`>${TOKEN}</mark>`);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).toContain("&amp; more");
    expect(html).not.toContain("<b>");
  });

  it("leaves text without secrets as escaped text", () => {
    expect(markedHtml("a < b")).toBe("a &lt; b");
  });

  it("marks inside markdown paragraphs, inline code and fenced code, no raw HTML through", () => {
    const html = renderMarkdown(`Config ${EMAIL} <script>alert(1)</script>\n\n\`${TOKEN}\`\n\n\`\`\`bash\nexport GITHUB_TOKEN=${TOKEN}\n<img src=x onerror=alert(1)>\n\`\`\`\n`);
    expect(html.match(/<mark class="would-mask"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("highlights code without secrets and marks code with them", () => {
    expect(renderCode('{"a": 1}', "json")).toContain("hljs");
    expect(renderCode(`{"key": "${TOKEN}"}`, "json")).toContain("would-mask");
  });

  it("counts values over texts", () => {
    expect(countMarks([`a ${TOKEN}`, `b ${EMAIL}`, "nothing", ""])).toBeGreaterThanOrEqual(2);
    expect(countMarks(["nothing here"])).toBe(0);
  });
});
