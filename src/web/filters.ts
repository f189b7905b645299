import { z } from "@hono/zod-openapi";
import { EVAL_STATUSES } from "../db/schema";
import { LIMITS } from "../lib/limits";
import { DEFAULT_ORDER, SORT_KEYS, type ListOrder, type SessionFilters, type SortDir, type SortKey } from "../sessions/queries";

const optText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.trim())
    .optional()
    .transform((s) => (s ? s : undefined));

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const yesNo = z
  .enum(["", "true", "false"])
  .optional()
  .transform((v) => (v ? v : undefined));

/** The page sizes offered; the default is the API's default page. */
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = LIMITS.listLimitDefault;

/**
 * View state (sort, direction, page, page size): not filters, so an invalid value (a hand-edited or stale link)
 * falls back to the default instead of refusing the page. Only values other than the default are kept, so links
 * stay short and a default view has one address.
 */
const viewState = {
  sort: z.enum(SORT_KEYS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  size: z.coerce
    .number()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
};

/** The filters both views share: full text, statuses ticked (any of), tags (all of), reviewed, source, model. */
const common = {
  q: optText(200),
  status: list
    .transform((v) => v.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EVAL_STATUSES)))
    .optional(),
  // One field (or query value) per tag: a comma is part of a tag.
  tag: list
    .transform((v) => [...new Set(v.map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(64)).max(20))
    .optional()
    .transform((v) => (v && v.length > 0 ? v : undefined)),
  reviewed: yesNo,
  source: optText(128),
  model: optText(256),
};

/** The Sessions view's filters, from its GET form (empty fields mean "any"), and its view state. */
export const sessionsViewSchema = z.object({ ...common, ready: yesNo, ...viewState });

/** The Evals view: the same filters over eval-ready sessions only. */
export const evalsViewSchema = z.object({ ...common, ...viewState });

export type SessionsView = z.infer<typeof sessionsViewSchema>;
export type EvalsView = z.infer<typeof evalsViewSchema>;
export type AnyView = SessionsView | EvalsView;
export type ViewName = "sessions" | "evals";

/** The sort a key gets when its column header is first clicked: names A→Z, everything else largest / newest first. */
export const defaultDir = (key: SortKey): SortDir => (key === "title" ? "asc" : "desc");

/** The view's order, page and page size, defaults filled in. */
export function viewStateOf(v: AnyView): { order: ListOrder; page: number; size: number } {
  const key = v.sort ?? DEFAULT_ORDER.key;
  return { order: { key, dir: v.dir ?? defaultDir(key) }, page: v.page ?? 1, size: v.size ?? DEFAULT_PAGE_SIZE };
}

/** What the list is filtered by and (for the review page's walk) in which order; filterConditions ignores `order`. */
export type ViewFilters = SessionFilters & { order?: ListOrder };

const bool = (v: string | undefined) => (v === undefined ? undefined : v === "true");

function commonFilters(v: AnyView): SessionFilters {
  return { q: v.q, statuses: v.status, tags: v.tag, reviewed: bool(v.reviewed), source: v.source, model: v.model };
}

export function sessionsViewFilters(v: SessionsView): ViewFilters {
  return { ...commonFilters(v), evalReady: bool(v.ready), order: viewStateOf(v).order };
}

export function evalsViewFilters(v: EvalsView): ViewFilters {
  return { ...commonFilters(v), evalReady: true, order: viewStateOf(v).order };
}

/**
 * The filters as query-string pairs: what a list form post carries as f_* fields (bulk actions, export, "Save as
 * dataset" act on exactly these) and the key under which the script remembers ticks.
 */
export function filterParams(view: ViewName, v: AnyView): [string, string][] {
  const out: [string, string][] = [];
  if (v.q) out.push(["q", v.q]);
  for (const st of v.status ?? []) out.push(["status", st]);
  for (const t of v.tag ?? []) out.push(["tag", t]);
  if (v.reviewed) out.push(["reviewed", v.reviewed]);
  if (v.source) out.push(["source", v.source]);
  if (v.model) out.push(["model", v.model]);
  if (view === "sessions" && (v as SessionsView).ready) out.push(["ready", (v as SessionsView).ready!]);
  return out;
}

/** The view state as query pairs, only where it differs from the default; `page` left out when `withPage` is false. */
export function stateParams(v: AnyView, withPage = true): [string, string][] {
  const out: [string, string][] = [];
  if (v.sort && v.sort !== DEFAULT_ORDER.key) out.push(["sort", v.sort]);
  const key = v.sort ?? DEFAULT_ORDER.key;
  if (v.dir && v.dir !== defaultDir(key)) out.push(["dir", v.dir]);
  if (v.size && v.size !== DEFAULT_PAGE_SIZE) out.push(["size", String(v.size)]);
  if (withPage && v.page && v.page > 1) out.push(["page", String(v.page)]);
  return out;
}

/** Filters then view state as query pairs, to rebuild links (review, back to the list, after a bulk action). */
export function viewParams(view: ViewName, v: AnyView): [string, string][] {
  return [...filterParams(view, v), ...stateParams(v)];
}

export const toQuery = (pairs: [string, string][]) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : "");

/** Reads a view's filters from a URLSearchParams-like record (GET query, or `f_`-prefixed form fields). */
export function parseView(view: ViewName, record: Record<string, string | string[]>) {
  return view === "sessions" ? sessionsViewSchema.safeParse(record) : evalsViewSchema.safeParse(record);
}

export function filtersFor(view: ViewName, v: AnyView): ViewFilters {
  return view === "sessions" ? sessionsViewFilters(v as SessionsView) : evalsViewFilters(v as EvalsView);
}

/** Link to the same view with some filters changed: the page goes back to 1, sort and size stay. */
export function viewHref(view: ViewName, v: AnyView, change: Partial<AnyView>): string {
  const next = { ...v, ...change, page: undefined } as AnyView;
  return `/${view}${toQuery([...filterParams(view, next), ...stateParams(next)])}`;
}

/** A column header's link: the active column flips its direction, another one starts at its own default. */
export function sortHref(view: ViewName, v: AnyView, key: SortKey): string {
  const { order } = viewStateOf(v);
  const dir: SortDir = order.key === key ? (order.dir === "asc" ? "desc" : "asc") : defaultDir(key);
  return viewHref(view, v, { sort: key, dir });
}

/** A page of the same view (filters, sort and size kept). */
export function pageHref(view: ViewName, v: AnyView, page: number): string {
  return `/${view}${toQuery([...filterParams(view, v), ...stateParams({ ...v, page })])}`;
}

/** Whether any filter is set (the Evals view's own eval-ready aside). */
export const isFiltered = (view: ViewName, v: AnyView) => filterParams(view, v).length > 0;

/** How the position line names the list: "Evals · needs review · tag auth", "Sessions · search “login”". */
export function viewLabel(view: ViewName, v: AnyView): string {
  const parts: string[] = [view === "evals" ? "Evals" : "Sessions"];
  if (v.q) parts.push(`search “${v.q}”`);
  if (v.status && v.status.length > 0) parts.push(v.status.map((st) => st.replace("_", " ")).join(" or "));
  for (const t of v.tag ?? []) parts.push(`tag ${t}`);
  if (v.reviewed) parts.push(v.reviewed === "true" ? "reviewed" : "not yet reviewed");
  if (v.source) parts.push(`source ${v.source}`);
  if (v.model) parts.push(`model ${v.model}`);
  if (view === "sessions" && (v as SessionsView).ready) parts.push((v as SessionsView).ready === "true" ? "eval-ready" : "not eval-ready");
  const { order } = viewStateOf(v);
  if (order.key !== DEFAULT_ORDER.key || order.dir !== DEFAULT_ORDER.dir) parts.push(`by ${SORT_LABEL[order.key].toLowerCase()} ${order.dir === "asc" ? "↑" : "↓"}`);
  return parts.join(" · ");
}

export const SORT_LABEL: Record<SortKey, string> = { created: "Created", title: "Title", messages: "Messages", tokens: "Tokens", cost: "Cost" };
