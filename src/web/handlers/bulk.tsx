import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { bulkApply } from "../../evals/labels";
import { LIMITS } from "../../lib/limits";
import { filtersFor, toQuery, viewParams, type ViewName } from "../filters";
import { csrfForm, limitWebBody, pageHeaders, signedIn, text, texts, WEB_BODY_LIMITS, type C } from "../guard";
import { formFilters, idsInView, viewOf } from "../selection";

async function markSelection(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const v = viewOf(view, formFilters(form));
  const action = text(form.action) === "unready" ? "unready" : "ready";
  const ids = text(form.all) === "1" ? await idsInView(c.var.db, c.var.web.workspace, filtersFor(view, v)) : texts(form.id).slice(0, LIMITS.readyIdsMax);
  const back = viewParams(view, v);
  if (ids.length === 0) return c.redirect(`/${view}${toQuery([...back, ["done", "none"]])}`, 303);
  let updated = 0;
  for (let i = 0; i < ids.length; i += LIMITS.readyIdsMax) {
    const r = await bulkApply(c.var.db, c.var.web.workspace, { ids: ids.slice(i, i + LIMITS.readyIdsMax) }, { evalReady: action === "ready" });
    updated += r.updated;
  }
  return c.redirect(`/${view}${toQuery([...back, ["done", action === "ready" ? "marked" : "unmarked"], ["n", String(updated)]])}`, 303);
}

/** The bulk actions of the Sessions and Evals lists, on ticked rows or the whole filtered view. */
export const bulkRoutes = new Hono<AppEnv>();

bulkRoutes.post("/sessions/mark", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "sessions"));
bulkRoutes.post("/evals/mark", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write"), (c) => markSelection(c, "evals"));
