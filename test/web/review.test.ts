/** The review page: the conversation, the label form with If-Match semantics, conflicts, and walking the queue. */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { apiSession, csrfOf, inputValue, rowIds, signedIn, type Browser } from "./_support";

const T0 = Date.UTC(2025, 10, 1);

async function batch(key: string, bodies: Record<string, unknown>[]): Promise<string[]> {
  const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The value of a <textarea name=…> as a browser reads it: one newline right after the tag is dropped. */
const textarea = (html: string, name: string) => {
  const m = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]!).replace(/^\n/, "") : undefined;
};
const selectedStatus = (html: string) => /<input type="radio" name="evalStatus" value="([a-z_]+)" checked/.exec(html)?.[1];
/** Every tag field's value, the empty "add a tag" field included. */
const tagValues = (html: string) =>
  [...html.matchAll(/<input\b[^>]*name="evalTags"[^>]*>/g)].map((m) => decode(/\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? ""));
const readyChecked = (html: string) => /<input[^>]*name="evalReady"[^>]*checked/.test(html);
const navLink = (html: string, rel: "prev" | "next") => {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]!) : null;
};
const idOfHref = (href: string | null) => (href ? decodeURIComponent(/^\/review\/([^?]+)/.exec(href)![1]!) : null);

/** The fields a reviewer's browser sends from the page it has open. */
function labelForm(html: string, over: Record<string, string | string[] | undefined>) {
  return {
    _csrf: csrfOf(html),
    etag: inputValue(html, "etag"),
    evalStatus: selectedStatus(html),
    evalReady: readyChecked(html) ? "true" : undefined,
    evalTags: tagValues(html),
    evalNotes: textarea(html, "evalNotes"),
    expectedOutput: textarea(html, "expectedOutput"),
    then: "stay",
    ...over,
  };
}

/** The action URL of the label form (it carries the view and filters). */
const formAction = (html: string) => decode(/<form class="label-form" method="post" action="([^"]*)"/.exec(html)![1]!);

describe("the review page", () => {
  it("shows the conversation in order, tool calls and results under <details>, reasoning closed", async () => {
    const { key, browser: b } = await signedIn("review-show");
    const [id] = await batch(key, [
      sessionBody({
        title: "Walk the conversation",
        messages: [
          { role: "system", content: "SYSTEM-PROMPT-0" },
          { role: "user", content: "USER-ASKS-1" },
          {
            role: "assistant",
            content: "ASSISTANT-READS-2",
            reasoning: "HIDDEN-THOUGHTS-2",
            toolCalls: [{ id: "call_9", name: "read_file", arguments: { path: "src/a.ts" } }],
          },
          { role: "tool", toolCallId: "call_9", toolName: "read_file", content: "TOOL-OUTPUT-3" },
          { role: "assistant", content: "ASSISTANT-ANSWERS-4" },
        ],
      }),
    ]);
    const page = await b.get(`/review/${id}`);
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain("<h1>Walk the conversation</h1>");
    const order = ["SYSTEM-PROMPT-0", "USER-ASKS-1", "HIDDEN-THOUGHTS-2", "ASSISTANT-READS-2", "read_file", "TOOL-OUTPUT-3", "ASSISTANT-ANSWERS-4"].map((t) => html.indexOf(t));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect([...html.matchAll(/<article class="msg ([a-z]+)"/g)].map((m) => m[1])).toEqual(["system", "user", "assistant", "assistant"]);
    // Reasoning is folded and closed, with its size.
    expect(html).toMatch(/<details class="reasoning"><summary>Reasoning \(17 B\)<\/summary><pre class="plain">HIDDEN-THOUGHTS-2<\/pre><\/details>/);
    // The tool call shows an argument preview and, in the same card, the result that answered it.
    const card = /<details class="call" open="">([\s\S]*?)<\/details>/.exec(html)?.[1] ?? "";
    expect(card).toMatch(/<span class="call-name">read_file<\/span> <code class="call-preview">path: &quot;src\/a.ts&quot;<\/code>/);
    expect(card).toContain("→ result 13 B");
    expect(card).toContain("call_9");
    expect(card).toContain('<pre class="plain">TOOL-OUTPUT-3</pre>');
    // The result is not repeated as a card of its own.
    expect(html.split("TOOL-OUTPUT-3")).toHaveLength(2);

    // The label form shows the stored labels and the ETag the API sends.
    const api = await apiSession(key, id!);
    expect(inputValue(html, "etag")).toBe(api.etag);
    expect(selectedStatus(html)).toBe("needs_review");
    expect(readyChecked(html)).toBe(false);
    expect(html).toContain("<legend>Status</legend>");
    for (const label of ['for="tag-new">Tags', 'for="evalNotes">Notes', 'for="expectedOutput">Expected output']) expect(html).toContain(`<label ${label}`);
  });

  it("saves with the ETag it read, then says Saved", async () => {
    const { key, browser: b } = await signedIn("review-save");
    const [id] = await batch(key, [sessionBody()]);
    const page = await b.get(`/review/${id}?view=evals`);
    const res = await b.post(
      formAction(page.text),
      labelForm(page.text, { evalStatus: "golden", evalReady: "true", evalTags: [" auth", "debugging ", "auth", "", " "], evalNotes: "Good one.\r\nSecond line.", expectedOutput: "Exclude /login from the matcher." }),
    );
    expect(res.status, res.text).toBe(303);
    expect(res.location).toBe(`/review/${id}?view=evals&saved=1`);
    const s = (await apiSession(key, id!)).body;
    expect(s).toMatchObject({
      evalReady: true,
      evalStatus: "golden",
      evalTags: ["auth", "debugging"],
      evalNotes: "Good one.\nSecond line.",
      expectedOutput: "Exclude /login from the matcher.",
    });
    expect(typeof s.reviewedAt).toBe("number");

    const after = await b.get(res.location!);
    expect(after.text).toContain('<p class="notice" role="status">Saved.</p>');
    expect(selectedStatus(after.text)).toBe("golden");
    expect(readyChecked(after.text)).toBe(true);
    expect(tagValues(after.text)).toEqual(["auth", "debugging", ""]);
    expect(textarea(after.text, "expectedOutput")).toBe("Exclude /login from the matcher.");
    expect(inputValue(after.text, "etag")).toBe((await apiSession(key, id!)).etag);

    // Unticking eval-ready and clearing the texts saves that too; whitespace-only notes are kept as typed.
    const res2 = await b.post(formAction(after.text), labelForm(after.text, { evalReady: undefined, evalNotes: "  ", expectedOutput: "", evalTags: [""] }));
    expect(res2.status).toBe(303);
    expect((await apiSession(key, id!)).body).toMatchObject({ evalReady: false, evalStatus: "golden", evalTags: [], evalNotes: "  ", expectedOutput: null });
  });

  it("with a stale ETag answers 409, says someone else changed it, shows their version and overwrites nothing", async () => {
    const { key, browser: b } = await signedIn("review-conflict");
    const [id] = await batch(key, [sessionBody({ evalReady: true, evalStatus: "needs_review", evalNotes: "original" })]);
    const page = await b.get(`/review/${id}?view=evals`);
    const staleEtag = inputValue(page.text, "etag")!;

    // Someone else labels it through the API meanwhile.
    const patch = await call(`/api/sessions/${id}/eval`, {
      method: "PATCH",
      key,
      headers: { "if-match": staleEtag },
      json: { evalStatus: "incorrect", evalTags: ["their-tag"], evalNotes: "Their notes win", expectedOutput: "Their expected output" },
    });
    expect(patch.status).toBe(200);
    const theirs = await apiSession(key, id!);
    expect(theirs.etag).not.toBe(staleEtag);

    const res = await b.post(
      formAction(page.text),
      labelForm(page.text, { evalStatus: "golden", evalTags: ["my-tag"], evalNotes: "My notes", expectedOutput: "My expected output" }),
    );
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.text).toMatch(/Changed by [^<]+ just now while you were reviewing\./);
    // Their version is what the form now holds, with their ETag, so saving again is a deliberate choice.
    expect(selectedStatus(res.text)).toBe("incorrect");
    expect(tagValues(res.text)).toEqual(["their-tag", ""]);
    expect(textarea(res.text, "evalNotes")).toBe("Their notes win");
    expect(textarea(res.text, "expectedOutput")).toBe("Their expected output");
    expect(inputValue(res.text, "etag")).toBe(theirs.etag);
    // What differs between mine and theirs is listed (the browser's draft store offers mine back).
    const banner = /<div class="error" role="alert" id="conflict">([\s\S]*?)<\/div>/.exec(res.text)![1]!;
    for (const v of ["status: theirs Incorrect, yours Golden", "tags: theirs their-tag, yours my-tag", "notes differ", "expected output differs"]) expect(banner).toContain(v);

    // Nothing was overwritten.
    const now = await apiSession(key, id!);
    expect(now.etag).toBe(theirs.etag);
    expect(now.body).toMatchObject({ evalStatus: "incorrect", evalTags: ["their-tag"], evalNotes: "Their notes win", expectedOutput: "Their expected output" });

    // Saving again from the conflict page (their ETag) applies.
    const again = await b.post(formAction(res.text), labelForm(res.text, { evalNotes: "Merged notes" }));
    expect(again.status).toBe(303);
    expect((await apiSession(key, id!)).body).toMatchObject({ evalStatus: "incorrect", evalNotes: "Merged notes" });
  });

  it("without an ETag (or with a malformed one) nothing is saved blindly", async () => {
    const { key, browser: b } = await signedIn("review-noetag");
    const [id] = await batch(key, [sessionBody()]);
    const page = await b.get(`/review/${id}`);
    const before = await apiSession(key, id!);
    for (const etag of [undefined, "", "*", "garbage", 'W/"v"']) {
      const res = await b.post(formAction(page.text), labelForm(page.text, { etag, evalStatus: "golden" }));
      expect(res.status, String(etag)).toBe(409);
    }
    expect(await apiSession(key, id!)).toEqual(before);
  });

  it("an invalid label is a 400 page that says what is wrong, and nothing is saved", async () => {
    const { key, browser: b } = await signedIn("review-invalid");
    const [id] = await batch(key, [sessionBody()]);
    const page = await b.get(`/review/${id}`);
    const before = await apiSession(key, id!);
    const bad = await b.post(formAction(page.text), labelForm(page.text, { evalStatus: "bogus" }));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<p class="field-error" id="err-evalStatus" role="alert">Pick one of the four statuses');
    const longTag = await b.post(formAction(page.text), labelForm(page.text, { evalTags: ["x".repeat(65)] }));
    expect(longTag.status).toBe(400);
    expect(longTag.text).toContain(`is 65 characters long; a tag can have at most 64.</p>`);
    expect(await apiSession(key, id!)).toEqual(before);
  });
});

describe("walking the filtered list", () => {
  async function queue(name: string) {
    const { key, browser } = await signedIn(name);
    const ids = await batch(key, [
      sessionBody({ title: "s0", createdAt: T0 + 0, evalReady: true, evalStatus: "golden", source: "a" }),
      sessionBody({ title: "s1", createdAt: T0 + 1, evalReady: true, evalStatus: "correct", source: "b" }),
      sessionBody({ title: "s2", createdAt: T0 + 2, evalReady: true, evalStatus: "golden", source: "a" }),
      sessionBody({ title: "s3", createdAt: T0 + 3, evalReady: true, evalStatus: "golden", source: "b" }),
      sessionBody({ title: "s4", createdAt: T0 + 4, evalReady: false, evalStatus: "golden", source: "a" }),
      sessionBody({ title: "s5", createdAt: T0 + 5, evalReady: true, evalStatus: "golden", source: "a" }),
      // Same createdAt as s5: the id breaks the tie, as in the list.
      sessionBody({ title: "s6", createdAt: T0 + 5, evalReady: true, evalStatus: "golden", source: "a" }),
    ]);
    return { key, browser, ids };
  }

  /** Follows `rel` links from `start` to the end, returning the ids visited. */
  async function walk(b: Browser, start: string, query: string, rel: "prev" | "next"): Promise<string[]> {
    const seen = [start];
    let href: string | null = `/review/${start}${query}`;
    for (let i = 0; i < 20; i++) {
      const page = await b.get(href!);
      expect(page.status).toBe(200);
      href = navLink(page.text, rel);
      if (!href || href.startsWith("/queue-done")) return seen;
      expect(href.endsWith(query), href).toBe(true);
      seen.push(idOfHref(href)!);
    }
    throw new Error("the walk did not end");
  }

  it("Next and Previous follow the order of the filtered Evals list, and nothing outside it", async () => {
    const { browser: b } = await queue("walk-evals");
    const list = rowIds((await b.get("/evals?status=golden")).text);
    expect(list).toHaveLength(5); // s6/s5, s3, s2, s0: golden and eval-ready (s1 is correct, s4 not ready)
    const q = "?view=evals&status=golden";
    const forward = await walk(b, list[0]!, q, "next");
    expect(forward).toEqual(list);
    const backward = await walk(b, list[list.length - 1]!, q, "prev");
    expect(backward).toEqual([...list].reverse());
  });

  it("…and of the filtered Sessions list", async () => {
    const { browser: b, ids } = await queue("walk-sessions");
    const list = rowIds((await b.get("/sessions?source=a")).text);
    expect(new Set(list)).toEqual(new Set([ids[0], ids[2], ids[4], ids[5], ids[6]]));
    const q = "?view=sessions&source=a";
    expect(await walk(b, list[0]!, q, "next")).toEqual(list);
    expect(await walk(b, list[list.length - 1]!, q, "prev")).toEqual([...list].reverse());
    // The first has no Previous, the last no Next; the back link returns to the filtered list.
    const first = await b.get(`/review/${list[0]}${q}`);
    expect(navLink(first.text, "prev")).toBeNull();
    expect(first.text).toContain('href="/sessions?source=a" data-back="true">← Back to the list');
  });

  it("Save and next saves, then opens the next session of the list", async () => {
    const { key, browser: b } = await queue("walk-save-next");
    const list = rowIds((await b.get("/evals?status=golden")).text);
    const page = await b.get(`/review/${list[1]}?view=evals&status=golden`);
    expect(page.text).toContain('name="then" value="next"');
    const res = await b.post(formAction(page.text), labelForm(page.text, { then: "next", evalNotes: "checked" }));
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/review/${list[2]}?view=evals&status=golden&saved=${list[1]}`);
    expect((await apiSession(key, list[1]!)).body.evalNotes).toBe("checked");
  });
});
