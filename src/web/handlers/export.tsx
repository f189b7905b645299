import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { EXPORT_FORMATS } from "../../export/encoders";
import { exportResponse } from "../../export/respond";
import { ApiError } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import type { EvalsView } from "../filters";
import { csrfForm, limitWebBody, pageHeaders, signedIn, text, texts, WEB_BODY_LIMITS, type C } from "../guard";
import { formFilters, viewOf } from "../selection";

async function exportSelection(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const format = text(form.format) ?? "deepeval";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError("invalid_request", "Pick one of the export formats.");
  const v = viewOf("evals", formFilters(form)) as EvalsView;
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

/** The export post of the Evals view: the same stream as GET /api/export. */
export const exportRoutes = new Hono<AppEnv>();

exportRoutes.post("/export", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("export:read"), exportSelection);
