import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import type { Scope } from "../db/schema";
import { ApiError } from "../lib/errors";
import { returnPathOf } from "./next-path";
import { csrfMatches, loadWebSession, SESSION_COOKIE } from "./session";

export type C = Context<AppEnv>;

/** Pages send a strict policy: scripts and styles only from this origin, nothing inline, no framing. */
export const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: "same-origin",
});

/** Body limits of the web view's posts: a label form holds at most ~1.2 MiB of text, a sign-in a key. */
export const WEB_BODY_LIMITS = { form: 4 * 1024 * 1024, signin: 16 * 1024, upload: 100 * 1024 * 1024 } as const;

/**
 * Refuses a body over `maxBytes` before anything reads it: by Content-Length when announced, else while
 * streaming. Every web post lists it first, the unauthenticated sign-in included.
 */
export const limitWebBody = (maxBytes: number): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `That form is too large (over ${(maxBytes / 1024 / 1024).toFixed(maxBytes < 1024 * 1024 ? 2 : 0)} MiB); nothing was changed.`);
    },
  });

export const isLocal = (c: C) => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(c.req.url).hostname);

const SCOPE_PURPOSE: Record<Scope, string> = {
  "sessions:read": "view sessions",
  "sessions:write": "change sessions",
  "evals:write": "mark and label sessions",
  "export:read": "export datasets",
};

/** Browser page loads and posts spend the key's request budget, exactly as API calls with the key do. */
async function spendKeyBudget(c: C, keyId: string): Promise<void> {
  const limiter = c.env.RATE_LIMITER;
  if (!limiter) return;
  const { success } = await limiter.limit({ key: keyId });
  if (!success) {
    const retry = c.env.RATE_LIMIT_PERIOD_SECONDS ?? "60";
    throw new ApiError("rate_limited", `Too many requests for this API key; wait ${retry} seconds and reload the page.`, { headers: { "Retry-After": retry } });
  }
}

/**
 * Signed-in pages: the session cookie must name a live session whose key is not revoked, with `scope`. Without
 * one, the browser goes to sign-in with `next` set to the page that asked, so it comes back there.
 */
export const signedIn =
  (scope?: Scope): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const web = await loadWebSession(c.env.KV, getCookie(c, SESSION_COOKIE));
    if (!web) {
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      const back = returnPathOf(c.req.method, c.req.url, c.req.header("referer"));
      const target = back === "/" || back.startsWith("/signin") ? "/" : `/?next=${encodeURIComponent(back)}`;
      return c.redirect(target, c.req.method === "GET" ? 302 : 303);
    }
    c.set("web", web);
    c.set("auth", web.auth);
    await spendKeyBudget(c, web.keyId);
    if (scope && !web.scopes.includes(scope)) {
      throw new ApiError("forbidden", `This API key lacks the ${scope} scope, which is needed to ${SCOPE_PURPOSE[scope]}. Sign in with a key that has it.`);
    }
    await next();
  };

/** Same-origin check for state-changing posts: an Origin (or, failing that, Referer) from elsewhere is refused. */
export function sameOrigin(c: C): boolean {
  const own = new URL(c.req.url).origin;
  const origin = c.req.header("origin");
  if (origin) return origin === own;
  const referer = c.req.header("referer");
  if (referer) {
    try {
      return new URL(referer).origin === own;
    } catch {
      return false;
    }
  }
  return true;
}

export type Form = Record<string, string | File | (string | File)[]>;

export const texts = (v: Form[string] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
export const text = (v: Form[string] | undefined): string | undefined => texts(v)[0];

const CSRF_FAILED = "This form was not sent from an evalport page (CSRF check failed). Reload the page and try again.";

/** Reads a form post and enforces CSRF: same origin, plus the session's token (constant-time). */
export async function csrfForm(c: C, expected: string): Promise<Form> {
  const form = (await c.req.parseBody({ all: true })) as Form;
  if (!sameOrigin(c) || !(await csrfMatches(expected, text(form._csrf)))) throw new ApiError("forbidden", CSRF_FAILED);
  return form;
}

/** CSRF for script posts that carry a raw body (uploads): the token travels in `X-CSRF-Token`. */
export async function csrfHeader(c: C, expected: string): Promise<void> {
  if (!sameOrigin(c) || !(await csrfMatches(expected, c.req.header("x-csrf-token")))) throw new ApiError("forbidden", CSRF_FAILED);
}

export function queryRecord(c: C): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) out[k] = v.length === 1 ? v[0]! : v;
  return out;
}
