import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import type { Scope } from "../db/schema";
import { bulkApply, labelSession } from "../evals/labels";
import { evalSummary } from "../evals/summary";
import { EXPORT_FORMATS } from "../export/encoders";
import { exportResponse } from "../export/respond";
import { ApiError } from "../lib/errors";
import { parseIfMatch } from "../lib/etag";
import { LIMITS } from "../lib/limits";
import { etagOf, presentMessage, presentSession } from "../sessions/present";
import { getMessages, getSessionRow, listSessions, sessionListPage, type SessionFilters } from "../sessions/queries";
import { evalFieldsSchema } from "../sessions/schemas";
import { APP_CSS, APP_JS } from "./assets";
import { filtersFor, parseView, toQuery, viewParams, type EvalsView, type SessionsView, type ViewName } from "./filters";
import { MessagePage } from "./layout";
import { neighbors } from "./neighbors";
import { EvalsPage, SessionsPage } from "./pages/lists";
import { ReviewPage } from "./pages/review";
import { SignInPage } from "./pages/signin";
import { csrfMatches, endWebSession, loadWebSession, randomToken, SESSION_COOKIE, SIGNIN_CSRF_COOKIE, startWebSession, WEB_SESSION_TTL_SECONDS } from "./session";

type C = Context<AppEnv>;

/** Pages send a strict policy: scripts and styles only from this origin, nothing inline, no framing. */
const pageHeaders = secureHeaders({
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

const isLocal = (c: C) => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(c.req.url).hostname);

const SCOPE_PURPOSE: Record<Scope, string> = {
  "sessions:read": "view sessions",
  "sessions:write": "change sessions",
  "evals:write": "mark and label sessions",
  "export:read": "export datasets",
};

/** Signed-in pages: the session cookie must name a live session whose key is not revoked, with `scope`. */
const signedIn = (scope?: Scope): MiddlewareHandler<AppEnv> => async (c, next) => {
  const web = await loadWebSession(c.env.KV, getCookie(c, SESSION_COOKIE));
  if (!web) {
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/", c.req.method === "GET" ? 302 : 303);
  }
  c.set("web", web);
  c.set("auth", web.auth);
  if (scope && !web.scopes.includes(scope)) {
    return c.html(
      <MessagePage title="Not allowed" web={web} message={`This API key lacks the ${scope} scope, which is needed to ${SCOPE_PURPOSE[scope]}. Sign in with a key that has it.`} />,
      403,
    );
  }
  await next();
};

/** Same-origin check for state-changing posts: an Origin (or, failing that, Referer) from elsewhere is refused. */
function sameOrigin(c: C): boolean {
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

type Form = Record<string, string | File | (string | File)[]>;

const texts = (v: Form[string] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
const text = (v: Form[string] | undefined): string | undefined => texts(v)[0];

/** Reads a form post and enforces CSRF: same origin, plus the session's token (constant-time). */
async function csrfForm(c: C, expected: string): Promise<Form> {
  const form = (await c.req.parseBody({ all: true })) as Form;
  if (!sameOrigin(c) || !(await csrfMatches(expected, text(form._csrf)))) {
    throw new ApiError("forbidden", "This form was not sent from an evalport page (CSRF check failed). Reload the page and try again.");
  }
  return form;
}

/** The filters a list form carried along as `f_<name>` fields; one value stays a string, as in a query string. */
function formFilters(form: Form): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(form)) {
    if (!k.startsWith("f_")) continue;
    const values = texts(v);
    out[k.slice(2)] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

function queryRecord(c: C): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) out[k] = v.length === 1 ? v[0]! : v;
  return out;
}

function viewOf(c: C, view: ViewName, record: Record<string, string | string[]>): SessionsView | EvalsView {
  const parsed = parseView(view, record);
  if (!parsed.success) throw new ApiError("invalid_request", "One of the filters is not valid; clear them and try again.");
  return parsed.data;
}

/** Every session id in a filtered view (for "every session in this filtered view"), capped. */
async function idsInView(c: C, f: SessionFilters, cap = 10_000): Promise<string[]> {
  const ids: string[] = [];
  let cursor: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await listSessions(c.var.db, c.var.web.workspace, f, LIMITS.listLimitMax, cursor);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.next || ids.length >= cap) return ids.slice(0, cap);
    cursor = page.next;
  }
}

async function markSelection(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const record = formFilters(form);
  const v = viewOf(c, view, record);
  const action = text(form.action) === "unready" ? "unready" : "ready";
  const ids = text(form.all) === "1" ? await idsInView(c, filtersFor(view, v)) : texts(form.id).slice(0, LIMITS.readyIdsMax);
  const back = viewParams(view, v);
  if (ids.length === 0) return c.redirect(`/${view}${toQuery([...back, ["done", "none"]])}`, 303);
  let updated = 0;
  for (let i = 0; i < ids.length; i += LIMITS.readyIdsMax) {
    const r = await bulkApply(c.var.db, c.var.web.workspace, { ids: ids.slice(i, i + LIMITS.readyIdsMax) }, { evalReady: action === "ready" });
    updated += r.updated;
  }
  return c.redirect(`/${view}${toQuery([...back, ["done", action === "ready" ? "marked" : "unmarked"], ["n", String(updated)]])}`, 303);
}

async function listPage(c: C, view: ViewName) {
  const record = queryRecord(c);
  const v = viewOf(c, view, record);
  const cursorRaw = typeof record.cursor === "string" ? record.cursor : undefined;
  const page = await sessionListPage(c.var.db, c.var.web.workspace, filtersFor(view, v), LIMITS.listLimitDefault, cursorRaw);
  const common = {
    web: c.var.web,
    ...page,
    isFirstPage: !cursorRaw,
    notice: { code: text(record.done as string | undefined), count: text(record.n as string | undefined) },
  };
  if (view === "sessions") return c.html(<SessionsPage {...common} view={v as SessionsView} />);
  const summary = await evalSummary(c.var.db, c.var.web.workspace);
  return c.html(<EvalsPage {...common} view={v as EvalsView} summary={summary} />);
}

/** The review page of one session, walking the list it was opened from (`view` and its filters). */
async function reviewPage(c: C, extra: { saved?: boolean; conflict?: Record<string, string>; error?: string; status?: 200 | 400 | 409 } = {}) {
  const id = c.req.param("id")!;
  const record = queryRecord(c);
  const view: ViewName = record.view === "evals" ? "evals" : "sessions";
  const v = viewOf(c, view, record);
  const row = await getSessionRow(c.var.db, c.var.web.workspace, id);
  if (!row) return c.html(<MessagePage title="Session not found" web={c.var.web} message="There is no such session in this workspace." />, 404);
  const msgs = await getMessages(c.var.db, c.var.web.workspace, id);
  const nav = await neighbors(c.var.db, c.var.web.workspace, filtersFor(view, v), row);
  const params = viewParams(view, v);
  return c.html(
    <ReviewPage
      web={c.var.web}
      session={{ ...presentSession(row), messages: msgs.map(presentMessage) }}
      etag={etagOf(row)}
      navQuery={toQuery([["view", view], ...params])}
      backHref={`/${view}${toQuery(params)}`}
      prevId={nav.prevId}
      nextId={nav.nextId}
      saved={extra.saved ?? record.saved === "1"}
      conflict={extra.conflict}
      error={extra.error}
    />,
    extra.status ?? 200,
  );
}

async function saveReview(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const id = c.req.param("id")!;
  const submitted = {
    evalStatus: text(form.evalStatus) ?? "",
    evalTags: text(form.evalTags) ?? "",
    evalNotes: text(form.evalNotes) ?? "",
    expectedOutput: text(form.expectedOutput) ?? "",
  };
  const parsed = evalFieldsSchema.safeParse({
    evalStatus: submitted.evalStatus,
    evalReady: text(form.evalReady) === "true",
    evalTags: submitted.evalTags.split(",").map((t) => t.trim()).filter(Boolean),
    evalNotes: submitted.evalNotes.trim() === "" ? null : submitted.evalNotes.replace(/\r\n/g, "\n"),
    expectedOutput: submitted.expectedOutput.trim() === "" ? null : submitted.expectedOutput.replace(/\r\n/g, "\n"),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reviewPage(c, { error: `Not saved: ${issue?.path.join(".") ?? "form"} — ${issue?.message ?? "invalid"}.`, status: 400 });
  }
  const ifMatch = parseIfMatch(text(form.etag));
  const version = Array.isArray(ifMatch) && ifMatch.length === 1 ? ifMatch[0] : -1;
  try {
    await labelSession(c.var.db, c.var.web.workspace, id, parsed.data, version);
  } catch (err) {
    if (err instanceof ApiError && err.code === "precondition_failed") return reviewPage(c, { conflict: submitted, status: 409 });
    throw err;
  }
  const record = queryRecord(c);
  const view: ViewName = record.view === "evals" ? "evals" : "sessions";
  const params = viewParams(view, viewOf(c, view, record));
  if (text(form.then) === "next") {
    const row = await getSessionRow(c.var.db, c.var.web.workspace, id);
    const nav = row ? await neighbors(c.var.db, c.var.web.workspace, filtersFor(view, viewOf(c, view, record)), row) : { nextId: null };
    if (nav.nextId) return c.redirect(`/review/${encodeURIComponent(nav.nextId)}${toQuery([["view", view], ...params])}`, 303);
  }
  return c.redirect(`/review/${encodeURIComponent(id)}${toQuery([["view", view], ...params, ["saved", "1"]])}`, 303);
}

async function exportSelection(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const format = text(form.format) ?? "deepeval";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError("invalid_request", "Pick one of the export formats.");
  const v = viewOf(c, "evals", formFilters(form)) as EvalsView;
  // "Every session in this filtered view" wins over ticked rows, as it does for marking.
  const ids = text(form.all) === "1" ? [] : texts(form.id);
  if (ids.length > LIMITS.exportIdsMax) throw new ApiError("invalid_request", `Select at most ${LIMITS.exportIdsMax} sessions, or none to export the whole filtered view.`);
  const { body, headers } = await exportResponse({
    db: c.var.db,
    d1: c.env.DB,
    workspace: c.var.web.workspace,
    format: format as (typeof EXPORT_FORMATS)[number],
    filters: ids.length > 0 ? { ids } : { statuses: v.status, tags: v.tag },
    requestId: c.var.requestId,
  });
  return c.body(body, 200, headers);
}

/** The Evals view in the browser: sign in, sessions, evals, review, export — plain forms first, small script after. */
export const webRoutes = new Hono<AppEnv>();

webRoutes.onError((err, c) => {
  const e = err instanceof ApiError ? err : null;
  const status = e ? e.status : 500;
  const message = e ? e.message : "Something went wrong on our side.";
  if (!e) console.error(`[${c.get("requestId") ?? "-"}] web ${c.req.method} ${c.req.path}:`, err instanceof Error ? err.message : String(err));
  return c.html(<MessagePage title={status === 403 ? "Not allowed" : status === 404 ? "Not found" : "Something is wrong"} web={c.get("web")} message={message} />, status as 400);
});

webRoutes.get("/assets/app.css", (c) => c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" }));
webRoutes.get("/assets/app.js", (c) => c.body(APP_JS, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }));

webRoutes.get("/", pageHeaders, async (c) => {
  if (await loadWebSession(c.env.KV, getCookie(c, SESSION_COOKIE))) return c.redirect("/sessions", 302);
  const csrf = randomToken();
  setCookie(c, SIGNIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: "Strict", secure: !isLocal(c), path: "/", maxAge: 3600 });
  return c.html(<SignInPage csrf={csrf} />);
});

webRoutes.post("/signin", pageHeaders, async (c) => {
  const form = (await c.req.parseBody()) as Record<string, string | File>;
  const expected = getCookie(c, SIGNIN_CSRF_COOKIE);
  const retry = (error: string, status: 401 | 403) => {
    const csrf = randomToken();
    setCookie(c, SIGNIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: "Strict", secure: !isLocal(c), path: "/", maxAge: 3600 });
    return c.html(<SignInPage csrf={csrf} error={error} />, status);
  };
  if (!sameOrigin(c) || !expected || !(await csrfMatches(expected, form._csrf))) {
    return retry("The sign-in form expired or was not sent from this site. Try again.", 403);
  }
  const key = typeof form.key === "string" ? form.key : "";
  const sessionId = await startWebSession(c.env.KV, key, c.env.KEY_PEPPER);
  if (!sessionId) return retry("That API key is not valid (unknown, mistyped or revoked).", 401);
  deleteCookie(c, SIGNIN_CSRF_COOKIE, { path: "/" });
  setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: "Strict", secure: !isLocal(c), path: "/", maxAge: WEB_SESSION_TTL_SECONDS });
  return c.redirect("/sessions", 303);
});

webRoutes.post("/signout", pageHeaders, signedIn(), async (c) => {
  await csrfForm(c, c.var.web.csrf);
  await endWebSession(c.env.KV, getCookie(c, SESSION_COOKIE));
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.redirect("/", 303);
});

webRoutes.get("/sessions", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "sessions"));
webRoutes.post("/sessions/mark", pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "sessions"));
webRoutes.get("/evals", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "evals"));
webRoutes.post("/evals/mark", pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "evals"));
webRoutes.get("/review/:id", pageHeaders, signedIn("sessions:read"), (c) => reviewPage(c));
webRoutes.post("/review/:id", pageHeaders, signedIn("evals:write"), (c) => saveReview(c));
webRoutes.post("/export", pageHeaders, signedIn("export:read"), (c) => exportSelection(c));
