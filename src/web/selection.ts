import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { listSessions, type SessionFilters } from "../sessions/queries";
import type { Db } from "../db/client";
import { parseView, type EvalsView, type SessionsView, type ViewName } from "./filters";
import { texts, type Form } from "./guard";

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
