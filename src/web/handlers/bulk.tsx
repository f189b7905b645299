import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { reviewerName } from "../../auth/keys";
import { bulkLabel } from "../../evals/bulk-label";
import { ApiError } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { randomToken } from "../session";
import { changeFields, describeChange, doneCode, labelInput, overTagLimit, parseBulkChange, preview, undoEntries, type BulkChange } from "../bulk-plan";
import { forgetLastAction, loadLastAction, restoreEntries, saveLastAction } from "../bulk-undo";
import { toQuery, type ViewName } from "../filters";
import { csrfForm, limitWebBody, pageHeaders, signedIn, text, WEB_BODY_LIMITS, type C, type Form } from "../guard";
import { BulkConfirmPage, NoticePage, UndoDonePage } from "../pages/confirm";
import { filterFields, readPriors, readVersions, resolveSelection, type Selection } from "../selection";

const NOTHING_SELECTED = "Nothing was selected, so nothing was changed: tick some rows, or “Every session in this filtered view”, then press the button again.";

function changeOf(form: Form): BulkChange {
  const parsed = parseBulkChange({ op: text(form.op), status: text(form.bulk_status), tag: text(form.bulk_tag) });
  if (!parsed.ok) throw new ApiError("invalid_request", `${parsed.message} Nothing was changed.`);
  return parsed.change;
}

const targetOf = (s: Selection) =>
  s.mode === "view" ? `every session in this filtered view: ${s.label}` : s.ids.length === 1 ? "the ticked session" : `the ${s.ids.length.toLocaleString("en-US")} ticked sessions`;

/** The fields that post this selection again: the view's filters and `all=1`, or the ticked ids. */
const selectionFields = (s: Selection): [string, string][] => [...filterFields(s.back), ...(s.mode === "view" ? [["all", "1"] as [string, string]] : s.ids.map((id): [string, string] => ["id", id]))];

/** Step one of every bulk action: what it will do, on how many sessions, with Confirm and Cancel. */
async function confirmPage(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const change = changeOf(form);
  const s = await resolveSelection(c.var.db, c.var.web.workspace, view, form);
  const common = { web: c.var.web, view, back: s.back };
  if (s.mode === "none") return c.html(<NoticePage {...common} title="Nothing selected" message={NOTHING_SELECTED} />);
  const priors = await readPriors(c.var.db, c.var.web.workspace, s.ids);
  if (priors.length === 0) {
    return c.html(<NoticePage {...common} title="Nothing to change" message="None of the selected sessions is in this workspace (any more), so there is nothing to change." />);
  }
  const { found, willChange } = preview(priors, change);
  return c.html(
    <BulkConfirmPage
      {...common}
      description={describeChange(change)}
      target={targetOf(s)}
      found={found}
      willChange={willChange}
      missing={s.mode === "ticked" ? s.ids.length - found : 0}
      fields={[...selectionFields(s), ...changeFields(change)]}
    />,
  );
}

/**
 * Applies a change to a resolved selection through `bulkLabel` (the logic of POST /api/evals/label), 500 sessions
 * per transaction, and keeps its undo. The tag limit is checked over the whole selection first, so a change that
 * would break it for any session changes none. Returns the number of sessions found.
 */
async function applyChange(c: C, s: Selection, change: BulkChange): Promise<number> {
  const db = c.var.db;
  const ws = c.var.web.workspace;
  const priors = await readPriors(db, ws, s.ids);
  if (priors.length === 0) return 0;
  const over = overTagLimit(priors, change);
  if (over) throw new ApiError("invalid_request", `Session ${over} would have more than ${LIMITS.tagsPerSession} tags; nothing was changed.`);
  const by = await reviewerName(db, c.var.web.auth);
  const ids = priors.map((p) => p.id);
  for (let i = 0; i < ids.length; i += LIMITS.readyIdsMax) {
    await bulkLabel(db, ws, labelInput(change, ids.slice(i, i + LIMITS.readyIdsMax)), by);
  }
  const { entries, raced } = undoEntries(priors, await readVersions(db, ws, ids), change);
  await saveLastAction(c, {
    id: randomToken().slice(0, 16),
    workspace: ws,
    at: Date.now(),
    description: describeChange(change),
    kind: change.kind,
    found: priors.length,
    changed: entries.length + raced,
    raced,
    entries,
  });
  return priors.length;
}

/** Step two: Confirm applies and returns to the list with a done notice (where the Undo is offered). */
async function applySelection(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const change = changeOf(form);
  const s = await resolveSelection(c.var.db, c.var.web.workspace, view, form);
  if (s.mode === "none") return c.html(<NoticePage web={c.var.web} view={view} back={s.back} title="Nothing selected" message={NOTHING_SELECTED} />);
  const n = await applyChange(c, s, change);
  return c.redirect(`/${view}${toQuery([...s.back, ["done", doneCode(change)], ["n", String(n)]])}`, 303);
}

/**
 * The direct mark/unmark post the lists used before the confirmation step (kept for links and scripts that post
 * it): the same apply, undo kept, the list's old notices.
 */
async function markSelection(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const change: BulkChange = { kind: "ready", ready: text(form.action) !== "unready" };
  const s = await resolveSelection(c.var.db, c.var.web.workspace, view, form);
  if (s.mode === "none") return c.redirect(`/${view}${toQuery([...s.back, ["done", "none"]])}`, 303);
  const n = await applyChange(c, s, change);
  return c.redirect(`/${view}${toQuery([...s.back, ["done", doneCode(change)], ["n", String(n)]])}`, 303);
}

/**
 * Undo of this sign-in's last bulk action. The record is taken (deleted) before anything is restored, so it works
 * once; `undo` names the action the page offered, so an older page never undoes a newer action. A session changed
 * since by anyone (its version moved) is left as it is and counted as kept: an undo never overwrites newer work.
 */
async function undoLast(c: C, view: ViewName) {
  const form = await csrfForm(c, c.var.web.csrf);
  const s = await resolveSelection(c.var.db, c.var.web.workspace, view, form, { idsOfView: false });
  const common = { web: c.var.web, view, back: s.back };
  const last = await loadLastAction(c);
  const asked = text(form.undo);
  if (!last || (asked !== undefined && asked !== last.id)) {
    const message = last
      ? "That is no longer your last bulk action (you made another since), so nothing was undone; only the last one can be."
      : "There is nothing to undo: a bulk action can be undone once, for an hour, from the browser that made it.";
    return c.html(<NoticePage {...common} title="Nothing to undo" message={message} />);
  }
  await forgetLastAction(c);
  const restored = await restoreEntries(c.var.db, c.var.web.workspace, last.kind, last.entries);
  return c.html(<UndoDonePage {...common} description={last.description} restored={restored} kept={last.entries.length - restored + last.raced} />);
}

/** The bulk actions of the Sessions and Evals lists (confirm, apply, undo), on ticked rows or the whole filtered view. */
export const bulkRoutes = new Hono<AppEnv>();

for (const view of ["sessions", "evals"] as const) {
  const guard = [limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write")] as const;
  bulkRoutes.post(`/${view}/bulk`, ...guard, (c) => confirmPage(c, view));
  bulkRoutes.post(`/${view}/bulk/apply`, ...guard, (c) => applySelection(c, view));
  bulkRoutes.post(`/${view}/undo`, ...guard, (c) => undoLast(c, view));
  bulkRoutes.post(`/${view}/mark`, ...guard, (c) => markSelection(c, view));
}
