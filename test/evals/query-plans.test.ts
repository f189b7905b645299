import { env } from "cloudflare:workers";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../../src/db/schema";
import { syncTagsStatements } from "../../src/sessions/tags";
import { summaryQueries } from "../../src/evals/summary";
import { familyQueries } from "../../src/web/family";
import { countQuery, filterConditions, listChoices, offsetIdsQuery, offsetPageQuery, SORT_KEYS, type SessionFilters, type SortKey } from "../../src/sessions/queries";
import { db } from "../helpers";

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

async function plan(q: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql: text, params } = q.toSQL();
  const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`)
    .bind(...params)
    .all<PlanRow>();
  return res.results.map((r) => r.detail);
}

/** A plan row that reads a whole table: `SCAN sessions` / `SCAN session_tags` without an index. */
const fullScans = (rows: string[]) => rows.filter((d) => /^SCAN (sessions|session_tags)\b/.test(d) && !/USING .*INDEX/.test(d));

/** The same builder listSessions() runs (src/sessions/queries.ts), from the same filterConditions. */
function listQuery(f: SessionFilters, cursor?: { createdAt: number; id: string }) {
  const conds = filterConditions("ws-plan", f);
  if (cursor) conds.push(sql`(${sessions.createdAt}, ${sessions.id}) < (${cursor.createdAt}, ${cursor.id})`);
  return db()
    .select()
    .from(sessions)
    .where(and(...conds))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(51);
}

const cursor = { createdAt: 1_700_000_000_000, id: "ses_01M8BQ6BWCK5Z7NF0MEGJ5G8R4" };
const listCases: [string, SessionFilters, boolean][] = [
  ["GET /api/sessions", {}, false],
  ["GET /api/sessions + cursor", {}, true],
  ["evalReady=true", { evalReady: true }, false],
  ["evalReady=false", { evalReady: false }, false],
  ["status=golden (no evalReady)", { statuses: ["golden"] }, false],
  ["tag=auth", { tags: ["auth"] }, false],
  ["source", { source: "claude-code" }, false],
  ["model", { model: "m" }, false],
  ["q", { q: "login" }, false],
  ["GET /api/evals", { evalReady: true }, true],
  ["GET /api/evals?status=golden", { evalReady: true, statuses: ["golden"] }, false],
  ["GET /api/evals?status=golden,correct + cursor", { evalReady: true, statuses: ["golden", "correct"] }, true],
  ["GET /api/evals?tag=a&tag=b", { evalReady: true, tags: ["a", "b"] }, false],
  ["GET /api/evals?status=…&tag=… + cursor", { evalReady: true, statuses: ["golden", "incorrect"], tags: ["a"] }, true],
  ["every filter", { evalReady: true, statuses: ["golden"], tags: ["a"], source: "s", model: "m", q: "x" }, true],
  ["reviewed=false", { reviewed: false }, false],
  ["reviewed=true + cursor", { reviewed: true }, true],
  ["GET /api/evals?reviewed=false", { evalReady: true, reviewed: false }, true],
  ['q with two words and a "phrase"', { q: 'login redirect "auth provider"' }, true],
  ["GET /api/evals?q=…&status=…&reviewed=…", { evalReady: true, q: "x y", statuses: ["golden"], reviewed: true }, false],
];

describe("query plans: no full scan of sessions or session_tags", () => {
  for (const [name, f, withCursor] of listCases) {
    it(`list: ${name}`, async () => {
      const rows = await plan(listQuery(f, withCursor ? cursor : undefined));
      expect(fullScans(rows), rows.join("\n")).toEqual([]);
      // Newest-first comes straight from the index: no sort of the workspace's rows.
      expect(rows.filter((d) => /TEMP B-TREE/.test(d)), rows.join("\n")).toEqual([]);
      // The workspace narrows the sessions read through an index.
      expect(rows.some((d) => /^(SEARCH|SCAN) sessions USING .*INDEX/.test(d)), rows.join("\n")).toBe(true);
      if (f.tags?.length) {
        expect(rows.some((d) => /SEARCH session_tags USING (PRIMARY KEY|.*INDEX)/.test(d)), rows.join("\n")).toBe(true);
      }
    });
  }

  for (const [name, f] of listCases) {
    it(`total: ${name}`, async () => {
      const rows = await plan(countQuery(db(), "ws-plan", f));
      expect(fullScans(rows), rows.join("\n")).toEqual([]);
      const searchOnly = "q" in f && Object.keys(f).every((k) => k === "q");
      // A view filtered by search alone is counted from the full-text index: no session is read at all.
      expect(rows.some((d) => /^(SEARCH|SCAN) sessions\b/.test(d)), rows.join("\n")).toBe(!searchOnly);
      if (!searchOnly) expect(rows.some((d) => /^(SEARCH|SCAN) sessions USING .*INDEX/.test(d)), rows.join("\n")).toBe(true);
    });
  }

  it("a search never finds sessions by rowid from its set (each of a common word's entries would be a lookup)", async () => {
    const withQ = listCases.filter(([, f]) => f.q).map(([, f]) => f);
    withQ.push({ q: "cursor", tags: ["sql"] }, { q: "cursor", tags: ["sql"], evalReady: true, statuses: ["golden"] }, { q: "login", source: "codex" });
    for (const f of withQ) {
      const queries = [listQuery(f), countQuery(db(), "ws-plan", f), ...summaryQueries(db(), "ws-plan", f), offsetIdsQuery(db(), "ws-plan", f, { key: "cost", dir: "desc" }, 50, 0)];
      for (const q of queries) {
        const rows = await plan(q);
        expect(rows.filter((d) => /sessions USING INTEGER PRIMARY KEY/.test(d)), `${JSON.stringify(f)}\n${rows.join("\n")}`).toEqual([]);
      }
    }
  });

  it("a web view's filters (they carry the sort order too) count a search-only view from the index as well", async () => {
    const webView = { q: "login", order: { key: "cost", dir: "desc" }, statuses: [], tags: [] } as SessionFilters;
    const rows = await plan(countQuery(db(), "ws-plan", webView));
    expect(rows.some((d) => /^(SEARCH|SCAN) sessions\b/.test(d)), rows.join("\n")).toBe(false);
  });

  /** The full-text lookups of a plan: each must be bounded to the workspace's rowid range (`><`, migration 0008). */
  const ftsScans = (rows: string[]) => rows.filter((d) => /session_text_fts VIRTUAL TABLE INDEX/.test(d));

  it("q reads the one FTS index within the workspace's rowid range, never the messages table", async () => {
    for (const f of [{ q: "login redirect" }, { q: "login redirect", evalReady: true }]) {
      const counted = await plan(countQuery(db(), "ws-plan", f));
      const listed = await plan(listQuery(f));
      for (const rows of [counted, listed]) {
        expect(ftsScans(rows).length, rows.join("\n")).toBe(2); // one lookup per word: titles and messages are one index
        expect(ftsScans(rows).every((d) => /INDEX 0:M1><$/.test(d)), rows.join("\n")).toBe(true);
        expect(rows.filter((d) => /\bmessages\b/.test(d)), rows.join("\n")).toEqual([]);
      }
    }
  });

  it("reviewed: the workspace's counts seek 0004's expression index, the eval-ready ones count from 0007's entries alone", async () => {
    for (const f of [{ reviewed: false }, { reviewed: true }]) {
      const rows = await plan(countQuery(db(), "ws-plan", f));
      expect(rows.some((d) => /^SEARCH sessions USING (COVERING )?INDEX sessions_workspace_reviewed_created \(workspace_id=\? AND <expr>=\?\)/.test(d)), rows.join("\n")).toBe(true);
    }
    const evals: SessionFilters[] = [{ evalReady: true, reviewed: false }, { evalReady: true, statuses: ["golden", "correct"], reviewed: true }];
    for (const f of evals) {
      const rows = await plan(countQuery(db(), "ws-plan", f));
      expect(rows.some((d) => /^SEARCH sessions USING COVERING INDEX sessions_ready_workspace_status_reviewed \(workspace_id=\?/.test(d)), rows.join("\n")).toBe(true);
    }
  });

  it("summary: per-status and per-tag counts", async () => {
    const [byStatus, byTag] = summaryQueries(db(), "ws-plan");
    for (const q of [byStatus, byTag]) {
      const rows = await plan(q);
      expect(fullScans(rows), rows.join("\n")).toEqual([]);
    }
    // The whole Evals view, or some statuses: tag rows' own copies, one covering index, no session read.
    const labelsOnly: SessionFilters[] = [{}, { statuses: ["golden", "correct"] }, { reviewed: true }, { statuses: ["golden"], reviewed: false }];
    for (const f of labelsOnly) {
      const tagRows = await plan(summaryQueries(db(), "ws-plan", f)[1]);
      expect(tagRows.some((d) => /SEARCH session_tags USING COVERING INDEX session_tags_workspace_ready_tag \(workspace_id=\? AND eval_ready=\?\)/.test(d)), tagRows.join("\n")).toBe(true);
      expect(tagRows.filter((d) => /\bsessions\b/.test(d)), tagRows.join("\n")).toEqual([]);
    }
    // Per-status counts of a reviewed view: one covering index (migration 0007), not a row lookup per session.
    for (const f of [{ reviewed: true }, { statuses: ["golden", "correct"] as const, reviewed: false }]) {
      const rows = await plan(summaryQueries(db(), "ws-plan", { ...f, statuses: f.statuses && [...f.statuses] })[0]);
      expect(rows, rows.join("\n")).toEqual(["SEARCH sessions USING COVERING INDEX sessions_ready_workspace_status_reviewed (workspace_id=?)"]);
    }
    // Per-status counts of a source's or model's view narrow by that index too.
    const sourceStatus = await plan(summaryQueries(db(), "ws-plan", { source: "codex", model: "o3" })[0]);
    expect(sourceStatus.some((d) => /SEARCH sessions USING INDEX sessions_workspace_(source|model)_created /.test(d)), sourceStatus.join("\n")).toBe(true);
    // Other filters: the matching sessions first (outer loop), then each one's tags from (session_id, workspace_id, tag), index only.
    for (const f of [{ source: "codex" }, { tags: ["auth"], source: "codex" }, { q: "login" }, { q: "login", statuses: ["golden" as const], reviewed: true }]) {
      const joined = await plan(summaryQueries(db(), "ws-plan", f)[1]);
      expect(fullScans(joined), joined.join("\n")).toEqual([]);
      const outer = joined.findIndex((d) => /^SEARCH sessions USING/.test(d));
      const inner = joined.findIndex((d) => /^SEARCH session_tags USING COVERING INDEX session_tags_session_tag \(session_id=\?/.test(d));
      expect(outer, joined.join("\n")).toBeGreaterThanOrEqual(0);
      expect(inner, joined.join("\n")).toBeGreaterThan(outer);
    }
    // A named source or model narrows by its own index, not by walking every eval-ready session.
    const narrowed: [SessionFilters, string][] = [
      [{ source: "codex" }, "sessions_workspace_source_created"],
      [{ model: "o3", statuses: ["golden"] }, "sessions_workspace_model_created"],
      // A tag's sessions drive: each looked up by id, not the workspace walked.
      [{ tags: ["auth"], model: "o3" }, "sqlite_autoindex_sessions_1"],
    ];
    // A tag's view with labels only: the tag rows alone, no session read — status counts from one covering
    // index, tag counts from the first tag's rows and each session's other rows.
    const tagViews: SessionFilters[] = [{ tags: ["auth"] }, { tags: ["auth", "sql"], statuses: ["golden"] }, { tags: ["auth"], reviewed: false, statuses: ["correct"] }];
    for (const f of tagViews) {
      const [statusQuery, tagsQuery] = summaryQueries(db(), "ws-plan", f);
      const status = await plan(statusQuery);
      const tags = await plan(tagsQuery);
      for (const rows of [status, tags]) expect(rows.filter((d) => /\bsessions\b/.test(d)), rows.join("\n")).toEqual([]);
      // One tag: index entries alone; more tags also read each row's session_id to test it against the others' sets.
      const covering = f.tags!.length === 1 ? "COVERING " : "";
      expect(status[0], status.join("\n")).toBe(`SEARCH a USING ${covering}INDEX session_tags_workspace_ready_tag (workspace_id=? AND eval_ready=? AND tag=?)`);
      expect(tags.some((d) => /^SEARCH b USING COVERING INDEX session_tags_session_tag \(session_id=\? AND workspace_id=\?/.test(d)), tags.join("\n")).toBe(true);
      expect(fullScans(tags), tags.join("\n")).toEqual([]);
    }
    for (const [f, index] of narrowed) {
      const rows = await plan(summaryQueries(db(), "ws-plan", f)[1]);
      expect(rows.some((d) => d.startsWith(`SEARCH sessions USING INDEX ${index} `)), rows.join("\n")).toBe(true);
    }
  });

  it("the review page's family: the parent by external id, the children by parent in start order, no walk", async () => {
    const [parent, children] = familyQueries(db(), "ws-plan", { externalId: "run-1", parentExternalId: "run-0" });
    expect(await plan(parent)).toEqual(["SEARCH sessions USING INDEX sessions_workspace_external (workspace_id=? AND external_id=?)"]);
    expect(await plan(children)).toEqual(["SEARCH sessions USING INDEX sessions_workspace_parent_created (workspace_id=? AND parent_external_id=?)"]);
  });

  it("labelling: the tag-index sync statements and the bulk lookups", async () => {
    const d = db();
    const queries = [
      ...(syncTagsStatements(d, "ws-plan", "ses_x", ["a", "b"]) as unknown as { toSQL(): { sql: string; params: unknown[] } }[]),
      d.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.workspaceId, "ws-plan"), inArray(sessions.id, ["a", "b"]))),
      d.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.workspaceId, "ws-plan"), inArray(sessions.externalId, ["a", "b"]))),
    ];
    for (const q of queries) {
      const rows = await plan(q);
      expect(fullScans(rows), `${q.toSQL().sql}\n${rows.join("\n")}`).toEqual([]);
    }
  });
});

describe("query plans: the web lists' sorted pages and filter choices", () => {
  const indexOf = (key: SortKey, ready: boolean) =>
    `sessions_workspace_${ready ? "ready_" : ""}${key === "created" ? "created" : `${key}_sort`}`;

  for (const key of SORT_KEYS) {
    for (const dir of ["asc", "desc"] as const) {
      for (const ready of [false, true]) {
        it(`${ready ? "Evals" : "Sessions"} sorted by ${key} ${dir}: the page's ids come in index order`, async () => {
          const f: SessionFilters = ready ? { evalReady: true } : {};
          const rows = await plan(offsetIdsQuery(db(), "ws-plan", f, { key, dir }, 50, 5000));
          expect(fullScans(rows), rows.join("\n")).toEqual([]);
          // No sort of the workspace's rows: a deep page walks index entries only (a covering index holds the id).
          expect(rows.filter((d) => /TEMP B-TREE/.test(d)), rows.join("\n")).toEqual([]);
          expect(rows.some((d) => d.includes(`INDEX ${indexOf(key, ready)} `)), rows.join("\n")).toBe(true);
        });
      }
    }
  }

  it("the page's rows are read by id, and a filtered sorted page scans no table", async () => {
    const filtered: SessionFilters[] = [{ statuses: ["golden"] }, { evalReady: true, tags: ["auth"] }, { q: "login", reviewed: false }, { source: "codex", model: "o3" }];
    for (const f of filtered) {
      for (const key of SORT_KEYS) {
        const rows = await plan(offsetPageQuery(db(), "ws-plan", f, { key, dir: "desc" }, 50, 100));
        expect(fullScans(rows), `${key} ${JSON.stringify(f)}\n${rows.join("\n")}`).toEqual([]);
        expect(rows.some((d) => /SEARCH sessions USING (INDEX|PRIMARY KEY|INTEGER PRIMARY KEY|COVERING INDEX).*\bid=\?/.test(d)), rows.join("\n")).toBe(true);
      }
    }
  });

  it("the filter choices seek the (workspace, value) indexes, one step per distinct value", async () => {
    const seen: string[] = [];
    const real = env.DB.prepare.bind(env.DB);
    // listChoices builds its SQL by hand: catch the text it prepares, then plan that.
    const spy = { ...db(), $client: { prepare: (text: string) => (seen.push(text), real(text)) } } as unknown as ReturnType<typeof db>;
    await listChoices(spy, "ws-plan");
    expect(seen).toHaveLength(1);
    const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${seen[0]}`).bind("ws-plan").all<PlanRow>();
    const rows = res.results.map((r) => r.detail);
    expect(fullScans(rows), rows.join("\n")).toEqual([]);
    expect(rows.some((d) => /sessions_workspace_source_created/.test(d)), rows.join("\n")).toBe(true);
    expect(rows.some((d) => /sessions_workspace_model_created/.test(d)), rows.join("\n")).toBe(true);
  });
});
