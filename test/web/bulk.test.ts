/**
 * The lists' bulk actions: set status, add/remove a tag, mark/unmark, on ticked rows or the filtered view, each
 * through a confirmation page; the undo of the last one; scopes, CSRF and other workspaces.
 */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { apiSession, expectForbiddenPage, newKey, signIn, signedIn, type Browser, type FormFields, type Page } from "./_support";

const T0 = Date.UTC(2025, 9, 1);

async function batch(key: string, bodies: Record<string, unknown>[]): Promise<string[]> {
  const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The fields of the (first) form of a page posting to `action`, as a browser would send them (hidden inputs). */
function formOf(html: string, action: string): FormFields {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `a form posting to ${action}`).toBeGreaterThan(-1);
  const body = html.slice(start, html.indexOf("</form>", start));
  const out: Record<string, string[]> = {};
  for (const m of body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)) (out[m[1]!] ??= []).push(decode(m[2]!));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** Confirms what a confirmation page offers: posts its form as the Confirm button would. */
async function confirm(b: Browser, page: Page, view: "sessions" | "evals") {
  expect(page.status, page.text).toBe(200);
  return b.post(`/${view}/bulk/apply`, formOf(page.text, `/${view}/bulk/apply`));
}

const text = (html: string) => decode(html.replace(/<[^>]+>/g, ""));

async function workspace(name: string) {
  const { key, browser } = await signedIn(name);
  const [a, b, c, d] = await batch(key, [
    sessionBody({ title: "A", source: "alpha", createdAt: T0 + 1, evalTags: ["keep"] }),
    sessionBody({ title: "B", source: "alpha", createdAt: T0 + 2, evalReady: true, evalStatus: "correct", evalTags: ["old", "keep"] }),
    sessionBody({ title: "C", source: "alpha", createdAt: T0 + 3, evalReady: true, evalStatus: "golden" }),
    sessionBody({ title: "D", source: "beta", createdAt: T0 + 4 }),
  ]);
  const token = await browser.csrf("/sessions");
  return { key, browser, token, a: a!, b: b!, c: c!, d: d! };
}

const labels = async (key: string, ids: string[]) =>
  Promise.all(
    ids.map(async (id) => {
      const s = (await apiSession(key, id)).body;
      return { status: s.evalStatus, tags: s.evalTags, ready: s.evalReady, reviewedBy: s.reviewedBy, reviewedAt: s.reviewedAt };
    }),
  );

/** Ids the API lists with a tag (through session_tags, the indexed copy of the tags). */
const taggedIds = async (key: string, tag: string) =>
  ((await (await call(`/api/sessions?limit=200&tag=${encodeURIComponent(tag)}`, { key })).json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id).sort();

describe("bulk actions: confirmation, then apply", () => {
  it("sets the status of the ticked rows: the confirmation states the count and changes nothing; Confirm applies with reviewedBy", async () => {
    const w = await workspace("bulk-status");
    const before = await labels(w.key, [w.a, w.b, w.c, w.d]);
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "status", bulk_status: "golden", id: [w.a, w.b, w.c], f_source: "alpha" });
    expect(page.status, page.text).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(text(page.text)).toContain("Set status to Golden on 3 sessions (the 3 ticked sessions)");
    expect(text(page.text)).toContain("2 will change; 1 already is that way");
    expect(page.text).toMatch(/<a href="\/sessions\?source=alpha">Cancel<\/a>/);
    expect(await labels(w.key, [w.a, w.b, w.c, w.d])).toEqual(before);

    const done = await confirm(w.browser, page, "sessions");
    expect(done.status, done.text).toBe(303);
    expect(done.location).toBe("/sessions?source=alpha&done=labelled&n=3");
    const after = await labels(w.key, [w.a, w.b, w.c, w.d]);
    expect(after.map((l) => l.status)).toEqual(["golden", "golden", "golden", "needs_review"]);
    // reviewedBy is the signed-in key's name (as an API PATCH with it sets), on the sessions that changed only.
    const patched = await call(`/api/sessions/${w.d}/eval`, { method: "PATCH", key: w.key, json: { evalNotes: "x" } });
    const by = ((await patched.json()) as { reviewedBy: string }).reviewedBy;
    expect(by).toBeTruthy();
    expect(after[0]!.reviewedBy).toBe(by);
    expect(after[1]!.reviewedBy).toBe(by);
    expect(after[2]).toEqual(before[2]);
  });

  it("adds and removes a tag on every session of the filtered view, and only those (session_tags follows)", async () => {
    const w = await workspace("bulk-tags");
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "addTag", bulk_tag: " auth ", all: "1", id: [w.d], f_source: "alpha" });
    expect(text(page.text)).toContain("Add the tag “auth” on 3 sessions (every session in this filtered view: Sessions · source alpha)");
    const done = await confirm(w.browser, page, "sessions");
    expect(done.location).toBe("/sessions?source=alpha&done=labelled&n=3");
    expect((await labels(w.key, [w.a, w.b, w.c, w.d])).map((l) => l.tags)).toEqual([["keep", "auth"], ["old", "keep", "auth"], ["auth"], []]);
    expect(await taggedIds(w.key, "auth")).toEqual([w.a, w.b, w.c].sort());

    const rm = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "removeTag", bulk_tag: "keep", all: "1", f_source: "alpha" });
    expect(text(rm.text)).toContain("Remove the tag “keep” on 3 sessions");
    expect(text(rm.text)).toContain("2 will change; 1 already is that way");
    await confirm(w.browser, rm, "sessions");
    expect((await labels(w.key, [w.a, w.b, w.c])).map((l) => l.tags)).toEqual([["auth"], ["old", "auth"], ["auth"]]);
    expect(await taggedIds(w.key, "keep")).toEqual([]);

    // A tag is text everywhere it shows (confirmation, hidden fields, undo page).
    const xss = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "addTag", bulk_tag: '<img src=x onerror=alert(1)>"', id: [w.d] });
    expect(xss.text).not.toContain("<img");
    expect(xss.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    await confirm(w.browser, xss, "sessions");
    expect((await labels(w.key, [w.d]))[0]!.tags).toEqual(['<img src=x onerror=alert(1)>"']);
    const undone = await w.browser.post("/sessions/undo", { _csrf: w.token });
    expect(undone.text).not.toContain("<img");
    expect((await labels(w.key, [w.d]))[0]!.tags).toEqual([]);
  });

  it("marks and unmarks through the confirmation, on ticked rows and on the Evals view", async () => {
    const w = await workspace("bulk-mark");
    const mark = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "ready", id: [w.a, w.d] });
    expect(text(mark.text)).toContain("Mark as eval-ready on 2 sessions (the 2 ticked sessions)");
    expect((await confirm(w.browser, mark, "sessions")).location).toBe("/sessions?done=marked&n=2");
    expect((await labels(w.key, [w.a, w.d])).map((l) => l.ready)).toEqual([true, true]);

    const un = await w.browser.post("/evals/bulk", { _csrf: w.token, op: "unready", all: "1", f_status: "golden" });
    expect(text(un.text)).toContain("on 1 session (every session in this filtered view: Evals · golden)");
    expect((await confirm(w.browser, un, "evals")).location).toBe("/evals?status=golden&done=unmarked&n=1");
    expect((await labels(w.key, [w.a, w.b, w.c, w.d])).map((l) => l.ready)).toEqual([true, true, false, true]);
    // Marking alone leaves reviewedAt as it was (as POST /api/evals/ready does).
    expect((await labels(w.key, [w.d]))[0]!.reviewedAt).toBeNull();
  });

  it("nothing ticked and not the whole view: a plain notice on both steps, nothing changed", async () => {
    const w = await workspace("bulk-none");
    const before = await labels(w.key, [w.a, w.b, w.c, w.d]);
    for (const path of ["/sessions/bulk", "/sessions/bulk/apply", "/evals/bulk"]) {
      const page = await w.browser.post(path, { _csrf: w.token, op: "unready", f_source: "alpha" });
      expect(page.status).toBe(200);
      expect(text(page.text)).toMatch(/Nothing was selected, so nothing was changed/);
    }
    // Another workspace's ids are not found: nothing to change.
    const other = await signedIn("bulk-none-other");
    const [theirs] = await batch(other.key, [sessionBody({ title: "Theirs" })]);
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "ready", id: [theirs!] });
    expect(text(page.text)).toContain("None of the selected sessions is in this workspace");
    const apply = await w.browser.post("/sessions/bulk/apply", { _csrf: w.token, op: "ready", id: [theirs!] });
    expect(apply.location).toBe("/sessions?done=marked&n=0");
    expect((await apiSession(other.key, theirs!)).body.evalReady).toBe(false);
    expect(await labels(w.key, [w.a, w.b, w.c, w.d])).toEqual(before);
  });

  it("a bad change is a 400 page and changes nothing: no tag typed, unknown status or action, over the tag limit", async () => {
    const w = await workspace("bulk-bad");
    const before = await labels(w.key, [w.a, w.b]);
    for (const fields of [
      { op: "addTag", bulk_tag: "  " },
      { op: "status", bulk_status: "great" },
      { op: "explode" },
      { op: "addTag", bulk_tag: "x".repeat(65) },
    ]) {
      const page = await w.browser.post("/sessions/bulk/apply", { _csrf: w.token, id: [w.a], ...fields });
      expect(page.status, JSON.stringify(fields)).toBe(400);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.text).toMatch(/Nothing was changed/);
    }
    const full = Array.from({ length: 64 }, (_, i) => `t${i}`);
    const [fat] = await batch(w.key, [sessionBody({ title: "Full", evalTags: full })]);
    const over = await w.browser.post("/sessions/bulk/apply", { _csrf: w.token, op: "addTag", bulk_tag: "one-more", id: [w.a, fat!] });
    expect(over.status).toBe(400);
    expect(over.text).toMatch(/more than 64 tags; nothing was changed/);
    expect(await labels(w.key, [w.a, w.b])).toEqual(before);
    expect((await apiSession(w.key, fat!)).body.evalTags).toEqual(full);
  });
});

describe("undo of the last bulk action", () => {
  it("restores the prior values (status, reviewedAt, reviewedBy) once; a session changed since is kept and counted", async () => {
    const w = await workspace("undo-status");
    const before = await labels(w.key, [w.a, w.b, w.c, w.d]);
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "status", bulk_status: "incorrect", all: "1", f_source: "alpha" });
    await confirm(w.browser, page, "sessions");
    expect((await labels(w.key, [w.a, w.b, w.c])).map((l) => l.status)).toEqual(["incorrect", "incorrect", "incorrect"]);
    // The list offers the undo of that action, on both views.
    for (const view of ["sessions", "evals"]) {
      const list = await w.browser.get(`/${view}`);
      expect(list.text).toContain(`formaction="/${view}/undo"`);
      expect(text(list.text)).toContain("Set status to Incorrect");
    }

    // Someone else labels C after the bulk action: the undo must not overwrite that.
    const etag = (await apiSession(w.key, w.c)).etag!;
    expect((await call(`/api/sessions/${w.c}/eval`, { method: "PATCH", key: w.key, headers: { "if-match": etag }, json: { evalStatus: "correct" } })).status).toBe(200);

    const undo = await w.browser.post("/sessions/undo", { _csrf: w.token, f_source: "alpha" });
    expect(undo.status, undo.text).toBe(200);
    expect(text(undo.text)).toContain("Undone: Set status to Incorrect");
    expect(undo.text).toContain('data-undo-restored="2"');
    expect(undo.text).toContain('data-undo-kept="1"');
    expect(text(undo.text)).toContain("2 sessions are back as they were before. 1 was changed since (or deleted) and kept as it is.");
    expect(undo.text).toMatch(/<a href="\/sessions\?source=alpha">Back to the list<\/a>/);
    const after = await labels(w.key, [w.a, w.b, w.c, w.d]);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]!.status).toBe("correct");
    expect(after[3]).toEqual(before[3]);

    // Only once.
    const again = await w.browser.post("/sessions/undo", { _csrf: w.token });
    expect(text(again.text)).toContain("There is nothing to undo");
    expect((await labels(w.key, [w.a, w.b]))).toEqual([before[0], before[1]]);
  });

  it("restores tags and their index; marks undone from the old direct post; only the last action, by its id", async () => {
    const w = await workspace("undo-tags");
    const tag = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "removeTag", bulk_tag: "keep", id: [w.a, w.b] });
    await confirm(w.browser, tag, "sessions");
    expect(await taggedIds(w.key, "keep")).toEqual([]);
    const undo = await w.browser.post("/sessions/undo", { _csrf: w.token });
    expect(undo.text).toContain('data-undo-restored="2"');
    expect((await labels(w.key, [w.a, w.b])).map((l) => l.tags)).toEqual([["keep"], ["old", "keep"]]);
    expect(await taggedIds(w.key, "keep")).toEqual([w.a, w.b].sort());

    // The direct mark post keeps an undo too.
    expect((await w.browser.post("/sessions/mark", { _csrf: w.token, action: "ready", id: [w.a, w.d] })).location).toBe("/sessions?done=marked&n=2");
    // A stale Undo button (of an action that is no longer the last) undoes nothing.
    const stale = await w.browser.post("/sessions/undo", { _csrf: w.token, undo: "not-the-last-one" });
    expect(text(stale.text)).toContain("no longer your last bulk action");
    expect((await labels(w.key, [w.a, w.d])).map((l) => l.ready)).toEqual([true, true]);
    const un = await w.browser.post("/evals/undo", { _csrf: w.token });
    expect(un.text).toContain('data-undo-restored="2"');
    expect((await labels(w.key, [w.a, w.d])).map((l) => l.ready)).toEqual([false, false]);
  });

  it("another sign-in (same key) or another workspace cannot undo it", async () => {
    const w = await workspace("undo-who");
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "ready", id: [w.a] });
    await confirm(w.browser, page, "sessions");

    const k2 = await newKey("undo-who");
    const sameWorkspace = await signIn(k2.key);
    const other = await signedIn("undo-who-other");
    for (const b of [sameWorkspace, other.browser]) {
      const res = await b.post("/sessions/undo", { _csrf: await b.csrf() });
      expect(text(res.text)).toContain("There is nothing to undo");
    }
    expect((await apiSession(w.key, w.a)).body.evalReady).toBe(true);
    // The one who made it still can.
    expect((await w.browser.post("/sessions/undo", { _csrf: w.token })).text).toContain('data-undo-restored="1"');
    expect((await apiSession(w.key, w.a)).body.evalReady).toBe(false);
  });
});

describe("bulk actions: security", () => {
  it("a key without evals:write gets 403 pages for every bulk post, and sees the buttons disabled with the reason", async () => {
    const w = await workspace("bulk-scope");
    const ro = await signedIn("bulk-scope", ["sessions:read"]);
    const token = await ro.browser.csrf();
    for (const path of ["/sessions/bulk", "/sessions/bulk/apply", "/evals/bulk", "/evals/bulk/apply", "/sessions/undo", "/evals/undo"]) {
      expectForbiddenPage(await ro.browser.post(path, { _csrf: token, op: "ready", id: [w.a] }), /lacks the evals:write scope/);
    }
    expect((await apiSession(w.key, w.a)).body.evalReady).toBe(false);
    const list = await ro.browser.get("/sessions");
    expect(list.text).toMatch(/<button type="submit" formaction="\/sessions\/bulk" name="op" value="status" disabled="" aria-describedby="bulk-why-sessions">/);
    expect(text(list.text)).toContain("this API key lacks the evals:write scope, which is needed to mark and label sessions");
    const evals = await ro.browser.get("/evals");
    expect(evals.text).toMatch(/formaction="\/export\/confirm" disabled=""/);
    expect(text(evals.text)).toContain("lacks the export:read scope");
    expect(evals.text).not.toContain("Save as dataset");
  });

  it("a post without the CSRF token, or with another sign-in's, is refused and changes nothing", async () => {
    const w = await workspace("bulk-csrf");
    const other = await signedIn("bulk-csrf");
    const otherToken = await other.browser.csrf();
    const page = await w.browser.post("/sessions/bulk", { _csrf: w.token, op: "ready", id: [w.a] });
    await confirm(w.browser, page, "sessions");
    for (const _csrf of [undefined, "wrong", otherToken]) {
      for (const path of ["/sessions/bulk", "/sessions/bulk/apply", "/sessions/undo"]) {
        expectForbiddenPage(await w.browser.post(path, { _csrf, op: "status", bulk_status: "golden", id: [w.a, w.d] }), /CSRF check failed/);
      }
    }
    // A foreign origin with the right token too.
    expectForbiddenPage(await w.browser.post("/sessions/bulk/apply", { _csrf: w.token, op: "unready", id: [w.a] }, { origin: "https://evil.example" }), /CSRF/);
    expect((await labels(w.key, [w.a, w.d])).map((l) => [l.status, l.ready])).toEqual([["needs_review", true], ["needs_review", false]]);
    // The undo was not spent by the refused posts.
    expect((await w.browser.post("/sessions/undo", { _csrf: w.token })).text).toContain('data-undo-restored="1"');
  });

  it("not signed in: every bulk post goes to sign-in", async () => {
    const res = await call("/sessions/bulk/apply", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "op=ready&all=1", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?next=%2Fsessions%2Fbulk%2Fapply");
  });
});
