import { applyD1Migrations, env, type D1Migration } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { countQuery, listQuery } from "../../src/sessions/queries";
import { upsertSessions } from "../../src/sessions/ingest";
import { sessionInputSchema } from "../../src/sessions/schemas";
import reindexScript from "../../scripts/search-reindex.sql?raw";

/**
 * Migration 0008 on a database that already holds sessions: stored before it, two workspaces' sessions are
 * interleaved in one rowid sequence and the two old FTS indexes are shared. After it each workspace's sessions
 * sit in its own range in their old order, and every old title and message is found by search, in its own
 * workspace only, with totals from the new index; new sessions are numbered after the moved ones.
 */
const { TEST_MIGRATIONS, UPGRADE_DB } = env as unknown as { TEST_MIGRATIONS: D1Migration[]; UPGRADE_DB: D1Database };
const before0008 = TEST_MIGRATIONS.filter((m) => m.name < "0008");

async function seedOldRows(d1: D1Database) {
  const stmts: D1PreparedStatement[] = [];
  for (let i = 1; i <= 6; i++) {
    const ws = i % 2 ? "old-a" : "old-b";
    stmts.push(
      d1
        .prepare(`INSERT INTO sessions (id, workspace_id, external_id, title, created_at, message_count) VALUES (?, ?, ?, ?, ?, 2)`)
        .bind(`ses_old${i}`, ws, `x${i}`, i === 3 ? null : `heron title${i}`, 1000 + i),
      d1
        .prepare(`INSERT INTO messages (session_id, seq, workspace_id, role, content, created_at, bytes) VALUES (?, 0, ?, 'user', ?, 1, 1), (?, 1, ?, 'assistant', ?, 1, 1)`)
        .bind(`ses_old${i}`, ws, `egret body${i}`, `ses_old${i}`, ws, i === 3 ? "only heron here" : "plain"),
    );
  }
  await d1.batch(stmts);
}

describe("migration 0008 over stored sessions", () => {
  it("moves each workspace's sessions into its range in order and re-indexes every title and message", async () => {
    await applyD1Migrations(UPGRADE_DB, before0008);
    await seedOldRows(UPGRADE_DB);
    await applyD1Migrations(UPGRADE_DB, TEST_MIGRATIONS);

    const rows = await UPGRADE_DB.prepare(`SELECT s.id, s.rowid AS r, w.n FROM sessions s JOIN workspace_numbers w USING (workspace_id) ORDER BY s.id`).all<{ id: string; r: number; n: number }>();
    const a = rows.results.filter((r) => ["ses_old1", "ses_old3", "ses_old5"].includes(r.id));
    const b = rows.results.filter((r) => ["ses_old2", "ses_old4", "ses_old6"].includes(r.id));
    // old-a had the first session, so it is workspace 1; each keeps its old order from k = 1.
    expect(a.map((r) => [r.n, r.r - r.n * 2 ** 23])).toEqual([[1, 1], [1, 2], [1, 3]]);
    expect(b.map((r) => [r.n, r.r - r.n * 2 ** 23])).toEqual([[2, 1], [2, 2], [2, 3]]);

    const db = createDb(UPGRADE_DB);
    const found = async (ws: string, q: string) => {
      const [listed, counted] = await Promise.all([listQuery(db, ws, { q }, 50), countQuery(db, ws, { q })]);
      return { ids: listed.map((s) => s.id).sort(), total: counted[0]?.n ?? 0 };
    };
    expect(await found("old-a", "heron")).toEqual({ ids: ["ses_old1", "ses_old3", "ses_old5"], total: 3 }); // ses_old3 by a message
    expect(await found("old-b", "heron")).toEqual({ ids: ["ses_old2", "ses_old4", "ses_old6"], total: 3 });
    expect(await found("old-a", "title2")).toEqual({ ids: [], total: 0 });
    expect(await found("old-b", "egret body4")).toEqual({ ids: ["ses_old4"], total: 1 });

    // New sessions come after the moved ones; a deleted old session takes its entries with it.
    await upsertSessions(db, "old-a", [sessionInputSchema.parse({ externalId: "new1", title: "heron again", messages: [] })]);
    const fresh = await UPGRADE_DB.prepare(`SELECT rowid AS r FROM sessions WHERE external_id = 'new1'`).first<{ r: number }>();
    expect(fresh?.r).toBe(2 ** 23 + 4);
    await UPGRADE_DB.prepare(`DELETE FROM sessions WHERE id = 'ses_old3'`).run();
    expect((await found("old-a", "heron")).total).toBe(3);
    expect((await found("old-a", "only")).total).toBe(0);
    const check = await UPGRADE_DB.prepare(`INSERT INTO session_text_fts (session_text_fts, rank) VALUES ('integrity-check', 0)`).run();
    expect(check.success).toBe(true);
  });

  it("scripts/search-reindex.sql puts sessions imported from a dump (rowids renumbered from 1) back into their ranges", async () => {
    const statements = reindexScript.split(/;\s*\n/).map((t) => t.replace(/^--.*$/gm, "").trim()).filter(Boolean);
    const rowids = async () =>
      (await UPGRADE_DB.prepare(`SELECT id, workspace_id AS ws, rowid AS r FROM sessions ORDER BY rowid`).all<{ id: string; ws: string; r: number }>()).results;
    const numbers = new Map(
      (await UPGRADE_DB.prepare(`SELECT workspace_id AS ws, n FROM workspace_numbers`).all<{ ws: string; n: number }>()).results.map((w) => [w.ws, w.n]),
    );
    /** In rowid order, each session at n × 2^23 + k of its own workspace, k = 1, 2, … without a gap. */
    const expectPlaced = (rows: { id: string; ws: string; r: number }[]) => {
      const k = new Map<string, number>();
      for (const row of rows) {
        k.set(row.ws, (k.get(row.ws) ?? 0) + 1);
        expect(row.r, row.id).toBe((numbers.get(row.ws) ?? -1) * 2 ** 23 + (k.get(row.ws) ?? 0));
      }
    };
    const order = (rows: { id: string; ws: string }[]) => rows.map((r) => `${r.ws}/${r.id}`);
    const before = await rowids();
    // Run on a migrated database, it keeps every session's place in its workspace and closes the gap a delete left.
    await UPGRADE_DB.batch(statements.map((t) => UPGRADE_DB.prepare(t)));
    const placed = await rowids();
    expectPlaced(placed);
    expect(order(placed).sort()).toEqual(order(before).sort());
    expect(placed.filter((r) => r.ws === "old-a").map((r) => r.id)).toEqual(before.filter((r) => r.ws === "old-a").map((r) => r.id));
    // An import gives rowids 1, 2, … in dump order and an empty index.
    await UPGRADE_DB.batch([
      UPGRADE_DB.prepare(`UPDATE sessions SET rowid = -rowid`),
      UPGRADE_DB.prepare(`UPDATE sessions SET rowid = r.k FROM (SELECT rowid AS o, row_number() OVER (ORDER BY rowid DESC) AS k FROM sessions) r WHERE sessions.rowid = r.o`),
      UPGRADE_DB.prepare(`INSERT INTO session_text_fts (session_text_fts) VALUES ('delete-all')`),
    ]);
    expect((await rowids()).every((r) => r.r < 100)).toBe(true);
    await UPGRADE_DB.batch(statements.map((t) => UPGRADE_DB.prepare(t)));
    expect(await rowids()).toEqual(placed);
    const db = createDb(UPGRADE_DB);
    expect((await countQuery(db, "old-a", { q: "heron" }))[0]?.n).toBe(3);
    expect((await listQuery(db, "old-b", { q: "egret" }, 50)).map((s) => s.id).sort()).toEqual(["ses_old2", "ses_old4", "ses_old6"]);
  });
});
