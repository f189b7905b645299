/**
 * List pages on a large workspace (issue 11: 100,000 sessions, search, filters and totals under 200 ms): each
 * query of GET /api/sessions and GET /api/evals timed through HTTP, a few runs, the median reported. The bench's
 * generated content is word salad over ~180 words, so every vocabulary word is in most sessions: the searches
 * here are the worst case for the full-text index (every term matches hundreds of thousands of messages).
 */
import { requestJson } from "./http";

export interface ListFigure {
  name: string;
  path: string;
  medianMs: number;
  runsMs: number[];
  total: number | null;
  status: number;
}

export const LIST_QUERIES: [string, string][] = [
  ["sessions, first page", "/api/sessions"],
  ["sessions, page 2 (cursor)", "CURSOR:/api/sessions"],
  ["status=golden", "/api/sessions?status=golden"],
  ["tag=auth", "/api/sessions?tag=auth"],
  ["reviewed=false", "/api/sessions?reviewed=false"],
  ["source + model", "/api/sessions?source=codex&model=o3"],
  ["q=zeppelin (no match)", "/api/sessions?q=zeppelin"],
  ["q=login (common word)", "/api/sessions?q=login"],
  ["q=login redirect (two common words)", "/api/sessions?q=login%20redirect"],
  ['q="login redirect" (phrase)', "/api/sessions?q=%22login%20redirect%22"],
  ["q=login&status=golden&tag=auth", "/api/sessions?q=login&status=golden&tag=auth"],
  ["evals, first page", "/api/evals"],
  ["evals status=golden,correct&reviewed=true", "/api/evals?status=golden,correct&reviewed=true"],
  ["evals q=cursor&tag=sql", "/api/evals?q=cursor&tag=sql"],
];

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `CURSOR:/api/…` resolved: the path of the list's second page (the first page's nextCursor). */
export async function resolveListPath(base: string, key: string, spec: string): Promise<string> {
  if (!spec.startsWith("CURSOR:")) return spec;
  const path = spec.slice(7);
  const first = await requestJson(base, "GET", path, { authorization: `Bearer ${key}` });
  const next = (first.body as { nextCursor?: string | null }).nextCursor;
  return `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(next ?? "")}`;
}

/** One timed GET of a JSON list (request written → body parsed), with its `total`. */
export async function timeList(base: string, key: string, path: string): Promise<{ ms: number; status: number; total: number | null }> {
  const t = performance.now();
  const r = await requestJson(base, "GET", path, { authorization: `Bearer ${key}` });
  const ms = performance.now() - t;
  return { ms, status: r.status, total: (r.body as { total?: number } | null)?.total ?? null };
}

export async function measureLists(o: { base: string; key: string; runs?: number }): Promise<ListFigure[]> {
  const headers = { authorization: `Bearer ${o.key}` };
  const out: ListFigure[] = [];
  for (const [name, spec] of LIST_QUERIES) {
    const path = await resolveListPath(o.base, o.key, spec);
    const runsMs: number[] = [];
    let last = { status: 0, body: null as unknown };
    for (let i = 0; i < (o.runs ?? 5); i++) {
      const t = performance.now();
      last = await requestJson(o.base, "GET", path, headers);
      runsMs.push(performance.now() - t);
    }
    const total = (last.body as { total?: number } | null)?.total ?? null;
    out.push({ name, path, medianMs: median(runsMs), runsMs, total, status: last.status });
  }
  return out;
}
