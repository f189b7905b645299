/** Every piece of session content is escaped, in every page that shows it. */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { csrfOf, inputValue, signedIn, type Page } from "./_support";

const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";
const BREAKOUT = `"><script>alert(1)</script><a x='`;
const PAYLOAD = `${SCRIPT} ${IMG} ${BREAKOUT}`;

function expectEscaped(page: Page, where: string) {
  expect(page.text, where).not.toContain("<script>alert");
  expect(page.text, where).not.toContain("<img src=x");
  expect(page.text, where).not.toMatch(/<img\b/i);
  // The text is still there, shown as text.
  expect(page.text, where).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  expect(page.text, where).toContain("&lt;img src=x onerror=alert(1)&gt;");
}

async function hostileSession(key: string) {
  const body = sessionBody({
    externalId: `xss-${PAYLOAD}`,
    title: `Title ${PAYLOAD}`,
    source: `src ${SCRIPT}`,
    model: `model ${IMG}`,
    evalReady: true,
    evalStatus: "golden",
    evalTags: [SCRIPT, IMG, `"'><b>`],
    evalNotes: `Notes ${PAYLOAD}`,
    expectedOutput: `Expected ${PAYLOAD}`,
    messages: [
      { role: "system", content: `System ${PAYLOAD}` },
      { role: "user", content: `User ${PAYLOAD}` },
      {
        role: "assistant",
        content: `Assistant ${PAYLOAD}`,
        reasoning: `Reasoning ${PAYLOAD}`,
        toolCalls: [{ id: `call_${IMG}`, name: `tool${SCRIPT}`, arguments: { html: PAYLOAD } }],
      },
      { role: "tool", toolCallId: `call_${IMG}`, toolName: `tool${SCRIPT}`, content: `Tool output ${PAYLOAD}` },
      { role: "assistant", content: "", toolCalls: [{ id: "call_2", name: "raw", arguments: `{"s": "${SCRIPT.replace(/"/g, '\\"')}"}` }] },
      { role: "tool", toolCallId: "call_2", content: `${"x".repeat(500)} ${IMG}` },
    ],
  });
  const res = await call("/api/sessions", { method: "POST", key, json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("XSS", () => {
  it("a session full of markup renders escaped on the lists, the review page and its conflict page", async () => {
    const { key, browser: b } = await signedIn("xss");
    const id = await hostileSession(key);

    const sessions = await b.get("/sessions");
    expectEscaped(sessions, "sessions view");
    const evals = await b.get("/evals");
    expectEscaped(evals, "evals view");
    // Tags feed the chart too (SVG text and aria-label).
    expect(evals.text).toMatch(/<svg[^>]*aria-label="Top tags: [^"]*&lt;script&gt;alert\(1\)&lt;\/script&gt; 1/);

    const review = await b.get(`/review/${id}?view=evals`);
    expectEscaped(review, "review page");
    for (const part of ["Title", "System", "User", "Assistant", "Reasoning", "Tool output", "Notes", "Expected"]) {
      expect(review.text, part).toContain(`${part} &lt;script&gt;alert(1)&lt;/script&gt;`);
    }
    // Attribute values cannot be broken out of.
    expect(review.text).not.toContain(`"><script>`);
    const tags = [...review.text.matchAll(/<input\b[^>]*name="evalTags"[^>]*>/g)].map((m) => /\bvalue="([^"]*)"/.exec(m[0])![1]!);
    expect(tags).toEqual(["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&quot;&#39;&gt;&lt;b&gt;", ""]);

    // The 409 page echoes what the reviewer typed: escaped as well.
    const res = await b.post(`/review/${id}?view=evals`, {
      _csrf: csrfOf(review.text),
      etag: '"v999999"',
      evalStatus: "golden",
      evalTags: `mine ${SCRIPT}`,
      evalNotes: `My notes ${PAYLOAD}`,
      expectedOutput: `My expected ${PAYLOAD}`,
    });
    expect(res.status).toBe(409);
    expectEscaped(res, "conflict page");

    // A 400 page for a bad label keeps the content escaped too.
    const bad = await b.post(`/review/${id}?view=evals`, { _csrf: csrfOf(review.text), etag: inputValue(review.text, "etag"), evalStatus: SCRIPT });
    expect(bad.status).toBe(400);
    expectEscaped(bad, "invalid label page");
  });

  it("filter values echoed into the forms and links are escaped", async () => {
    const { key, browser: b } = await signedIn("xss-filters");
    await hostileSession(key);
    const q = encodeURIComponent(BREAKOUT);
    const page = await b.get(`/sessions?q=${q}&source=${encodeURIComponent(IMG)}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("<script>alert");
    expect(page.text).not.toMatch(/<img\b/i);
    expect(inputValue(page.text, "q")).toBe(BREAKOUT);
    expect(inputValue(page.text, "f_q")).toBe(BREAKOUT);

    const evals = await b.get(`/evals?tag=${encodeURIComponent(SCRIPT)}`);
    expect(evals.status).toBe(200);
    expect(evals.text).not.toContain("<script>alert");
    expect(inputValue(evals.text, "tag")).toBe(SCRIPT);
  });
});
