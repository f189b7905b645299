import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { csrfForm, isLocal, limitWebBody, pageHeaders, sameOrigin, signedIn, text, WEB_BODY_LIMITS, type C } from "../guard";
import { safeNext } from "../next-path";
import { SignInPage } from "../pages/signin";
import { csrfMatches, endWebSession, loadWebSession, randomToken, SESSION_COOKIE, SIGNIN_CSRF_COOKIE, startWebSession, WEB_SESSION_TTL_SECONDS } from "../session";
import { clientAddress, FailureThrottle } from "../signin-throttle";

/** Failed sign-ins of this isolate, per client address. */
const failures = new FailureThrottle();

const newSigninCsrf = (c: C) => {
  const csrf = randomToken();
  setCookie(c, SIGNIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: "Strict", secure: !isLocal(c), path: "/", maxAge: 3600 });
  return csrf;
};

/** Sign in (with a return address), sign out. */
export const signinRoutes = new Hono<AppEnv>();

signinRoutes.get("/", pageHeaders, async (c) => {
  const nextRaw = c.req.query("next");
  if (await loadWebSession(c.env.KV, getCookie(c, SESSION_COOKIE))) return c.redirect(safeNext(nextRaw), 302);
  const next = nextRaw ? safeNext(nextRaw, "") : "";
  return c.html(<SignInPage csrf={newSigninCsrf(c)} next={next || undefined} />);
});

signinRoutes.post("/signin", limitWebBody(WEB_BODY_LIMITS.signin), pageHeaders, async (c) => {
  const address = clientAddress(c.req.raw.headers);
  const wait = failures.retryAfter(address);
  const form = (await c.req.parseBody()) as Record<string, string | File>;
  const next = typeof form.next === "string" ? safeNext(form.next, "") : "";
  const retry = (error: string, status: 401 | 403 | 429, headers?: Record<string, string>) =>
    c.html(<SignInPage csrf={newSigninCsrf(c)} error={error} next={next || undefined} />, status, headers);
  if (wait > 0) {
    return retry(`Too many failed sign-ins from your address. Wait ${wait} seconds and try again.`, 429, { "Retry-After": String(wait) });
  }
  const expected = getCookie(c, SIGNIN_CSRF_COOKIE);
  if (!sameOrigin(c) || !expected || !(await csrfMatches(expected, form._csrf))) {
    return retry("The sign-in form expired or was not sent from this site. Try again.", 403);
  }
  const key = typeof form.key === "string" ? form.key : "";
  const sessionId = await startWebSession(c.env.KV, key, c.env.KEY_PEPPER);
  if (!sessionId) {
    failures.fail(address);
    return retry("That API key is not valid (unknown, mistyped or revoked).", 401);
  }
  deleteCookie(c, SIGNIN_CSRF_COOKIE, { path: "/" });
  setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: "Strict", secure: !isLocal(c), path: "/", maxAge: WEB_SESSION_TTL_SECONDS });
  return c.redirect(safeNext(next), 303);
});

signinRoutes.post("/signout", limitWebBody(WEB_BODY_LIMITS.signin), pageHeaders, signedIn(), async (c) => {
  await csrfForm(c, c.var.web.csrf);
  await endWebSession(c.env.KV, getCookie(c, SESSION_COOKIE));
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.redirect("/", 303);
});

