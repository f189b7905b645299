import { describe, expect, it } from "vitest";
import { evalSummary } from "../../src/evals/summary";
import { call, db, env, ingest, sessionBody } from "../helpers";
import { markReady, patchEval, workspaceKey, type Json } from "./helpers";

/**
 * session_tags carries copies of its session's eval_ready and eval_status (migration 0006, kept by triggers) so the
 * Evals chart counts tags from one index. These tests change sessions through every write path and check that the
 * copies follow and that the counts equal ones computed the slow way, from the sessions' own eval_tags.
 */

/** Tag rows whose copies differ from their session, and tag rows that do not match the session's eval_tags. */
async function drift(ws: string): Promise<{ copies: number; rows: number; tags: number }> {
  const copies = await env.DB.prepare(
    `SELECT count(*) AS n FROM session_tags st JOIN sessions s ON s.id = st.session_id
     WHERE st.workspace_id = ?1 AND (st.eval_ready IS NOT s.eval_ready OR st.eval_status IS NOT s.eval_status
       OR st.reviewed IS NOT (s.reviewed_at IS NOT NULL))`,
  )
    .bind(ws)
    .first<{ n: number }>();
  const rows = await env.DB.prepare(`SELECT count(*) AS n FROM session_tags WHERE workspace_id = ?1`).bind(ws).first<{ n: number }>();
  const tags = await env.DB.prepare(`SELECT coalesce(sum(json_array_length(eval_tags)), 0) AS n FROM sessions WHERE workspace_id = ?1`)
    .bind(ws)
    .first<{ n: number }>();
  return { copies: copies!.n, rows: rows!.n, tags: tags!.n };
}

/** Per-tag counts of eval-ready sessions (of some statuses), from sessions.eval_tags, sorted as the summary sorts. */
async function slowCounts(ws: string, statuses?: string[], reviewed?: boolean): Promise<{ tag: string; count: number }[]> {
  const res = await env.DB.prepare(
    `SELECT t.value AS tag, count(*) AS n FROM sessions s, json_each(s.eval_tags) t
     WHERE s.workspace_id = ?1 AND s.eval_ready = 1 AND s.eval_status IN (SELECT value FROM json_each(?2))
       ${reviewed === undefined ? "" : `AND (s.reviewed_at IS NOT NULL) = ${reviewed ? 1 : 0}`}
     GROUP BY t.value ORDER BY n DESC, t.value ASC`,
  )
    .bind(ws, JSON.stringify(statuses ?? ["golden", "correct", "incorrect", "needs_review"]))
    .all<{ tag: string; n: number }>();
  return res.results.map((r) => ({ tag: r.tag, count: r.n }));
}

async function expectInStep(ws: string, key: string) {
  const d = await drift(ws);
  expect(d.copies, "tag rows whose eval_ready/eval_status differ from their session").toBe(0);
  expect(d.rows).toBe(d.tags);
  const summary = await (await call("/api/evals/summary", { key })).json<Json>();
  expect(summary.tags).toEqual(await slowCounts(ws));
  for (const statuses of [["golden"], ["correct", "incorrect"], ["needs_review"]]) {
    const filtered = await evalSummary(db(), ws, { statuses: statuses as ("golden" | "correct" | "incorrect" | "needs_review")[] });
    expect(filtered.tags, statuses.join(",")).toEqual(await slowCounts(ws, statuses));
  }
  for (const reviewed of [true, false]) {
    expect((await evalSummary(db(), ws, { reviewed })).tags, `reviewed=${reviewed}`).toEqual(await slowCounts(ws, undefined, reviewed));
    const st = ["golden", "needs_review"] as const;
    expect((await evalSummary(db(), ws, { reviewed, statuses: [...st] })).tags).toEqual(await slowCounts(ws, [...st], reviewed));
  }
}

describe("tag counts follow every change of eval-ready, status and tags", () => {
  it("ingest, PATCH, bulk label, mark/unmark, re-ingest and delete", async () => {
    const { ws, key } = await workspaceKey();
    // Ingest with labels in the body: the session row is written, then its tag rows.
    const a = await ingest(key, sessionBody({ evalReady: true, evalStatus: "golden", evalTags: ["auth", "ui"] }));
    const b = await ingest(key, sessionBody({ evalTags: ["auth"] }));
    const cBody = sessionBody({ evalReady: true, evalStatus: "incorrect", evalTags: ["ui", "slow"] });
    const c = await ingest(key, cBody);
    await expectInStep(ws, key);
    expect((await (await call("/api/evals/summary", { key })).json<Json>()).tags).toEqual([
      { tag: "ui", count: 2 },
      { tag: "auth", count: 1 },
      { tag: "slow", count: 1 },
    ]);

    // One session's label: status only (tags unchanged, the copies must still follow), then tags only.
    expect((await patchEval(key, a.id, { evalStatus: "correct" })).status).toBe(200);
    await expectInStep(ws, key);
    expect((await patchEval(key, a.id, { evalTags: ["auth", "db"] })).status).toBe(200);
    await expectInStep(ws, key);

    // reviewed_at alone (every API path that sets tags also reviews, so this is written directly): the copies follow.
    await env.DB.prepare("UPDATE sessions SET reviewed_at = NULL WHERE id = ?1").bind(c.id).run();
    await expectInStep(ws, key);
    expect((await patchEval(key, c.id, { evalNotes: "looked at it" })).status).toBe(200);
    await expectInStep(ws, key);
    // A tag row written without the copies (as the web undo rewrites tags before the session row): the insert
    // trigger fills them in.
    await env.DB.batch([
      env.DB.prepare("UPDATE sessions SET eval_tags = json_insert(eval_tags, '$[#]', 'undone') WHERE id = ?1").bind(c.id),
      env.DB.prepare("INSERT INTO session_tags (workspace_id, tag, session_id) VALUES (?1, 'undone', ?2)").bind(ws, c.id),
    ]);
    await expectInStep(ws, key);

    // Mark and unmark: eval_ready alone changes.
    expect((await markReady(key, { sessionIds: [b.id] })).status).toBe(200);
    await expectInStep(ws, key);
    expect((await markReady(key, { sessionIds: [c.id], ready: false })).status).toBe(200);
    await expectInStep(ws, key);

    // Bulk label: status and tags of several sessions in one transaction.
    const bulk = await call("/api/evals/label", { method: "POST", key, json: { sessionIds: [a.id, b.id, c.id], evalStatus: "golden", addTags: ["bulk"], removeTags: ["auth"] } });
    expect(bulk.status).toBe(200);
    await expectInStep(ws, key);
    expect((await call("/api/evals/label", { method: "POST", key, json: { sessionIds: [c.id], evalReady: true } })).status).toBe(200);
    await expectInStep(ws, key);

    // Re-ingest of a session with other labels (an upsert's UPDATE fires the trigger too).
    await ingest(key, { ...cBody, evalReady: false, evalStatus: "needs_review" });
    await expectInStep(ws, key);

    // Delete: its tag rows go with it.
    expect((await call(`/api/sessions/${a.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectInStep(ws, key);
  });

  it("a view filtered by source, model or tag counts the tags of exactly its eval-ready sessions", async () => {
    const { ws, key } = await workspaceKey();
    const spec: [string, string, boolean, string[]][] = [
      ["codex", "o3", true, ["a", "b"]],
      ["codex", "o3", false, ["a"]],
      ["codex", "gpt-5", true, ["b", "c"]],
      ["cursor", "o3", true, ["a", "c"]],
      ["cursor", "o3", true, ["c"]],
    ];
    for (const [source, model, evalReady, evalTags] of spec) await ingest(key, sessionBody({ source, model, evalReady, evalTags }));
    const slow = async (where: string, ...binds: string[]) =>
      (
        await env.DB.prepare(
          `SELECT t.value AS tag, count(*) AS n FROM sessions s, json_each(s.eval_tags) t WHERE s.workspace_id = ?1 AND s.eval_ready = 1 AND ${where}
           GROUP BY t.value ORDER BY n DESC, t.value ASC`,
        )
          .bind(ws, ...binds)
          .all<{ tag: string; n: number }>()
      ).results.map((r) => ({ tag: r.tag, count: r.n }));
    expect((await evalSummary(db(), ws, { source: "codex" })).tags).toEqual(await slow("s.source = ?2", "codex"));
    expect((await evalSummary(db(), ws, { model: "o3" })).tags).toEqual(await slow("s.model = ?2", "o3"));
    expect((await evalSummary(db(), ws, { source: "cursor", model: "o3" })).tags).toEqual([{ tag: "c", count: 2 }, { tag: "a", count: 1 }]);
    expect((await evalSummary(db(), ws, { tags: ["a"] })).tags).toEqual(await slow("EXISTS (SELECT 1 FROM json_each(s.eval_tags) x WHERE x.value = 'a')"));
    expect((await evalSummary(db(), ws, { model: "o3", statuses: ["needs_review"] })).tags).toEqual(await slow("s.model = ?2 AND s.eval_status = 'needs_review'", "o3"));
  });

  it("a tag's view (more tags, statuses, reviewed beside it) counts statuses and tags as its sessions' own fields say", async () => {
    const { ws, key } = await workspaceKey();
    const tagSets = [["a"], ["a", "b"], ["b"], ["a", "b", "c"], ["a", "c"], [], ["c"], ["a"]];
    const statuses = ["golden", "correct", "incorrect", "needs_review"] as const;
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const s = await ingest(key, sessionBody({ evalReady: i % 5 !== 4, evalTags: tagSets[i % tagSets.length] }));
      ids.push(s.id);
    }
    // Labels through the API: a status, and with it reviewedAt, on all but every third session.
    for (let i = 0; i < ids.length; i++) {
      if (i % 3 !== 2) expect((await patchEval(key, ids[i]!, { evalStatus: statuses[i % 4] })).status).toBe(200);
    }
    const rows = (
      await env.DB.prepare(`SELECT eval_ready, eval_status, reviewed_at, eval_tags FROM sessions WHERE workspace_id = ?1`).bind(ws).all<{
        eval_ready: number;
        eval_status: string;
        reviewed_at: number | null;
        eval_tags: string;
      }>()
    ).results.map((r) => ({ ready: r.eval_ready === 1, status: r.eval_status, reviewed: r.reviewed_at !== null, tags: JSON.parse(r.eval_tags) as string[] }));
    // Tags sent at ingest are a label, so every tagged session here is reviewed; reviewed=false views count none.
    expect(rows.some((r) => !r.ready) && rows.some((r) => r.ready)).toBe(true);
    const views: Parameters<typeof evalSummary>[2][] = [
      { tags: ["a"] },
      { tags: ["b", "a"] },
      { tags: ["a", "a"] },
      { tags: ["a", "b", "c"] },
      { tags: ["zzz"] },
      { tags: ["a"], statuses: ["golden", "incorrect"] },
      { tags: ["c"], reviewed: true },
      { tags: ["a"], reviewed: false, statuses: ["needs_review"] },
      { tags: ["a", "c"], statuses: ["correct"], reviewed: true },
    ];
    for (const f of views) {
      const inView = (r: (typeof rows)[number], withStatus: boolean) =>
        r.ready &&
        f!.tags!.every((t) => r.tags.includes(t)) &&
        (f!.reviewed === undefined || r.reviewed === f!.reviewed) &&
        (!withStatus || !f!.statuses || f!.statuses.includes(r.status as (typeof statuses)[number]));
      const byStatus = Object.fromEntries(statuses.map((st) => [st, rows.filter((r) => inView(r, false) && r.status === st).length]));
      const counts = new Map<string, number>();
      for (const r of rows.filter((r) => inView(r, true))) for (const t of r.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      const tags = [...counts].map(([tag, count]) => ({ tag, count })).sort((x, y) => y.count - x.count || (x.tag < y.tag ? -1 : 1));
      const got = await evalSummary(db(), ws, f);
      expect(got.byStatus, JSON.stringify(f)).toEqual(byStatus);
      expect(got.total, JSON.stringify(f)).toBe(Object.values(byStatus).reduce((x, y) => x + y, 0));
      expect(got.tags, JSON.stringify(f)).toEqual(tags);
    }
  });

  it("a workspace's counts never include another workspace's tags", async () => {
    const one = await workspaceKey();
    const two = await workspaceKey();
    await ingest(one.key, sessionBody({ evalReady: true, evalStatus: "golden", evalTags: ["mine"] }));
    await ingest(two.key, sessionBody({ evalReady: true, evalStatus: "golden", evalTags: ["theirs"] }));
    expect((await evalSummary(db(), one.ws, { statuses: ["golden"] })).tags).toEqual([{ tag: "mine", count: 1 }]);
    expect((await (await call("/api/evals/summary", { key: two.key })).json<Json>()).tags).toEqual([{ tag: "theirs", count: 1 }]);
  });

  it("many sessions changed in parallel keep their copies in step", async () => {
    const { ws, key } = await workspaceKey();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await ingest(key, sessionBody({ evalTags: [`t${i % 3}`, "all"] }))).id);
    const statuses = ["golden", "correct", "incorrect", "needs_review"] as const;
    await Promise.all(
      ids.map((id, i) =>
        i % 2 ? patchEval(key, id, { evalReady: true, evalStatus: statuses[i % 4] }) : markReady(key, { sessionIds: [id] }),
      ),
    );
    await expectInStep(ws, key);
    expect((await evalSummary(db(), ws)).tags[0]).toEqual({ tag: "all", count: 12 });
  });
});
