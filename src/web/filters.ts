import { z } from "@hono/zod-openapi";
import { EVAL_STATUSES } from "../db/schema";
import type { SessionFilters } from "../sessions/queries";

const optText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.trim())
    .optional()
    .transform((s) => (s ? s : undefined));

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** The Sessions view's filters, from its GET form (empty fields mean "any"). */
export const sessionsViewSchema = z.object({
  source: optText(128),
  model: optText(256),
  q: optText(200),
  ready: z.enum(["", "true", "false"]).optional().transform((v) => (v ? v : undefined)),
});

/** The Evals view's filters: statuses ticked, one field (or query value) per tag — a comma is part of a tag. */
export const evalsViewSchema = z.object({
  status: list
    .transform((v) => v.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EVAL_STATUSES)))
    .optional(),
  tag: list
    .transform((v) => [...new Set(v.map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(64)).max(20))
    .optional(),
});

export type SessionsView = z.infer<typeof sessionsViewSchema>;
export type EvalsView = z.infer<typeof evalsViewSchema>;
export type ViewName = "sessions" | "evals";

export function sessionsViewFilters(v: SessionsView): SessionFilters {
  return { source: v.source, model: v.model, q: v.q, evalReady: v.ready === undefined ? undefined : v.ready === "true" };
}

export function evalsViewFilters(v: EvalsView): SessionFilters {
  return { evalReady: true, statuses: v.status, tags: v.tag };
}

/** The filters as query-string pairs, to rebuild links (pager, review, back to the list). */
export function viewParams(view: ViewName, v: SessionsView | EvalsView): [string, string][] {
  const out: [string, string][] = [];
  if (view === "sessions") {
    const s = v as SessionsView;
    for (const k of ["source", "model", "q", "ready"] as const) if (s[k]) out.push([k, s[k]!]);
  } else {
    const e = v as EvalsView;
    for (const st of e.status ?? []) out.push(["status", st]);
    for (const t of e.tag ?? []) out.push(["tag", t]);
  }
  return out;
}

export const toQuery = (pairs: [string, string][]) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : "");

/** Reads a view's filters from a URLSearchParams-like record (GET query, or `f_`-prefixed form fields). */
export function parseView(view: ViewName, record: Record<string, string | string[]>) {
  return view === "sessions" ? sessionsViewSchema.safeParse(record) : evalsViewSchema.safeParse(record);
}

export function filtersFor(view: ViewName, v: SessionsView | EvalsView): SessionFilters {
  return view === "sessions" ? sessionsViewFilters(v as SessionsView) : evalsViewFilters(v as EvalsView);
}

/** How the position line names the list: "Evals · needs review · tag auth", "Sessions · search “login”". */
export function viewLabel(view: ViewName, v: SessionsView | EvalsView): string {
  const parts: string[] = [view === "evals" ? "Evals" : "Sessions"];
  if (view === "sessions") {
    const s = v as SessionsView;
    if (s.q) parts.push(`search “${s.q}”`);
    if (s.source) parts.push(`source ${s.source}`);
    if (s.model) parts.push(`model ${s.model}`);
    if (s.ready) parts.push(s.ready === "true" ? "eval-ready" : "not eval-ready");
  } else {
    const e = v as EvalsView;
    if (e.status && e.status.length > 0) parts.push(e.status.map((st) => st.replace("_", " ")).join(" or "));
    for (const t of e.tag ?? []) parts.push(`tag ${t}`);
  }
  return parts.join(" · ");
}
