/** The Sessions and Evals views: paging, filters, marking by ids and by "every session in this filtered view". */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { apiSession, rowIds, signedIn, type Browser } from "./_support";

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

const nextHref = (html: string) => {
  const m = /<a href="([^"]*)"[^>]*>Next page/.exec(html);
  return m ? m[1]!.replace(/&amp;/g, "&") : null;
};

describe("Sessions view", () => {
  it("pages through every session newest first, 50 a page, keeping the filters in the pager", async () => {
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
    expect(p1.text).not.toContain("« First page");
    const next = nextHref(p1.text);
    expect(next).toMatch(/^\?cursor=/);
    const p2 = await b.get(`/sessions${next}`);
    const ids2 = rowIds(p2.text);
    expect(ids2).toHaveLength(8);
    expect(nextHref(p2.text)).toBeNull();
    expect(p2.text).toContain("« First page");
    expect([...ids1, ...ids2]).toEqual(await apiOrder(key));

    // Filtered: the pager carries source=bulk.
    const f1 = await b.get("/sessions?source=bulk");
    const fnext = nextHref(f1.text)!;
    expect(fnext).toContain("source=bulk");
    const f2 = await b.get(`/sessions${fnext}`);
    expect([...rowIds(f1.text), ...rowIds(f2.text)]).toEqual([...bulk].reverse());
    // Links to review pages carry the view and its filters.
    expect(f1.text).toContain(`/review/${bulk[56]}?view=sessions&amp;source=bulk`);
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
    expect(page.text).toMatch(/<input[^>]*name="source"[^>]*value="opencode"/);
    expect(page.text).toMatch(/<option value="true" selected/);
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
    // Tags of each row are shown.
    expect(page.text).toContain('<span class="tag">sql</span>');
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
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
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
