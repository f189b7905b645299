import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { datasetExportResponse } from "../../datasets/export";
import { exportFiltersOf, freezeDataset, normalFilters } from "../../datasets/freeze";
import { deleteDataset, getDataset, listDatasets } from "../../datasets/store";
import { liveExtent } from "../../export/reader";
import { ApiError } from "../../lib/errors";
import { countSessions } from "../../sessions/queries";
import {
  DATASET_LIMITS,
  EMPTY_DATASET_FORM,
  freezePlan,
  isExportFormat,
  parseDatasetForm,
  parseSelection,
  redactFromForm,
  type DatasetFieldErrors,
  type DatasetFormValues,
  type DatasetSelection,
  type SelectionSource,
} from "../dataset-form";
import { filtersFor, viewParams, type EvalsView } from "../filters";
import { csrfForm, limitWebBody, pageHeaders, signedIn, text, texts, WEB_BODY_LIMITS, type C, type Form } from "../guard";
import { DatasetsPage, SaveDatasetPage, type DatasetsNotice } from "../pages/datasets";
import { formFilters, idsInView, viewOf } from "../selection";

/** Eval-ready sessions a selection matches now: the freeze's own conditions (before any split), counted. */
async function freezeCount(c: C, selection: DatasetSelection): Promise<number> {
  const f = exportFiltersOf(normalFilters(selection));
  return (await liveExtent(c.var.db, c.env.DB, c.var.web.workspace, f, { queries: 0, rowsRead: 0 })).count;
}

const NOTHING = {
  ticked: "None of the ticked sessions is eval-ready, so there is nothing to save. Tick eval-ready sessions in the Evals view, or tick none to save the whole filtered view.",
  view: "This filtered view has no sessions, so there is nothing to save and no dataset was made. Change the filters in the Evals view, or mark sessions as eval-ready first.",
};

/** "Save as dataset" from the Evals view's selection form: what will be frozen, and the form to name it. */
async function newDatasetForm(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const view = viewOf("evals", formFilters(form)) as EvalsView;
  const back = viewParams("evals", view);
  // "Every session in this filtered view" wins over ticked rows, as it does for marking and export.
  const ticked = text(form.all) === "1" ? [] : [...new Set(texts(form.id))];
  let by: SelectionSource;
  let selection: DatasetSelection;
  let cappedFrom: number | undefined;
  if (ticked.length > 0) {
    if (ticked.length > DATASET_LIMITS.ids) {
      throw new ApiError("invalid_request", `Tick at most ${DATASET_LIMITS.ids} sessions, or none to save the whole filtered view.`);
    }
    by = "ticked";
    selection = { id: ticked };
  } else {
    const f = filtersFor("evals", view);
    const plan = freezePlan(f);
    if (plan.by === "filters") {
      by = "filters";
      selection = plan.selection;
    } else {
      by = "ids";
      const ids = await idsInView(c.var.db, c.var.web.workspace, f, DATASET_LIMITS.ids + 1);
      if (ids.length > DATASET_LIMITS.ids) cappedFrom = await countSessions(c.var.db, c.var.web.workspace, f);
      if (ids.length === 0) throw new ApiError("invalid_request", NOTHING.view);
      selection = { id: ids.slice(0, DATASET_LIMITS.ids) };
    }
  }
  const count = await freezeCount(c, selection);
  if (count === 0) throw new ApiError("invalid_request", by === "ticked" ? NOTHING.ticked : NOTHING.view);
  return c.html(<SaveDatasetPage web={c.var.web} values={EMPTY_DATASET_FORM} by={by} selection={selection} count={count} cappedFrom={cappedFrom} back={back} />);
}

const formValues = (form: Form): DatasetFormValues => ({
  name: text(form.name) ?? "",
  description: text(form.description) ?? "",
  split: text(form.split) ?? "",
  testFraction: text(form.testFraction) ?? "",
  seed: text(form.seed) ?? "",
});

/** Freezes the dataset through the same code as POST /api/datasets, or shows the form again with what was typed. */
async function createDataset(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const by = text(form.by);
  const selection = parseSelection({ by, status: texts(form.status), tag: texts(form.tag), id: texts(form.id) });
  if (!selection) throw new ApiError("invalid_request", "This form's selection is not one the Evals view makes; go back to Evals and press Save as dataset again. Nothing was saved.");
  const values = formValues(form);
  const back = viewParams("evals", viewOf("evals", formFilters(form)) as EvalsView);
  const capped = Number(text(form.cappedFrom));
  const again = async (errors: DatasetFieldErrors, problem?: string) =>
    c.html(
      <SaveDatasetPage
        web={c.var.web}
        values={values}
        errors={errors}
        problem={problem}
        by={by as SelectionSource}
        selection={selection}
        count={await freezeCount(c, selection)}
        cappedFrom={Number.isSafeInteger(capped) && capped > DATASET_LIMITS.ids ? capped : undefined}
        back={back}
      />,
      400,
    );
  const parsed = parseDatasetForm(values, selection);
  if (!parsed.ok) return again(parsed.errors);
  // Sessions unmarked (or deleted) since the form was shown: say so rather than save an empty dataset.
  if ((await freezeCount(c, selection)) === 0) {
    return again({}, "None of these sessions is eval-ready any more, so nothing was saved. Go back to Evals and pick again.");
  }
  const row = await freezeDataset(c.var.db, c.var.web.workspace, parsed.input);
  return c.redirect(`/datasets?saved=${encodeURIComponent(row.id)}`, 303);
}

/**
 * The Datasets page. A key without export:read sees only why (as GET /api/datasets refuses it, the page does not list
 * the datasets' names either).
 */
async function datasetsPage(c: C) {
  const { web } = c.var;
  const canExport = web.scopes.includes("export:read");
  if (!canExport && !web.scopes.includes("sessions:read")) {
    throw new ApiError("forbidden", "This API key lacks the export:read scope, which is needed to see and export datasets. Sign in with a key that has it.");
  }
  const rows = canExport ? await listDatasets(c.var.db, web.workspace) : [];
  let notice: DatasetsNotice | undefined;
  const saved = c.req.query("saved");
  const justSaved = saved ? rows.find((r) => r.id === saved) : undefined;
  if (justSaved) notice = { saved: { name: justSaved.name, count: justSaved.sessionCount } };
  else if (c.req.query("deleted") === "1") notice = { deleted: true };
  return c.html(<DatasetsPage web={web} datasets={rows} notice={notice} canExport={canExport} />);
}

/** A dataset of this workspace, or the web's 404 page (another workspace's answers exactly as an unknown id). */
async function ownDataset(c: C) {
  const row = await getDataset(c.var.db, c.var.web.workspace, c.req.param("id") ?? "");
  if (!row) throw new ApiError("not_found", "There is no such dataset in this workspace; it may have been deleted.");
  return row;
}

/** The export menu's download: the same response as GET /api/datasets/:id/export, with the web sign-in. */
async function exportDataset(c: C) {
  const dataset = await ownDataset(c);
  const format = c.req.query("format") ?? "deepeval";
  if (!isExportFormat(format)) throw new ApiError("invalid_request", "Pick one of the export formats in the menu.");
  const redact = redactFromForm(c.req.queries("redact") ?? []);
  if (!redact) throw new ApiError("invalid_request", "Masking can be secrets, home paths or e-mail addresses; pick from the menu.");
  const { body, headers } = await datasetExportResponse({
    db: c.var.db,
    d1: c.env.DB,
    workspace: c.var.web.workspace,
    format,
    redact,
    requestId: c.var.requestId,
    dataset,
  });
  return c.body(body, 200, headers);
}

async function removeDataset(c: C) {
  await csrfForm(c, c.var.web.csrf);
  const dataset = await ownDataset(c);
  await deleteDataset(c.var.db, c.var.web.workspace, dataset.id);
  return c.redirect("/datasets?deleted=1", 303);
}

/** The Datasets page, "Save as dataset" from the Evals view, and each dataset's export and delete. */
export const datasetRoutes = new Hono<AppEnv>();

const form = limitWebBody(WEB_BODY_LIMITS.form);
datasetRoutes.get("/datasets", pageHeaders, signedIn(), datasetsPage);
datasetRoutes.post("/datasets/new", form, pageHeaders, signedIn("export:read"), newDatasetForm);
datasetRoutes.post("/datasets", form, pageHeaders, signedIn("export:read"), createDataset);
datasetRoutes.get("/datasets/:id/export", pageHeaders, signedIn("export:read"), exportDataset);
datasetRoutes.post("/datasets/:id/delete", form, pageHeaders, signedIn("export:read"), removeDataset);
