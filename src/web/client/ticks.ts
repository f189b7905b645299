/**
 * Ticks that survive paging: the ticked rows of a list (Sessions, Evals) are kept in sessionStorage under the
 * selection form's `data-ticks-key` (workspace, view and filters; not page, sort or size), as a list of ids. Each
 * function is self-contained or calls only the others here: their source is shipped to the browser as is
 * (client/script.ts), after being unit-tested on a plain Storage (test/web/unit/ticks.test.ts).
 */
export interface TickStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The most ids kept per key: above every limit an action takes, so a stored list never grows without end. */
export const TICKS_KEEP_MAX = 20000;

export function ticksStoreKey(ticksKey: string): string {
  return "evalport:ticks:" + ticksKey;
}

/**
 * The shape of a session id as the list renders it in a checkbox (`ses_` and base32; letters, digits, `_` and
 * `-`, at most 128 like the server takes): what comes back from storage is put in the DOM only if it fits.
 */
export function validTickId(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(id);
}

/** The stored ids for a key: only well-shaped ones, each once, in the order they were ticked; [] when none or broken. */
export function loadTicks(storage: TickStorage, key: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(key) || "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const seen: Record<string, true> = Object.create(null);
  const out: string[] = [];
  for (const id of parsed) {
    if (out.length >= 20000) break; // TICKS_KEEP_MAX (a literal: the shipped source may name nothing outside)
    if (!validTickId(id) || seen[id]) continue;
    seen[id] = true;
    out.push(id);
  }
  return out;
}

/** Keeps the ids (none: the key is removed, so an untouched list leaves storage empty). False when storage refused. */
export function saveTicks(storage: TickStorage, key: string, ids: string[]): boolean {
  try {
    if (ids.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(ids.slice(0, 20000)));
    return true;
  } catch {
    return false;
  }
}

/**
 * The ticks after this page's boxes changed: the stored ids of other pages stay (in their order), this page's ids
 * are as its boxes say now (ticked ones kept in place, newly ticked ones added at the end).
 */
export function mergeTicks(stored: string[], pageIds: string[], checked: string[]): string[] {
  const onPage: Record<string, true> = Object.create(null);
  for (const id of pageIds) onPage[id] = true;
  const on: Record<string, true> = Object.create(null);
  for (const id of checked) if (validTickId(id)) on[id] = true;
  const out: string[] = [];
  const seen: Record<string, true> = Object.create(null);
  for (const id of stored) {
    if (seen[id] || (onPage[id] && !on[id])) continue;
    seen[id] = true;
    out.push(id);
  }
  for (const id of checked) {
    if (!on[id] || seen[id]) continue;
    seen[id] = true;
    out.push(id);
  }
  return out;
}

/** The stored ids that are not rows of this page: what a post from this page must carry as hidden `id` fields. */
export function offPageTicks(stored: string[], pageIds: string[]): string[] {
  const onPage: Record<string, true> = Object.create(null);
  for (const id of pageIds) onPage[id] = true;
  return stored.filter((id) => validTickId(id) && !onPage[id]);
}

/**
 * The selection line: "Nothing selected", "3 selected", "7 selected (4 on other pages)", or that the whole view is
 * selected. Past a limit of the form's actions it says which: `bulkMax` for the bulk actions, `exportMax` (0: none
 * on this list) for Export and Save as dataset.
 */
export function ticksSummary(p: { onPage: number; total: number; all: boolean; bulkMax: number; exportMax: number }): string {
  if (p.all) return "Every session in this filtered view is selected.";
  if (p.total === 0) return "Nothing selected";
  const fmt = (n: number) => n.toLocaleString("en-US");
  const off = p.total - p.onPage;
  const s = fmt(p.total) + " selected" + (off > 0 ? " (" + fmt(off) + " on other pages)" : "");
  if (p.bulkMax > 0 && p.total > p.bulkMax) return s + ". One action takes at most " + fmt(p.bulkMax) + " ticked sessions: untick some, or narrow the filters and tick “Every session in this filtered view”.";
  if (p.exportMax > 0 && p.total > p.exportMax) return s + ". Export and Save as dataset take at most " + fmt(p.exportMax) + " ticked sessions.";
  return s;
}
