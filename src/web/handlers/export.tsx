import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { EXPORT_FORMATS, type ExportFormat } from "../../export/encoders";
import type { ExportFilters } from "../../export/reader";
import { exportResponse } from "../../export/respond";
import { ApiError } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { countsSentence, fineTuningWarning, redactChoice, totalOf } from "../bulk-plan";
import { csrfForm, limitWebBody, pageHeaders, signedIn, text, texts, WEB_BODY_LIMITS, type C, type Form } from "../guard";
import { NoticePage } from "../pages/confirm";
import { ExportDialogPage } from "../pages/export-dialog";
import { exportCounts, exportFiltersOf, filterFields, idsInView, resolveSelection, SELECTION_MAX, type Selection } from "../selection";

const NOTHING_SELECTED = "Nothing was selected, so nothing was exported: tick some sessions, or “Every session in this filtered view”, then press Export again.";

function formatOf(form: Form): ExportFormat {
  const format = text(form.format) ?? "deepeval";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError("invalid_request", "Pick one of the export formats.");
  return format as ExportFormat;
}

/** The Evals view's selection for an export: ticked ids (at most exportIdsMax), or the view (`all=1`). */
async function exportSelection(c: C, form: Form): Promise<Selection> {
  const s = await resolveSelection(c.var.db, c.var.web.workspace, "evals", form, { idsOfView: false });
  if (s.mode === "ticked" && s.ids.length > LIMITS.exportIdsMax) {
    throw new ApiError("invalid_request", `Tick at most ${LIMITS.exportIdsMax} sessions, or tick “Every session in this filtered view” to export the whole view.`);
  }
  return s;
}

/**
 * What the export reads for a selection: the ticked ids, or the view's own filters when the reader takes them
 * (statuses, tags), else the view's ids (a view filtered by search or source, resolved with `filtersFor`).
 */
async function readerFilters(c: C, s: Selection): Promise<Omit<ExportFilters, "after">> {
  if (s.mode === "ticked") return { ids: s.ids };
  const direct = exportFiltersOf(s.filters);
  if (direct) return direct;
  const ids = await idsInView(c.var.db, c.var.web.workspace, s.filters, SELECTION_MAX + 1);
  if (ids.length > SELECTION_MAX) throw new ApiError("invalid_request", `This view holds more than ${SELECTION_MAX.toLocaleString("en-US")} sessions; narrow the filters, or use GET /api/export.`);
  return { ids };
}

/** Export step one: what the selection holds, a fine-tuning warning, the masking choices and a Download button. */
async function exportDialog(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const format = formatOf(form);
  const s = await exportSelection(c, form);
  const common = { web: c.var.web, view: "evals" as const, back: s.back };
  if (s.mode === "none") return c.html(<NoticePage {...common} title="Nothing selected" message={NOTHING_SELECTED} />);
  const counts = await exportCounts(c.var.db, c.var.web.workspace, s.mode === "ticked" ? { ids: s.ids } : { filters: s.filters });
  const total = totalOf(counts);
  const target = s.mode === "view" ? `every session in this filtered view: ${s.label}` : s.ids.length === 1 ? "the ticked session" : `the ${s.ids.length} ticked sessions`;
  if (total === 0) {
    const why = s.mode === "view" ? "no eval-ready session is in this filtered view." : "none of the ticked sessions is eval-ready (any more).";
    return c.html(<NoticePage {...common} title="Nothing to export" message={`Nothing to export: ${why} No file was made.`} />);
  }
  return c.html(
    <ExportDialogPage
      web={c.var.web}
      back={s.back}
      format={format}
      sentence={countsSentence(counts)}
      target={target}
      leftOut={s.mode === "ticked" ? s.ids.length - total : 0}
      warning={fineTuningWarning(format, counts)}
      fields={[...filterFields(s.back), ["format", format], ...(s.mode === "view" ? [["all", "1"] as [string, string]] : s.ids.map((id): [string, string] => ["id", id]))]}
    />,
  );
}

/** Export step two, the Download: the same stream and headers as GET /api/export, masked as the dialog chose. */
async function exportDownload(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const format = formatOf(form);
  const redact = redactChoice({ masks: text(form.masks), mask: texts(form.mask), redact: text(form.redact) });
  if (redact === null) throw new ApiError("invalid_request", "The masking choice is not valid: none, or any of secrets, paths, emails.");
  const s = await exportSelection(c, form);
  if (s.mode === "none") return c.html(<NoticePage web={c.var.web} view="evals" back={s.back} title="Nothing selected" message={NOTHING_SELECTED} />);
  const { body, headers } = await exportResponse({
    db: c.var.db,
    d1: c.env.DB,
    workspace: c.var.web.workspace,
    format,
    redact,
    filters: await readerFilters(c, s),
    requestId: c.var.requestId,
  });
  return c.body(body, 200, headers);
}

/** The Evals view's export: the dialog (POST /export/confirm), then the download (POST /export). */
export const exportRoutes = new Hono<AppEnv>();

exportRoutes.post("/export/confirm", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("export:read"), exportDialog);
exportRoutes.post("/export", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("export:read"), exportDownload);
