import { and, count, sql } from "drizzle-orm";
import { chunk, type Db } from "../db/client";
import { sessions } from "../db/schema";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { countSessions, filterConditions, listSessions, type SessionFilters } from "../sessions/queries";
import { emptyCounts, type Prior, type StatusCounts } from "./bulk-plan";
import { filtersFor, parseView, viewLabel, viewParams, type EvalsView, type SessionsView, type ViewFilters, type ViewName } from "./filters";
import { text, texts, type Form } from "./guard";

/**
 * What a list form post acts on: the view's filters (carried as `f_<name>` fields), the ticked rows (`id`) or
 * "every session in this filtered view" (`all=1`). Shared by the bulk actions, the export and "Save as dataset".
 */

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
export async function idsInView(db: Db, workspace: string, f: SessionFilters, cap = 10_000): Promise<string[]> {
  const ids: string[] = [];
  let cursor: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await listSessions(db, workspace, f, LIMITS.listLimitMax, cursor);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.next || ids.length >= cap) return ids.slice(0, cap);
    cursor = page.next;
  }
}

/** The most sessions one web bulk action, export dialog or undo takes (ticked, or a whole filtered view). */
export const SELECTION_MAX = 10_000;

/** What a list form post acts on, resolved: the view to return to, and the ticked ids or the view's ids. */
export interface Selection {
  view: ViewName;
  v: SessionsView | EvalsView;
  /** The view's filters as query pairs (back to the list) and as the `f_*` fields a follow-up form carries. */
  back: [string, string][];
  /** "Evals · golden", for "every session in this filtered view (…)". */
  label: string;
  /** `none`: nothing ticked and not "every session in this filtered view". */
  mode: "ticked" | "view" | "none";
  /** The ticked ids (distinct, as posted), or every id of the view. */
  ids: string[];
  filters: SessionFilters;
}

/** The `f_*` fields that carry a view's filters to the next form. */
export const filterFields = (back: [string, string][]): [string, string][] => back.map(([k, v]) => [`f_${k}`, v]);

/**
 * Resolves a list form's selection: `all=1` wins over ticked rows (as it always did) and takes the view's ids,
 * resolved with `filtersFor`; a view or a tick list over SELECTION_MAX is refused rather than cut short.
 */
export async function resolveSelection(db: Db, workspace: string, view: ViewName, form: Form, opts: { idsOfView?: boolean } = {}): Promise<Selection> {
  const v = viewOf(view, formFilters(form));
  const filters = filtersFor(view, v);
  const base = { view, v, back: viewParams(view, v), label: viewLabel(view, v), filters };
  if (text(form.all) === "1") {
    if (opts.idsOfView === false) return { ...base, mode: "view", ids: [] };
    const total = await countSessions(db, workspace, filters);
    if (total > SELECTION_MAX) {
      throw new ApiError("invalid_request", `This view holds ${total.toLocaleString("en-US")} sessions; one action takes at most ${SELECTION_MAX.toLocaleString("en-US")}. Narrow the filters and try again; nothing was changed.`);
    }
    return { ...base, mode: "view", ids: await idsInView(db, workspace, filters, SELECTION_MAX) };
  }
  const ids = [...new Set(texts(form.id).filter((id) => id.length > 0 && id.length <= 128))];
  if (ids.length > SELECTION_MAX) throw new ApiError("invalid_request", `Tick at most ${SELECTION_MAX.toLocaleString("en-US")} sessions at once; nothing was changed.`);
  return { ...base, mode: ids.length > 0 ? "ticked" : "none", ids };
}

const inIds = (ids: string[]) => sql`${sessions.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
const ID_CHUNK = 1_000;

/** The fields a bulk action may change, and the version, of the named sessions of the workspace (others absent). */
export async function readPriors(db: Db, workspace: string, ids: string[]): Promise<Prior[]> {
  const out: Prior[] = [];
  for (const part of chunk(ids, ID_CHUNK)) {
    out.push(
      ...(await db
        .select({
          id: sessions.id,
          version: sessions.version,
          evalStatus: sessions.evalStatus,
          evalTags: sessions.evalTags,
          evalReady: sessions.evalReady,
          reviewedAt: sessions.reviewedAt,
          reviewedBy: sessions.reviewedBy,
        })
        .from(sessions)
        .where(and(...filterConditions(workspace, {}), inIds(part)))),
    );
  }
  return out;
}

/** The current version of each named session of the workspace. */
export async function readVersions(db: Db, workspace: string, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunk(ids, ID_CHUNK)) {
    const rows = await db.select({ id: sessions.id, version: sessions.version }).from(sessions).where(and(...filterConditions(workspace, {}), inIds(part)));
    for (const r of rows) out.set(r.id, r.version);
  }
  return out;
}

/** Eval-ready sessions by status among the named ids, or in a filtered view: what an export of it holds. */
export async function exportCounts(db: Db, workspace: string, target: { ids: string[] } | { filters: SessionFilters }): Promise<StatusCounts> {
  const counts = emptyCounts();
  const add = (rows: { status: keyof StatusCounts; n: number }[]) => rows.forEach((r) => (counts[r.status] += r.n));
  const q = (conds: ReturnType<typeof filterConditions>) =>
    db.select({ status: sessions.evalStatus, n: count() }).from(sessions).where(and(...conds)).groupBy(sessions.evalStatus);
  if ("ids" in target) {
    for (const part of chunk(target.ids, ID_CHUNK)) add(await q([...filterConditions(workspace, { evalReady: true }), inIds(part)]));
  } else add(await q(filterConditions(workspace, { ...target.filters, evalReady: true })));
  return counts;
}

/**
 * A view's filters as the export reader takes them, when it can (eval-ready, statuses, tags); null when the view
 * filters on more (search, source…), and the export must name the view's ids instead.
 */
export function exportFiltersOf(f: SessionFilters): { statuses?: SessionFilters["statuses"]; tags?: string[] } | null {
  // The list's sort order (ViewFilters.order) does not change what is selected.
  const { evalReady, statuses, tags, order: _order, ...rest } = f as ViewFilters;
  if (evalReady === false || Object.values(rest).some((x) => x !== undefined)) return null;
  return { statuses, tags };
}
