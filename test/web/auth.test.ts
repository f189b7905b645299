import { describe, expect, it } from "vitest";
import { call, ingest } from "../helpers";
import { ADMIN_TOKEN, Browser, csrfOf, newKey, parseSetCookie, signIn, signedIn } from "./_support";

const SESSION = "evalport_session";
const SIGNIN = "evalport_signin";

const cookieNamed = (setCookies: string[], name: string) => setCookies.map(parseSetCookie).find((c) => c.name === name);

describe("signed out", () => {
  it("every page redirects to sign-in with the page to return to: GET with 302, POST with 303", async () => {
    const { key } = await newKey("auth-out");
    const { id } = await ingest(key);
    const b = new Browser();
    for (const path of ["/sessions", "/evals", `/review/${id}`, "/sessions?source=x", `/review/${id}?view=evals&status=golden`]) {
      const page = await b.get(path);
      expect(page.status, path).toBe(302);
      expect(page.location, path).toBe(`/?next=${encodeURIComponent(path)}`);
    }
    for (const path of ["/signout", "/sessions/mark", "/evals/mark", `/review/${id}`, "/export"]) {
      const page = await b.post(path, { _csrf: "x", id, action: "ready" });
      expect(page.status, path).toBe(303);
      expect(page.location, path).toMatch(/^\/(\?next=.*)?$/);
    }
  });

  it("an unknown or malformed session cookie counts as signed out, and is cleared", async () => {
    for (const value of ["nope", "a".repeat(43), "x".repeat(500)]) {
      const b = new Browser();
      b.cookies.set(SESSION, value);
      const page = await b.get("/sessions");
      expect(page.status).toBe(302);
      expect(page.location).toBe("/?next=%2Fsessions");
      const cleared = cookieNamed(page.setCookies, SESSION);
      expect(cleared?.attrs["max-age"]).toBe("0");
    }
  });

  it("the sign-in page is a form with a CSRF token, and sets the pre-sign-in cookie", async () => {
    const b = new Browser();
    const page = await b.get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('action="/signin"');
    expect(page.text).toMatch(/<input[^>]*type="password"[^>]*name="key"/);
    expect(page.text).toMatch(/<label>\s*API key/);
    const token = csrfOf(page.text);
    const c = cookieNamed(page.setCookies, SIGNIN)!;
    expect(c.value).toBe(token);
    expect(c.attrs.httponly).toBe(true);
    expect(String(c.attrs.samesite).toLowerCase()).toBe("strict");
    expect(c.attrs.secure).toBeUndefined();
  });
});

describe("sign-in", () => {
  it("a good key starts a session: cookie HttpOnly, SameSite=Strict, Path=/, not Secure on localhost", async () => {
    const { key } = await newKey("auth-in");
    const b = new Browser();
    const form = await b.get("/");
    const res = await b.post("/signin", { _csrf: csrfOf(form.text), key });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/sessions");
    const c = cookieNamed(res.setCookies, SESSION)!;
    expect(c).toBeDefined();
    expect(c.value.length).toBeGreaterThanOrEqual(40);
    expect(c.attrs.httponly).toBe(true);
    expect(String(c.attrs.samesite).toLowerCase()).toBe("strict");
    expect(c.attrs.path).toBe("/");
    expect(c.attrs.secure).toBeUndefined();
    expect(Number(c.attrs["max-age"])).toBeGreaterThan(0);
    // The pre-sign-in CSRF cookie is spent.
    expect(cookieNamed(res.setCookies, SIGNIN)?.attrs["max-age"]).toBe("0");
    const sessions = await b.get("/sessions");
    expect(sessions.status).toBe(200);
    expect(sessions.text).toContain("auth-in");
    // Signed in, the sign-in page sends you on.
    const again = await b.get("/");
    expect(again.status).toBe(302);
    expect(again.location).toBe("/sessions");
  });

  it("on https://example.com both cookies are Secure", async () => {
    const { key } = await newKey("auth-https");
    const b = new Browser("https://example.com");
    const form = await b.get("/");
    expect(cookieNamed(form.setCookies, SIGNIN)!.attrs.secure).toBe(true);
    const res = await b.post("/signin", { _csrf: csrfOf(form.text), key });
    expect(res.status, res.text).toBe(303);
    const c = cookieNamed(res.setCookies, SESSION)!;
    expect(c.attrs.secure).toBe(true);
    expect(c.attrs.httponly).toBe(true);
    expect(String(c.attrs.samesite).toLowerCase()).toBe("strict");
    expect((await b.get("/sessions")).status).toBe(200);
  });

  it("a bad key answers a 401 page, sets no session, and does not echo the key", async () => {
    const { key: good } = await newKey("auth-bad");
    const b = new Browser();
    const attempts = ["osk_" + "Z".repeat(40), good.slice(0, -1) + (good.endsWith("a") ? "b" : "a"), "", "not-a-key"];
    for (const key of attempts) {
      const form = await b.get("/");
      const res = await b.post("/signin", { _csrf: csrfOf(form.text), key });
      expect(res.status, key).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.text).toMatch(/not valid/i);
      if (key) expect(res.text).not.toContain(key);
      expect(cookieNamed(res.setCookies, SESSION)).toBeUndefined();
      // A fresh CSRF token for the retry.
      expect(cookieNamed(res.setCookies, SIGNIN)?.value).toBe(csrfOf(res.text));
    }
    expect(b.cookies.has(SESSION)).toBe(false);
  });

  it("a revoked key cannot sign in", async () => {
    const k = await newKey("auth-revoked-in");
    expect((await call(`/api/admin/keys/${k.id}`, { method: "DELETE", key: ADMIN_TOKEN })).status).toBe(200);
    const b = new Browser();
    const form = await b.get("/");
    expect((await b.post("/signin", { _csrf: csrfOf(form.text), key: k.key })).status).toBe(401);
  });

  it("the sign-in form without its CSRF cookie, with a wrong token, or from another origin answers 403", async () => {
    const { key } = await newKey("auth-csrf");
    // No cookie at all (a cross-site post would not carry the SameSite=Strict cookie).
    const noCookie = await new Browser().post("/signin", { _csrf: "anything", key });
    expect(noCookie.status).toBe(403);
    expect(noCookie.text).toMatch(/expired or was not sent from this site/);
    expect(cookieNamed(noCookie.setCookies, SESSION)).toBeUndefined();

    // The cookie, but a token that does not match it, or none.
    const b = new Browser();
    const form = await b.get("/");
    const token = csrfOf(form.text);
    for (const fields of [{ _csrf: token + "x", key }, { key }, { _csrf: "", key }]) {
      const res = await b.post("/signin", fields);
      expect(res.status).toBe(403);
      expect(cookieNamed(res.setCookies, SESSION)).toBeUndefined();
    }

    // The right cookie and token, from a foreign page.
    const c = new Browser();
    const f2 = await c.get("/");
    const foreign = await c.post("/signin", { _csrf: csrfOf(f2.text), key }, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(cookieNamed(foreign.setCookies, SESSION)).toBeUndefined();
    expect(c.cookies.has(SESSION)).toBe(false);

    // A forged token copied from a different browser's form does not match this browser's cookie.
    const d = new Browser();
    await d.get("/");
    expect((await d.post("/signin", { _csrf: token, key })).status).toBe(403);
  });
});

describe("the key stays secret", () => {
  it("never appears in a page, a redirect or a Set-Cookie, in any flow", async () => {
    const k = await newKey("auth-secret");
    const { id } = await ingest(k.key);
    const b = await signIn(k.key);
    const token = await b.csrf();
    await b.get("/sessions");
    await b.get("/sessions?q=Fix");
    await b.get("/evals");
    await b.get(`/review/${id}`);
    await b.get(`/review/${id}?view=evals`);
    await b.get("/review/nope");
    await b.post("/sessions/mark", { _csrf: token, action: "ready", id });
    await b.post("/sessions/mark", { _csrf: "wrong", action: "ready", id });
    await b.post("/export", { _csrf: token, format: "text" });
    await b.post(`/review/${id}`, { _csrf: token, etag: '"v0"', evalStatus: "golden" });
    await b.post("/signout", { _csrf: token });
    await b.get("/sessions");
    // A failed sign-in with this very key typed wrongly does not echo it either.
    const form = await b.get("/");
    await b.post("/signin", { _csrf: csrfOf(form.text), key: k.key + "x" });

    expect(b.seen.length).toBeGreaterThan(10);
    const secret = k.key.slice("osk_".length);
    for (const page of b.seen) {
      expect(page.text).not.toContain(secret);
      for (const h of page.setCookies) expect(h).not.toContain(secret);
      expect(page.location ?? "").not.toContain(secret);
    }
    // Nor is the cookie the key.
    expect([...b.cookies.values()].join(" ")).not.toContain(secret);
  });
});

describe("ending a session", () => {
  it("sign out deletes the session: the old cookie no longer works", async () => {
    const { browser: b } = await signedIn("auth-out2");
    const oldCookie = b.cookies.get(SESSION)!;
    const token = await b.csrf();
    const res = await b.post("/signout", { _csrf: token });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/");
    expect(cookieNamed(res.setCookies, SESSION)?.attrs["max-age"]).toBe("0");
    expect(b.cookies.has(SESSION)).toBe(false);
    expect((await b.get("/sessions")).status).toBe(302);

    // Replaying the old cookie (as if the browser had kept it) is signed out too: the server record is gone.
    const replay = new Browser();
    replay.cookies.set(SESSION, oldCookie);
    const page = await replay.get("/sessions");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/?next=%2Fsessions");
    expect((await replay.post("/sessions/mark", { _csrf: token, action: "ready", id: "x" })).status).toBe(303);
  });

  it("sign out needs the CSRF token: without it the session stays", async () => {
    const { browser: b } = await signedIn("auth-out3");
    const token = await b.csrf();
    expect((await b.post("/signout", {})).status).toBe(403);
    expect((await b.post("/signout", { _csrf: "nope" })).status).toBe(403);
    expect((await b.post("/signout", { _csrf: token }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await b.get("/sessions")).status).toBe(200);
  });

  it("revoking the key ends its web sessions on the next request", async () => {
    const k = await newKey("auth-revoke");
    const b1 = await signIn(k.key);
    const b2 = await signIn(k.key);
    const token = await b1.csrf();
    expect((await b2.get("/evals")).status).toBe(200);

    const del = await call(`/api/admin/keys/${k.id}`, { method: "DELETE", key: ADMIN_TOKEN });
    expect(del.status).toBe(200);

    const page = await b1.get("/sessions");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/?next=%2Fsessions");
    expect(b1.cookies.has(SESSION)).toBe(false);
    const post = await b2.post("/sessions/mark", { _csrf: token, action: "ready", all: "1" });
    expect(post.status).toBe(303);
    expect(post.location).toBe("/?next=%2Fsessions%2Fmark");
  });

  it("revoking one key leaves sessions of other keys alone", async () => {
    const a = await newKey("auth-revoke2");
    const b = await newKey("auth-revoke2");
    const ba = await signIn(a.key);
    const bb = await signIn(b.key);
    expect((await call(`/api/admin/keys/${a.id}`, { method: "DELETE", key: ADMIN_TOKEN })).status).toBe(200);
    expect((await ba.get("/sessions")).status).toBe(302);
    expect((await bb.get("/sessions")).status).toBe(200);
  });
});

describe("Content-Security-Policy and page hygiene", () => {
  it("every page sends a strict CSP without 'unsafe-inline', and has no inline script or style", async () => {
    const k = await newKey("auth-csp");
    const { id } = await ingest(k.key);
    const b = await signIn(k.key);
    const token = await b.csrf();
    const pages = [
      await new Browser().get("/"),
      await b.get("/sessions"),
      await b.get("/evals"),
      await b.get(`/review/${id}`),
      await b.get("/review/unknown-id"), // 404 page
      await b.post("/sessions/mark", { _csrf: "bad", id }), // 403 page
      await b.post(`/review/${id}`, { _csrf: token, etag: '"v999"', evalStatus: "golden" }), // 409 page
      await new Browser().post("/signin", { key: "x" }), // 403 sign-in page
    ];
    for (const page of pages) {
      expect(page.headers.get("content-type"), page.text).toMatch(/^text\/html/);
      const csp = page.headers.get("content-security-policy");
      expect(csp, `CSP on a ${page.status} page`).toBeTruthy();
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      // Nothing the policy would block: no inline <script> body, no style attribute or element, no on* handler.
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.text).not.toMatch(/<style\b/);
      expect(page.text).not.toMatch(/\sstyle="/);
      expect(page.text).not.toMatch(/\son[a-z]+="/);
    }
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 404, 403, 409, 403]);
  });

  it("the stylesheet and script are served from the Worker", async () => {
    const css = await call("/assets/app.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const js = await call("/assets/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
  });
});
