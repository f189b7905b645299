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

/** The Evals view's filters: statuses ticked, tags typed comma-separated. */
export const evalsViewSchema = z.object({
  status: list
    .transform((v) => v.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EVAL_STATUSES)))
    .optional(),
  tag: list
    .transform((v) => v.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
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
    if (e.tag && e.tag.length > 0) out.push(["tag", e.tag.join(",")]);
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
