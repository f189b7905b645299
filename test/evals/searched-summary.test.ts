import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { EVAL_STATUSES } from "../../src/db/schema";
import { evalSummary, searchedSummarySql } from "../../src/evals/summary";
import type { SessionFilters } from "../../src/sessions/queries";
import { call, db, env, makeKey, sessionBody } from "../helpers";

/**
 * A searched Evals chart is one statement over the view's matched sessions (src/evals/summary.ts
 * `searchedSummarySql`). Its counts must be the ones the list itself gives: per status, the total of the view
 * with that status; per tag, the listed sessions carrying it.
 */
const WS = "searched-summary";

interface Listed {
  sessions: { id: string; evalStatus: string; evalTags: string[] }[];
  total: number;
}

async function listed(key: string, query: string): Promise<Listed> {
  const res = await call(`/api/sessions?evalReady=true&limit=200&${query}`, { key });
  expect(res.status, query).toBe(200);
  return res.json();
}

describe("searched Evals chart", () => {
  it("counts per status and per tag what the list of the same filters holds", async () => {
    const key = await makeKey(WS);
    const bodies = Array.from({ length: 60 }, (_, i) =>
      sessionBody({
        title: i % 3 ? `heron ${i}` : `crane ${i}`,
        messages: [{ role: "user", content: i % 4 ? "fix the cursor pagination" : "nothing to see" }],
        evalReady: i % 9 !== 0,
        evalStatus: EVAL_STATUSES[i % 4],
        evalTags: [i % 2 ? "sql" : "auth", ...(i % 5 === 0 ? ["flaky"] : []), ...(i % 7 === 0 ? ["ζ-unicode"] : [])],
        source: i % 3 === 1 ? "codex" : "claude-code",
      }),
    );
    expect((await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies } })).status).toBe(200);
    const views: [SessionFilters, string][] = [
      [{ q: "heron" }, "q=heron"],
      [{ q: "cursor pagination" }, "q=cursor%20pagination"],
      [{ q: "cursor", tags: ["sql"] }, "q=cursor&tag=sql"],
      [{ q: "cursor", statuses: ["golden", "incorrect"] }, "q=cursor&status=golden,incorrect"],
      [{ q: "heron", source: "codex", tags: ["flaky"] }, "q=heron&source=codex&tag=flaky"],
      [{ q: "zeppelin" }, "q=zeppelin"],
    ];
    for (const [f, query] of views) {
      const summary = await evalSummary(db(), WS, { ...f, evalReady: true });
      for (const status of EVAL_STATUSES) {
        const withStatus = query.replace(/&status=[^&]*/, "") + `&status=${status}`;
        expect(summary.byStatus[status], `${query}: ${status}`).toBe((await listed(key, withStatus)).total);
      }
      const rows = (await listed(key, query)).sessions;
      const counts = new Map<string, number>();
      for (const s of rows) for (const t of s.evalTags) counts.set(t, (counts.get(t) ?? 0) + 1);
      const expected = [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
      expect(summary.tags, query).toEqual(expected);
    }
  });

  it("reads each word's index entries once, never a session by rowid", async () => {
    const { sql: text, params } = new SQLiteAsyncDialect().sqlToQuery(searchedSummarySql(WS, { q: "cursor pagination", tags: ["sql"], statuses: ["golden"] }));
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>();
    const rows = plan.results.map((r) => r.detail);
    expect(rows.filter((d) => /session_text_fts VIRTUAL TABLE/.test(d)).length, rows.join("\n")).toBe(2);
    expect(rows.filter((d) => /sessions USING INTEGER PRIMARY KEY|^SCAN sessions\b/.test(d)), rows.join("\n")).toEqual([]);
  });
});
