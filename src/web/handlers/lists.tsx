import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { bulkApply } from "../../evals/labels";
import { evalSummary } from "../../evals/summary";
import { ApiError } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { listSessions, sessionListPage, type SessionFilters } from "../../sessions/queries";
import { filtersFor, parseView, toQuery, viewParams, type EvalsView, type SessionsView, type ViewName } from "../filters";
import { csrfForm, limitWebBody, pageHeaders, queryRecord, signedIn, text, texts, WEB_BODY_LIMITS, type C, type Form } from "../guard";
import { EvalsPage, SessionsPage } from "../pages/lists";

/** The filters a list form carried along as `f_<name>` fields; one value stays a string, as in a query string. */
export function formFilters(form: Form): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(form)) {
    if (!k.startsWith("f_")) continue;
    const values = texts(v);
    out[k.slice(2)] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

export function viewOf(view: ViewName, record: Record<string, string | string[]>): SessionsView | EvalsView {
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
  const v = viewOf(view, formFilters(form));
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
  const v = viewOf(view, record);
  const cursorRaw = typeof record.cursor === "string" ? record.cursor : undefined;
  const page = await sessionListPage(c.var.db, c.var.web.workspace, filtersFor(view, v), LIMITS.listLimitDefault, cursorRaw);
  const common = {
    web: c.var.web,
    sessions: page.sessions,
    nextCursor: page.nextCursor,
    isFirstPage: !cursorRaw,
    notice: { code: text(record.done as string | undefined), count: text(record.n as string | undefined) },
  };
  if (view === "sessions") return c.html(<SessionsPage {...common} view={v as SessionsView} />);
  const summary = await evalSummary(c.var.db, c.var.web.workspace);
  return c.html(<EvalsPage {...common} view={v as EvalsView} summary={summary} />);
}

/** The Sessions and Evals lists and their mark/unmark posts. */
export const listRoutes = new Hono<AppEnv>();

listRoutes.get("/sessions", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "sessions"));
listRoutes.post("/sessions/mark", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "sessions"));
listRoutes.get("/evals", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "evals"));
listRoutes.post("/evals/mark", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "evals"));
