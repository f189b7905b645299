/** The Sessions and Evals views: paging, filters, marking by ids and by "every session in this filtered view". */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { apiSession, Browser, expectForbiddenPage, rowIds, signedIn } from "./_support";

const T0 = Date.UTC(2025, 10, 1);

async function batch(key: string, bodies: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 100) {
    const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies.slice(i, i + 100) } });
    expect(res.status, await res.clone().text()).toBe(200);
    ids.push(...((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id));
  }
  return ids;
}

/** The API's own order (newest first) of a filtered list, for comparison. */
async function apiOrder(key: string, query = ""): Promise<string[]> {
  const res = await call(`/api/sessions?limit=200${query}`, { key });
  return ((await res.json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}

/** `evalReady` of each session, as the API lists it (one request for up to 200 sessions). */
async function evalReady(key: string, ids: string[]): Promise<boolean[]> {
  const res = await call("/api/sessions?limit=200", { key });
  const byId = new Map(((await res.json()) as { sessions: { id: string; evalReady: boolean }[] }).sessions.map((s) => [s.id, s.evalReady]));
  return ids.map((id) => {
    expect(byId.has(id), id).toBe(true);
    return byId.get(id)!;
  });
}

/** Follows a 303 from a form post and returns the page it lands on. */
async function follow(b: Browser, res: { status: number; location: string | null }) {
  expect(res.status).toBe(303);
  return b.get(res.location!);
}

const decode = (s: string) => s.replace(/&amp;/g, "&");
const relHref = (html: string, rel: "next" | "prev") => {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}"`).exec(html);
  return m ? decode(m[1]!) : null;
};
const nextHref = (html: string) => relHref(html, "next");

describe("Sessions view", () => {
  it("pages through every session newest first, 50 a page, with previous / next, 'Page N of M' and the total", async () => {
    const { key, browser: b } = await signedIn("list-paging");
    const bulk = await batch(
      key,
      Array.from({ length: 57 }, (_, i) => sessionBody({ title: `Bulk ${String(i).padStart(2, "0")}`, source: "bulk", createdAt: T0 + i * 60_000 })),
    );
    await batch(key, [sessionBody({ title: "Other one", source: "other", createdAt: T0 + 30 * 60_000 + 1 })]);

    const p1 = await b.get("/sessions");
    expect(p1.status).toBe(200);
    const ids1 = rowIds(p1.text);
    expect(ids1).toHaveLength(50);
    expect(p1.text).toContain("58 sessions match");
    expect(p1.text).toMatch(/Page 1 of 2/);
    expect(relHref(p1.text, "prev")).toBeNull();
    const next = nextHref(p1.text);
    expect(next).toBe("/sessions?page=2");
    const p2 = await b.get(next!);
    const ids2 = rowIds(p2.text);
    expect(ids2).toHaveLength(8);
    expect(p2.text).toMatch(/Page 2 of 2/);
    expect(nextHref(p2.text)).toBeNull();
    expect(relHref(p2.text, "prev")).toBe("/sessions");
    expect([...ids1, ...ids2]).toEqual(await apiOrder(key));

    // Page size: 25 a page, three pages, the same order; the pager keeps the size.
    const s1 = await b.get("/sessions?size=25");
    expect(rowIds(s1.text)).toEqual(ids1.slice(0, 25));
    expect(s1.text).toMatch(/Page 1 of 3/);
    expect(nextHref(s1.text)).toBe("/sessions?size=25&page=2");
    const s3 = await b.get("/sessions?size=25&page=3");
    expect(rowIds(s3.text)).toEqual([...ids1, ...ids2].slice(50));
    expect(relHref(s3.text, "prev")).toBe("/sessions?size=25&page=2");
    expect(s3.text).toMatch(/<option value="25" selected/);

    // Filtered: the pager and the total carry source=bulk.
    const f1 = await b.get("/sessions?source=bulk");
    expect(f1.text).toContain("57 sessions match");
    const fnext = nextHref(f1.text)!;
    expect(fnext).toBe("/sessions?source=bulk&page=2");
    const f2 = await b.get(fnext);
    expect([...rowIds(f1.text), ...rowIds(f2.text)]).toEqual([...bulk].reverse());
    // Links to review pages carry the view, its filters and the page.
    expect(f1.text).toContain(`/review/${bulk[56]}?view=sessions&amp;source=bulk"`);
    expect(f2.text).toContain(`/review/${bulk[0]}?view=sessions&amp;source=bulk&amp;page=2"`);
  });

  it("invalid sort, direction, size or page fall back to the defaults (never a 500); a page past the last shows the last", async () => {
    const { key, browser: b } = await signedIn("list-bad-state");
    await batch(key, Array.from({ length: 30 }, (_, i) => sessionBody({ title: `S ${i}`, createdAt: T0 + i })));
    const normal = rowIds((await b.get("/sessions")).text);
    for (const q of ["?sort=foo", "?dir=sideways", "?size=7", "?size=-1", "?page=-1", "?page=0", "?page=abc", "?page=1.5", "?sort=foo&dir=up&size=7&page=-1", "?size=50&size=25", "?sort[]=x"]) {
      const page = await b.get(`/sessions${q}`);
      expect(page.status, q).toBe(200);
      expect(rowIds(page.text), q).toEqual(normal);
      expect(page.text, q).toMatch(/Page 1 of 1/);
    }
    const past = await b.get("/sessions?size=25&page=99");
    expect(past.status).toBe(200);
    expect(past.text).toMatch(/Page 2 of 2/);
    expect(rowIds(past.text)).toEqual(normal.slice(25));
    expect(relHref(past.text, "prev")).toBe("/sessions?size=25");
    // The same fallback in the Evals view and in a bulk form's f_* fields.
    expect((await b.get("/evals?sort=foo&size=3&page=-4")).status).toBe(200);
  });

  it("sorts by each column both ways, with aria-sort on the active header and header links that toggle", async () => {
    const { key, browser: b } = await signedIn("list-sort");
    const [a, bb, c, d] = await batch(key, [
      sessionBody({ title: "banana", cost: 0.5, totalTokens: 10, createdAt: T0 + 1, messages: [{ role: "user", content: "x" }] }),
      sessionBody({ title: "Apple", cost: 2, totalTokens: 300, createdAt: T0 + 2 }),
      sessionBody({ title: "cherry", cost: null, totalTokens: null, createdAt: T0 + 3, messages: [{ role: "user", content: "x" }, { role: "assistant", content: "y" }] }),
      sessionBody({ title: "date", cost: 1, totalTokens: 20, createdAt: T0 + 4 }),
    ]);
    const ids = async (q: string) => rowIds((await b.get(`/sessions${q}`)).text);
    expect(await ids("")).toEqual([d, c, bb, a]);
    expect(await ids("?sort=created&dir=asc")).toEqual([a, bb, c, d]);
    // Titles A→Z ignoring case by default; a session without cost sorts as the lowest.
    expect(await ids("?sort=title")).toEqual([bb, a, c, d]);
    expect(await ids("?sort=title&dir=desc")).toEqual([d, c, a, bb]);
    expect(await ids("?sort=cost")).toEqual([bb, d, a, c]);
    expect(await ids("?sort=cost&dir=asc")).toEqual([c, a, d, bb]);
    expect(await ids("?sort=tokens")).toEqual([bb, d, a, c]);
    // Equal keys (bb and d have as many messages) fall back to the id, in the same direction. Ids made in one
    // millisecond are not ordered by creation, so the expectation orders the two by id.
    const tied = [bb, d].sort();
    expect(await ids("?sort=messages")).toEqual([...[...tied].reverse(), c, a]);
    expect(await ids("?sort=messages&dir=asc")).toEqual([a, c, ...tied]);

    const page = await b.get("/sessions?sort=cost&source=claude-code");
    expect(page.text).toMatch(/<th[^>]*aria-sort="descending"[^>]*><a href="[^"]*"[^>]*>Cost/);
    expect([...page.text.matchAll(/aria-sort=/g)]).toHaveLength(1);
    // The active column flips; another starts at its default (title A→Z, numbers largest first); filters stay.
    expect(page.text).toContain('href="/sessions?source=claude-code&amp;sort=cost&amp;dir=asc"');
    expect(page.text).toContain('href="/sessions?source=claude-code&amp;sort=title"');
    expect(page.text).toContain('href="/sessions?source=claude-code"'); // created, newest first: the default
    // Sort and size ride along in the filter form, so filtering keeps them (and starts at page 1).
    const withSize = await b.get("/sessions?sort=cost&size=25&page=2");
    expect(withSize.text).toMatch(/<input type="hidden" name="sort" value="cost"/);
    expect(withSize.text).toMatch(/<input type="hidden" name="size" value="25"/);
    expect(withSize.text).not.toMatch(/<input type="hidden" name="page"/);
  });

  it("filters by source, model, title and eval-ready, and shows the filters it applied", async () => {
    const { key, browser: b } = await signedIn("list-filters");
    const [a, bb, c, d] = await batch(key, [
      sessionBody({ title: "Fix the login redirect", source: "claude-code", model: "m-1", createdAt: T0 + 1 }),
      sessionBody({ title: "Docker build is slow", source: "opencode", model: "m-2", createdAt: T0 + 2, evalReady: true }),
      sessionBody({ title: "Add 100% coverage_now", source: "opencode", model: "m-1", createdAt: T0 + 3 }),
      sessionBody({ title: "Login page styles", source: "cursor", model: "m-3", createdAt: T0 + 4, evalReady: true }),
    ]);
    const ids = async (q: string) => rowIds((await b.get(`/sessions${q}`)).text);
    expect(await ids("")).toEqual([d, c, bb, a]);
    expect(await ids("?source=opencode")).toEqual([c, bb]);
    expect(await ids("?model=m-1")).toEqual([c, a]);
    expect(await ids("?q=login")).toEqual([d, a]);
    expect(await ids("?q=100%25")).toEqual([c]);
    expect(await ids("?q=r_b")).toEqual([]); // `_` is literal, not a wildcard ("Docker build" has "r b")
    expect(await ids("?ready=true")).toEqual([d, bb]);
    expect(await ids("?ready=false")).toEqual([c, a]);
    expect(await ids("?source=opencode&ready=false&q=")).toEqual([c]);
    expect(await ids("?source=nope")).toEqual([]);

    const page = await b.get("/sessions?source=opencode&q=Docker&ready=true");
    expect(page.text).toMatch(/<input[^>]*name="q"[^>]*value="Docker"/);
    expect(page.text).toMatch(/<select name="source">(?:(?!<\/select>).)*<option value="opencode" selected/s);
    expect(page.text).toMatch(/<select name="ready">(?:(?!<\/select>).)*<option value="true" selected/s);
    // The selection form carries the filters along for "every session in this filtered view".
    expect(page.text).toContain('name="f_source" value="opencode"');
    expect(page.text).toContain('name="f_q" value="Docker"');
    expect(page.text).toContain('name="f_ready" value="true"');

    const empty = await b.get("/sessions?source=nope");
    expect(empty.text).toMatch(/No sessions match/);

    const bad = await b.get("/sessions?ready=maybe");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
    expect(bad.text).toMatch(/filters is not valid/);
  });

  it("searches message content too, filters by status, tags and reviewed, and offers only this workspace's sources, models and tags", async () => {
    const { key, browser: b } = await signedIn("list-filters-more");
    const other = await signedIn("list-filters-other");
    await batch(other.key, [sessionBody({ source: "secret-tool", model: "secret-model", evalTags: ["secret-tag"], createdAt: T0 })]);
    const [a, bb, c, d] = await batch(key, [
      sessionBody({ title: "One", source: "codex", model: "gpt-x", createdAt: T0 + 1, messages: [{ role: "user", content: "the kubernetes pod keeps crashing" }] }),
      sessionBody({ title: "Two", source: "Codex", model: "gpt-x", createdAt: T0 + 2, evalReady: true, evalStatus: "golden", evalTags: ["infra", "k8s"] }),
      sessionBody({ title: "Three", source: "claude-code", model: "sonnet", createdAt: T0 + 3, evalStatus: "incorrect", evalTags: ["infra"] }),
      sessionBody({ title: "Four kubernetes", source: "claude-code", model: "sonnet", createdAt: T0 + 4 }),
    ]);
    const ids = async (q: string) => rowIds((await b.get(`/sessions${q}`)).text);
    // Full text: a word in a message or in the title; every word must match somewhere in the session.
    expect(await ids("?q=kubernetes")).toEqual([d, a]);
    expect(await ids("?q=kubernetes+crashing")).toEqual([a]);
    expect(await ids("?q=%22pod+keeps%22")).toEqual([a]);
    expect(await ids("?status=golden")).toEqual([bb]);
    expect(await ids("?status=golden&status=incorrect")).toEqual([c, bb]);
    expect(await ids("?status=needs_review")).toEqual([d, a]);
    expect(await ids("?tag=infra")).toEqual([c, bb]);
    expect(await ids("?tag=infra&tag=k8s")).toEqual([bb]);
    expect(await ids("?tag=infra&tag=")).toEqual([c, bb]); // the empty "another tag" field means nothing
    expect(await ids("?reviewed=true")).toEqual([c, bb]);
    expect(await ids("?reviewed=false")).toEqual([d, a]);
    // Source is an exact choice: "Codex" and "codex" are two values, each its own choice.
    expect(await ids("?source=codex")).toEqual([a]);
    expect(await ids("?source=Codex")).toEqual([bb]);
    expect(await ids("?model=sonnet&tag=infra&reviewed=true")).toEqual([c]);

    const page = await b.get("/sessions?tag=infra&status=incorrect&reviewed=true&q=Three");
    expect(page.text).toContain("1 session matches");
    const select = (name: string) => new RegExp(`<select name="${name}">((?:(?!</select>).)*)</select>`, "s").exec(page.text)![1]!;
    const options = (name: string) => [...select(name).matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options("source")).toEqual(["", "Codex", "claude-code", "codex"]);
    expect(options("model")).toEqual(["", "gpt-x", "sonnet"]);
    const datalist = /<datalist id="tag-choices">(.*?)<\/datalist>/s.exec(page.text)![1]!;
    expect([...datalist.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(["infra", "k8s"]);
    expect(page.text).not.toContain("secret-");
    // The form shows what is applied; the tag fields are one per tag plus an empty one.
    expect(page.text).toMatch(/<input type="checkbox" name="status" value="incorrect" checked/);
    expect(page.text).toMatch(/<input type="text" name="tag" value="infra"/);
    expect(page.text).toMatch(/<select name="reviewed">(?:(?!<\/select>).)*<option value="true" selected/s);
    for (const f of ['name="f_tag" value="infra"', 'name="f_status" value="incorrect"', 'name="f_reviewed" value="true"', 'name="f_q" value="Three"']) expect(page.text).toContain(f);

    // A value that is no longer stored stays selectable, so the form still says what the address filters by.
    const gone = await b.get("/sessions?source=retired");
    expect(gone.text).toMatch(/<option value="retired" selected/);
    expect(gone.text).toContain("0 sessions match");

    // A search with nothing searchable is a plain-words 400 page, not an empty list.
    const bad = await b.get("/sessions?q=%22%22");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
    expect(bad.text).toMatch(/at least one word/);
    expect((await b.get("/sessions?reviewed=maybe")).status).toBe(400);
    expect((await b.get("/sessions?status=bogus")).status).toBe(400);
  });

  it("redirects to sign-in when signed out, coming back to the same filtered page; a key without sessions:read gets a 403 page", async () => {
    const anon = new Browser();
    for (const path of ["/sessions?q=login&page=2", "/evals?status=golden&sort=cost"]) {
      const res = await anon.get(path);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`/?next=${encodeURIComponent(path)}`);
    }
    const { browser } = await signedIn("list-scope", ["export:read"]);
    expectForbiddenPage(await browser.get("/sessions"), /sessions:read/);
    expectForbiddenPage(await browser.get("/evals"), /sessions:read/);
  });

  it("marks and unmarks the ticked rows", async () => {
    const { key, browser: b } = await signedIn("list-mark-ids");
    const [a, bb, c] = await batch(key, [sessionBody({ createdAt: T0 + 1 }), sessionBody({ createdAt: T0 + 2 }), sessionBody({ createdAt: T0 + 3 })]);
    const token = await b.csrf();

    const res = await b.post("/sessions/mark", { _csrf: token, action: "ready", id: [a!, c!] });
    expect(res.location).toBe("/sessions?done=marked&n=2");
    const landed = await follow(b, res);
    expect(landed.text).toContain("2 sessions: Marked as eval-ready.");
    expect(await evalReady(key, [a!, bb!, c!])).toEqual([true, false, true]);
    // Marking is not a label change.
    expect((await apiSession(key, a!)).body.reviewedAt).toBeNull();

    const un = await b.post("/sessions/mark", { _csrf: token, action: "unready", id: [c!] });
    expect((await follow(b, un)).text).toContain("1 session: Removed from the evals.");
    expect(await evalReady(key, [a!, bb!, c!])).toEqual([true, false, false]);

    // Nothing ticked: nothing changes, and the page says so.
    const none = await b.post("/sessions/mark", { _csrf: token, action: "ready" });
    expect(none.location).toBe("/sessions?done=none");
    expect((await follow(b, none)).text).toMatch(/Nothing was selected/);
    expect(await evalReady(key, [a!, bb!, c!])).toEqual([true, false, false]);

    // Unknown ids are ignored; duplicates count once.
    const dup = await b.post("/sessions/mark", { _csrf: token, action: "ready", id: [bb!, bb!, "nope"] });
    expect(dup.location).toBe("/sessions?done=marked&n=1");
  });

  it("marks and unmarks every session in the filtered view (also beyond the first page), and only those", async () => {
    const { key, browser: b } = await signedIn("list-mark-all");
    const many = await batch(key, Array.from({ length: 60 }, (_, i) => sessionBody({ source: "opencode", title: `Open ${i}`, createdAt: T0 + i })));
    const others = await batch(key, [sessionBody({ source: "claude-code", createdAt: T0 + 100 }), sessionBody({ source: "cursor", createdAt: T0 + 101 })]);
    const token = await b.csrf();

    const res = await b.post("/sessions/mark", { _csrf: token, action: "ready", all: "1", f_source: "opencode" });
    expect(res.status, res.text).toBe(303);
    expect(res.location).toBe("/sessions?source=opencode&done=marked&n=60");
    expect(await evalReady(key, many)).toEqual(many.map(() => true));
    expect(await evalReady(key, others)).toEqual([false, false]);

    // "All" wins over ticked rows of another filter: the filter decides.
    const un = await b.post("/sessions/mark", { _csrf: token, action: "unready", all: "1", f_q: "Open 1", id: [others[0]!] });
    // Full-text search matches words: "Open 1" is the session titled exactly so, not "Open 10".
    expect(un.location).toBe("/sessions?q=Open+1&done=unmarked&n=1");
    const stillReady = await evalReady(key, many);
    expect(stillReady.filter((r) => !r)).toHaveLength(1);
    expect(stillReady[1]).toBe(false);
    expect(stillReady[10]).toBe(true);
    expect(stillReady[2]).toBe(true);

    // Filters on eval-ready: unmark everything that is ready.
    const all = await b.post("/sessions/mark", { _csrf: token, action: "unready", all: "1", f_ready: "true" });
    expect(all.location).toBe("/sessions?ready=true&done=unmarked&n=59");
    expect((await evalReady(key, [...many, ...others])).every((r) => !r)).toBe(true);
  });
});

describe("Evals view", () => {
  async function evalsWorkspace(name: string) {
    const { key, browser } = await signedIn(name);
    const [g1, g2, c1, i1, n1, notReady] = await batch(key, [
      sessionBody({ title: "G1", createdAt: T0 + 1, evalReady: true, evalStatus: "golden", evalTags: ["auth", "debugging"] }),
      sessionBody({ title: "G2", createdAt: T0 + 2, evalReady: true, evalStatus: "golden", evalTags: ["auth"] }),
      sessionBody({ title: "C1", createdAt: T0 + 3, evalReady: true, evalStatus: "correct", evalTags: ["sql", "auth"] }),
      sessionBody({ title: "I1", createdAt: T0 + 4, evalReady: true, evalStatus: "incorrect" }),
      sessionBody({ title: "N1", createdAt: T0 + 5, evalReady: true }),
      sessionBody({ title: "Not ready", createdAt: T0 + 6, evalStatus: "golden", evalTags: ["auth"] }),
    ]);
    return { key, browser, g1: g1!, g2: g2!, c1: c1!, i1: i1!, n1: n1!, notReady: notReady! };
  }

  it("lists only eval-ready sessions, filtered by status (any of) and tags (all of)", async () => {
    const w = await evalsWorkspace("evals-filters");
    const ids = async (q: string) => rowIds((await w.browser.get(`/evals${q}`)).text);
    expect(await ids("")).toEqual([w.n1, w.i1, w.c1, w.g2, w.g1]);
    expect(await ids("?status=golden")).toEqual([w.g2, w.g1]);
    expect(await ids("?status=golden&status=correct")).toEqual([w.c1, w.g2, w.g1]);
    expect(await ids("?status=needs_review")).toEqual([w.n1]);
    expect(await ids("?tag=auth")).toEqual([w.c1, w.g2, w.g1]);
    expect(await ids("?tag=auth&tag=debugging")).toEqual([w.g1]);
    // A comma is part of a tag, never a separator (issue 10, defect 6).
    expect(await ids("?tag=auth%2C+debugging")).toEqual([]);
    expect(await ids("?tag=auth&status=correct")).toEqual([w.c1]);
    expect(await ids("?tag=nope")).toEqual([]);

    const page = await w.browser.get("/evals?status=golden&status=correct&tag=auth");
    expect(page.text).toMatch(/<input[^>]*name="status"[^>]*value="golden"[^>]*checked/);
    expect(page.text).toMatch(/<input[^>]*name="status"[^>]*value="correct"[^>]*checked/);
    expect(page.text).not.toMatch(/<input[^>]*name="status"[^>]*value="incorrect"[^>]*checked/);
    expect(page.text).toContain('name="f_status" value="golden"');
    expect(page.text).toContain('name="f_tag" value="auth"');
    // Tags of each row are shown, each a link to the view narrowed to it.
    expect(page.text).toMatch(/<a class="tag" href="\/evals\?status=golden&amp;status=correct&amp;tag=auth&amp;tag=sql"[^>]*>sql<\/a>/);
    // Review links carry the evals view and filters.
    expect(page.text).toContain(`/review/${w.c1}?view=evals&amp;status=golden&amp;status=correct&amp;tag=auth`);

    expect((await w.browser.get("/evals?status=bogus")).status).toBe(400);
  });

  it("shows counts per status and the top tags as an inline SVG chart", async () => {
    const w = await evalsWorkspace("evals-chart");
    const page = await w.browser.get("/evals");
    const svgs = [...page.text.matchAll(/<svg\b[^>]*aria-label="([^"]*)"[^>]*>/g)].map((m) => m[1]);
    expect(svgs).toHaveLength(2);
    expect(svgs[0]).toBe("Status (5 eval-ready): Golden 2, Correct 1, Incorrect 1, Needs review 1");
    expect(svgs[1]).toBe("Top tags: auth 3, debugging 1, sql 1");
    // A group of links (one per bar), not a flat image.
    expect(page.text).toMatch(/<svg[^>]*role="group"/);
    expect(page.text).toContain('<a href="/evals?status=golden" class="bar" aria-label="Golden: 2 sessions">');
    expect(page.text).toContain("Status (5 eval-ready)");
  });

  it("unmarks from the Evals view, by ids and by the whole filtered view", async () => {
    const w = await evalsWorkspace("evals-unmark");
    const token = await w.browser.csrf("/evals");
    const res = await w.browser.post("/evals/mark", { _csrf: token, action: "unready", id: [w.i1] });
    expect(res.location).toBe("/evals?done=unmarked&n=1");
    expect(rowIds((await follow(w.browser, res)).text)).toEqual([w.n1, w.c1, w.g2, w.g1]);

    const all = await w.browser.post("/evals/mark", { _csrf: token, action: "unready", all: "1", f_status: "golden" });
    expect(all.location).toBe("/evals?status=golden&done=unmarked&n=2");
    expect(await evalReady(w.key, [w.g1, w.g2, w.c1, w.n1, w.notReady])).toEqual([false, false, true, true, false]);
    // Labels stay as they were.
    expect((await apiSession(w.key, w.g1)).body.evalStatus).toBe("golden");
  });

  it("says so when nothing is eval-ready yet", async () => {
    const { browser } = await signedIn("evals-empty");
    const page = await browser.get("/evals");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/No eval-ready sessions match/);
    expect(page.text).toContain("Status (0 eval-ready)");
  });
});
