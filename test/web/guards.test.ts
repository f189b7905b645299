/** Scopes, workspaces and CSRF on every state-changing form: each refusal is a page that says why, and changes nothing. */
import { describe, expect, it } from "vitest";
import { call, ingest, sessionBody } from "../helpers";
import { apiSession, csrfOf, expectForbiddenPage, inputValue, newKey, signIn, signedIn, type FormFields } from "./_support";

/** A workspace with a full key, two sessions (one eval-ready, golden) and a browser signed in with that key. */
async function workspace(name: string) {
  const { key, browser } = await signedIn(name);
  const a = await ingest(key, sessionBody({ title: `${name} A` }));
  const b = await ingest(key, sessionBody({ title: `${name} B`, evalReady: true, evalStatus: "golden", evalTags: ["keep"] }));
  return { key, browser, a: a.id, b: b.id };
}

/** The eval fields and ETag of sessions, to compare before and after a refused post. */
async function snapshot(key: string, ids: string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const s = await apiSession(key, id);
      const { evalReady, evalStatus, evalNotes, evalTags, expectedOutput, reviewedAt } = s.body;
      return { id, etag: s.etag, evalReady, evalStatus, evalNotes, evalTags, expectedOutput, reviewedAt };
    }),
  );
}

describe("scopes", () => {
  it("a sessions:read-only key can look but not mark, unmark, label or export: 403 pages naming the scope", async () => {
    const ws = await workspace("scope-ro");
    const ro = await newKey("scope-ro", ["sessions:read"]);
    const b = await signIn(ro.key);
    expect((await b.get("/sessions")).status).toBe(200);
    expect((await b.get("/evals")).status).toBe(200);
    const review = await b.get(`/review/${ws.a}`);
    expect(review.status).toBe(200);
    const token = csrfOf(review.text);
    const etag = inputValue(review.text, "etag")!;
    const before = await snapshot(ws.key, [ws.a, ws.b]);

    expectForbiddenPage(await b.post("/sessions/mark", { _csrf: token, action: "ready", id: [ws.a] }), /evals:write/);
    expectForbiddenPage(await b.post("/sessions/mark", { _csrf: token, action: "ready", all: "1" }), /evals:write/);
    expectForbiddenPage(await b.post("/evals/mark", { _csrf: token, action: "unready", id: [ws.b] }), /evals:write/);
    const save = await b.post(`/review/${ws.a}`, { _csrf: token, etag, evalStatus: "golden", evalReady: "true", evalNotes: "x" });
    expectForbiddenPage(save, /evals:write/);
    expect(save.text).toMatch(/mark and label sessions/);
    expectForbiddenPage(await b.post("/export", { _csrf: token, format: "deepeval" }), /export:read/);

    expect(await snapshot(ws.key, [ws.a, ws.b])).toEqual(before);
  });

  it("a key without export:read gets a 403 page for POST /export, and no file", async () => {
    const ws = await workspace("scope-noexp");
    const k = await newKey("scope-noexp", ["sessions:read", "sessions:write", "evals:write"]);
    const b = await signIn(k.key);
    const token = await b.csrf("/evals");
    const res = await b.post("/export", { _csrf: token, format: "deepeval", id: [ws.b] });
    expectForbiddenPage(res, /lacks the export:read scope/);
    expect(res.text).toMatch(/export datasets/);
    expect(res.headers.get("content-disposition")).toBeNull();
    // Marking still works for this key.
    expect((await b.post("/sessions/mark", { _csrf: token, action: "ready", id: [ws.a] })).status).toBe(303);
    expect((await apiSession(ws.key, ws.a)).body.evalReady).toBe(true);
  });

  it("a key without sessions:read cannot open the views", async () => {
    const ws = await workspace("scope-noread");
    const k = await newKey("scope-noread", ["export:read"]);
    const b = await signIn(k.key);
    for (const path of ["/sessions", "/evals", `/review/${ws.a}`]) {
      const page = await b.get(path);
      expectForbiddenPage(page, /sessions:read/);
      expect(page.text).not.toContain("scope-noread A");
    }
    // The 403 page still lets the user sign out.
    expect((await b.get("/sessions")).text).toContain('action="/signout"');
  });
});

describe("workspaces", () => {
  it("another workspace's session is a 404 page on review, and cannot be saved, marked or exported", async () => {
    const mine = await workspace("ws-mine");
    const theirs = await workspace("ws-theirs");
    const before = await snapshot(theirs.key, [theirs.a, theirs.b]);
    const b = mine.browser;
    const token = await b.csrf();

    for (const path of [`/review/${theirs.a}`, `/review/${theirs.b}?view=evals`]) {
      const page = await b.get(path);
      expect(page.status).toBe(404);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.text).toMatch(/no such session in this workspace/i);
      expect(page.text).not.toContain("ws-theirs A");
      expect(page.text).not.toContain("ws-theirs B");
    }
    // Same answer as an id that does not exist at all.
    expect((await b.get("/review/01NOPE")).status).toBe(404);

    const etag = (await apiSession(theirs.key, theirs.a)).etag!;
    const save = await b.post(`/review/${theirs.a}`, { _csrf: token, etag, evalStatus: "incorrect", evalReady: "true", evalNotes: "mine" });
    expect(save.status).toBe(404);
    expect(save.headers.get("content-type")).toMatch(/^text\/html/);

    const mark = await b.post("/sessions/mark", { _csrf: token, action: "ready", id: [theirs.a] });
    expect(mark.status).toBe(303);
    expect(mark.location).toContain("n=0");
    const unmark = await b.post("/evals/mark", { _csrf: token, action: "unready", id: [theirs.b] });
    expect(unmark.location).toContain("n=0");

    const exp = await b.post("/export", { _csrf: token, format: "deepeval", id: [theirs.b] });
    expect(exp.status).toBe(200);
    expect(JSON.parse(exp.text)).toEqual([]);
    expect(exp.headers.get("x-export-sessions")).toBe("0");

    // Marking "all in the filtered view" only reaches this workspace.
    await b.post("/sessions/mark", { _csrf: token, action: "ready", all: "1" });
    expect(await snapshot(theirs.key, [theirs.a, theirs.b])).toEqual(before);
    expect((await apiSession(mine.key, mine.a)).body.evalReady).toBe(true);

    // The lists show only this workspace.
    const list = await b.get("/sessions");
    expect(list.text).toContain("ws-mine A");
    expect(list.text).not.toContain("ws-theirs");
  });
});

describe("CSRF", () => {
  /** Every state-changing form of a signed-in page, with valid fields apart from the CSRF token. */
  const forms = (ws: { a: string; b: string }, etag: string): [string, FormFields][] => [
    ["/sessions/mark", { action: "ready", id: [ws.a] }],
    ["/sessions/mark", { action: "ready", all: "1" }],
    ["/evals/mark", { action: "unready", id: [ws.b] }],
    ["/evals/mark", { action: "unready", all: "1" }],
    [`/review/${ws.a}`, { etag, evalStatus: "incorrect", evalReady: "true", evalTags: "csrf", evalNotes: "forged", expectedOutput: "forged" }],
    ["/export", { format: "deepeval" }],
    ["/signout", {}],
  ];

  it("a post without the token, with a wrong one, or with another session's token is refused with 403 and changes nothing", async () => {
    const ws = await workspace("csrf-1");
    const other = await signIn((await newKey("csrf-1")).key);
    const otherToken = await other.csrf();
    const token = await ws.browser.csrf();
    const etag = (await apiSession(ws.key, ws.a)).etag!;
    const before = await snapshot(ws.key, [ws.a, ws.b]);

    for (const [path, fields] of forms(ws, etag)) {
      for (const bad of [undefined, "", "wrong", token.slice(0, -1), otherToken]) {
        const res = await ws.browser.post(path, { ...fields, _csrf: bad });
        expectForbiddenPage(res, /CSRF check failed/);
        expect(res.headers.get("content-disposition"), path).toBeNull();
        expect(res.headers.get("set-cookie"), path).toBeNull();
      }
    }
    expect(await snapshot(ws.key, [ws.a, ws.b])).toEqual(before);
    // Still signed in (the refused sign-out did nothing).
    expect((await ws.browser.get("/sessions")).status).toBe(200);
  });

  it("the right token from a foreign Origin (or, without Origin, a foreign Referer) is refused too", async () => {
    const ws = await workspace("csrf-2");
    const token = await ws.browser.csrf();
    const etag = (await apiSession(ws.key, ws.a)).etag!;
    const before = await snapshot(ws.key, [ws.a, ws.b]);
    for (const [path, fields] of forms(ws, etag)) {
      for (const origin of ["https://evil.example", "http://localhost:8080", "https://localhost", "null"]) {
        expectForbiddenPage(await ws.browser.post(path, { ...fields, _csrf: token }, { origin }), /CSRF check failed/);
      }
      const viaReferer = await ws.browser.post(path, { ...fields, _csrf: token }, { origin: null, headers: { referer: "https://evil.example/page" } });
      expectForbiddenPage(viaReferer, /CSRF check failed/);
    }
    expect(await snapshot(ws.key, [ws.a, ws.b])).toEqual(before);
    expect((await ws.browser.get("/sessions")).status).toBe(200);
  });

  it("the same token from our own page is accepted (control)", async () => {
    const ws = await workspace("csrf-3");
    const token = await ws.browser.csrf();
    const res = await ws.browser.post("/sessions/mark", { _csrf: token, action: "ready", id: [ws.a] });
    expect(res.status).toBe(303);
    expect((await apiSession(ws.key, ws.a)).body.evalReady).toBe(true);
    // Without an Origin header but with our own Referer (older browsers) it is accepted as well.
    const res2 = await ws.browser.post("/sessions/mark", { _csrf: token, action: "unready", id: [ws.a] }, { origin: null, headers: { referer: "http://localhost/sessions" } });
    expect(res2.status).toBe(303);
    expect((await apiSession(ws.key, ws.a)).body.evalReady).toBe(false);
  });

  it("the token is per session: signing in again gives a new one", async () => {
    const { key } = await newKey("csrf-4");
    const t1 = await (await signIn(key)).csrf();
    const t2 = await (await signIn(key)).csrf();
    expect(t1).not.toBe(t2);
    expect(t1.length).toBeGreaterThanOrEqual(40);
  });

  it("a JSON or multipart post is held to the same rules", async () => {
    const ws = await workspace("csrf-5");
    const before = await snapshot(ws.key, [ws.a]);
    const cookie = `evalport_session=${ws.browser.cookies.get("evalport_session")}`;
    const json = await call("/sessions/mark", {
      method: "POST",
      headers: { cookie, origin: "http://localhost", "content-type": "application/json" },
      body: JSON.stringify({ action: "ready", id: [ws.a] }),
    });
    expect(json.status).toBe(403);
    const fd = new FormData();
    fd.set("action", "ready");
    fd.set("id", ws.a);
    const multipart = await call("/sessions/mark", { method: "POST", headers: { cookie, origin: "http://localhost" }, body: fd });
    expect(multipart.status).toBe(403);
    expect(await snapshot(ws.key, [ws.a])).toEqual(before);
  });
});
