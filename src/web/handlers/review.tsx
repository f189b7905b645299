import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import type { SessionRow } from "../../db/schema";
import { reviewerName } from "../../auth/keys";
import { labelSession } from "../../evals/labels";
import { ApiError } from "../../lib/errors";
import { parseIfMatch } from "../../lib/etag";
import { etagOf, presentMessage, presentSession } from "../../sessions/present";
import { getMessages, getSessionRow, listChoices } from "../../sessions/queries";
import { sessionFamily } from "../family";
import { filtersFor, parseView, toQuery, viewLabel, viewParams, type EvalsView, type SessionsView, type ViewName } from "../filters";
import { STATUS_LABEL } from "../format";
import { csrfForm, limitWebBody, pageHeaders, queryRecord, signedIn, text, texts, WEB_BODY_LIMITS, type C, type Form } from "../guard";
import { parseLabelForm, valuesOf, type FieldErrors, type LabelFormValues, type StoredLabels } from "../label-form";
import { firstOfQueue, queueAround } from "../neighbors";
import { QueueDonePage, ReviewPage, type ReviewProps } from "../pages/review";

/** The list a review page walks: `view` and its filters, from the page's query string. */
function queueOf(c: C): { view: ViewName; v: SessionsView | EvalsView; params: [string, string][] } {
  const record = queryRecord(c);
  const view: ViewName = record.view === "evals" ? "evals" : "sessions";
  const parsed = parseView(view, record);
  if (!parsed.success) throw new ApiError("invalid_request", "One of the list's filters in this address is not valid; go back to the list and filter again.");
  return { view, v: parsed.data, params: viewParams(view, parsed.data) };
}

const storedOf = (row: SessionRow): StoredLabels => ({
  evalStatus: row.evalStatus,
  evalReady: row.evalReady,
  evalTags: row.evalTags,
  evalNotes: row.evalNotes,
  expectedOutput: row.expectedOutput,
});

function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} minute${Math.round(s / 60) === 1 ? "" : "s"} ago`;
  if (s < 86400) return `${Math.round(s / 3600)} hour${Math.round(s / 3600) === 1 ? "" : "s"} ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** "status: theirs golden, yours incorrect" for each field where the two versions differ. */
function differences(theirs: StoredLabels, yours: LabelFormValues): string[] {
  const out: string[] = [];
  const t = valuesOf(theirs);
  if (t.evalStatus !== yours.evalStatus) out.push(`status: theirs ${STATUS_LABEL[t.evalStatus] ?? t.evalStatus}, yours ${STATUS_LABEL[yours.evalStatus] ?? yours.evalStatus}`);
  if (t.evalReady !== yours.evalReady) out.push(`eval-ready: theirs ${t.evalReady ? "yes" : "no"}, yours ${yours.evalReady ? "yes" : "no"}`);
  const yourTags = yours.evalTags.map((x) => x.trim()).filter(Boolean);
  if (t.evalTags.join("\u0000") !== yourTags.join("\u0000")) out.push(`tags: theirs ${t.evalTags.join(", ") || "none"}, yours ${yourTags.join(", ") || "none"}`);
  if (t.evalNotes !== yours.evalNotes.replace(/\r\n?/g, "\n")) out.push("notes differ");
  if (t.expectedOutput !== yours.expectedOutput.replace(/\r\n?/g, "\n")) out.push("expected output differs");
  return out;
}

interface Override {
  values?: LabelFormValues;
  errors?: FieldErrors;
  etag?: string;
  conflict?: ReviewProps["conflict"];
  status?: 200 | 400 | 409;
}

/** The review page of one session, walking the list it was opened from. */
async function reviewPage(c: C, o: Override = {}) {
  const id = c.req.param("id")!;
  const { view, v, params } = queueOf(c);
  const db = c.var.db;
  const ws = c.var.web.workspace;
  const row = await getSessionRow(db, ws, id);
  if (!row) throw new ApiError("not_found", "There is no such session in this workspace.");
  const saved = c.req.query("saved");
  const savedIds = saved && saved !== "1" ? [saved] : saved === "1" ? [id] : [];
  const [msgs, nav, family, choices, savedRow] = await Promise.all([
    getMessages(db, ws, id),
    queueAround(db, ws, filtersFor(view, v), row),
    sessionFamily(db, ws, row),
    // The tag field's suggestions: the workspace's tags as the lists offer them (one index seek per distinct tag).
    // Not evalSummary: its per-tag counts join every tagged eval-ready session (~400 ms at 100,000 sessions).
    listChoices(db, ws),
    // The saved session's version now (this one's, or the one saved before moving on): drafts typed on it are newer.
    saved && saved !== "1" ? getSessionRow(db, ws, saved) : Promise.resolve(row),
  ]);
  const navQuery = toQuery([["view", view], ...params]);
  const reviewHref = (sid: string) => `/review/${encodeURIComponent(sid)}${navQuery}`;
  return c.html(
    <ReviewPage
      web={c.var.web}
      session={{ ...presentSession(row), messages: msgs.map(presentMessage) }}
      etag={o.etag ?? etagOf(row)}
      navQuery={navQuery}
      backHref={`/${view}${toQuery(params)}`}
      prevHref={nav.prevId ? reviewHref(nav.prevId) : null}
      nextHref={nav.nextId ? reviewHref(nav.nextId) : `/queue-done${navQuery}`}
      position={{ index: nav.index, total: nav.total, label: viewLabel(view, v) }}
      values={o.values ?? valuesOf(storedOf(row))}
      errors={o.errors}
      saved={saved === "1" && !o.errors && !o.conflict}
      savedIds={savedIds}
      savedEtags={savedIds.length > 0 && savedRow ? [etagOf(savedRow)] : []}
      conflict={o.conflict}
      family={family}
      tagSuggestions={choices.tags}
    />,
    o.status ?? 200,
  );
}

/** The form's fields as typed; a missing radio means no status was picked. */
function submittedValues(form: Form): LabelFormValues {
  return {
    evalStatus: text(form.evalStatus) ?? "",
    evalReady: text(form.evalReady) === "true",
    evalTags: texts(form.evalTags),
    evalNotes: text(form.evalNotes) ?? "",
    expectedOutput: text(form.expectedOutput) ?? "",
  };
}

async function saveReview(c: C) {
  const form = await csrfForm(c, c.var.web.csrf);
  const id = c.req.param("id")!;
  const { view, v, params } = queueOf(c);
  const db = c.var.db;
  const ws = c.var.web.workspace;
  const row = await getSessionRow(db, ws, id);
  if (!row) throw new ApiError("not_found", "There is no such session in this workspace.");
  const values = submittedValues(form);
  const etag = text(form.etag) ?? "";
  const ifMatch = parseIfMatch(etag);
  const version = Array.isArray(ifMatch) && ifMatch.length === 1 ? ifMatch[0]! : -1;
  const conflict = () =>
    reviewPage(c, {
      conflict: { by: row.reviewedBy ?? "someone else", when: row.reviewedAt ? ago(row.reviewedAt) : "recently", differences: differences(storedOf(row), values) },
      status: 409,
    });
  if (version !== row.version) return conflict();
  const parsed = parseLabelForm(values, storedOf(row));
  if (!parsed.ok) return reviewPage(c, { values, errors: parsed.errors, etag, status: 400 });
  try {
    await labelSession(db, ws, id, parsed.patch, version, await reviewerName(db, c.var.web.auth));
  } catch (err) {
    if (err instanceof ApiError && err.code === "precondition_failed") {
      const fresh = await getSessionRow(db, ws, id);
      if (fresh) Object.assign(row, fresh);
      return conflict();
    }
    throw err;
  }
  const navQuery = toQuery([["view", view], ...params]);
  if (text(form.then) === "next") {
    const updated = (await getSessionRow(db, ws, id)) ?? row;
    const nav = await queueAround(db, ws, filtersFor(view, v), updated);
    const target = nav.nextId ? `/review/${encodeURIComponent(nav.nextId)}` : "/queue-done";
    return c.redirect(`${target}${toQuery([["view", view], ...params, ["saved", id]])}`, 303);
  }
  return c.redirect(`/review/${encodeURIComponent(id)}${toQuery([["view", view], ...params, ["saved", "1"]])}`, 303);
}

async function queueDone(c: C) {
  const { view, v, params } = queueOf(c);
  const q = await firstOfQueue(c.var.db, c.var.web.workspace, filtersFor(view, v));
  const savedId = c.req.query("saved");
  const savedRow = savedId ? await getSessionRow(c.var.db, c.var.web.workspace, savedId) : undefined;
  const navQuery = toQuery([["view", view], ...params]);
  return c.html(
    <QueueDonePage
      web={c.var.web}
      label={viewLabel(view, v)}
      total={q.total}
      backHref={`/${view}${toQuery(params)}`}
      firstHref={q.firstId ? `/review/${encodeURIComponent(q.firstId)}${navQuery}` : null}
      savedId={savedId}
      savedEtag={savedRow ? etagOf(savedRow) : undefined}
    />,
  );
}

/** GET and POST /review/:id, and the page after a queue's last session. */
export const reviewRoutes = new Hono<AppEnv>();

reviewRoutes.get("/queue-done", pageHeaders, signedIn("sessions:read"), queueDone);
reviewRoutes.get("/review/:id", pageHeaders, signedIn("sessions:read"), (c) => reviewPage(c));
reviewRoutes.post("/review/:id", limitWebBody(WEB_BODY_LIMITS.form), pageHeaders, signedIn("evals:write"), saveReview);

