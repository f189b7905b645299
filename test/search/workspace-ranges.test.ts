import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/lib/cursor";
import { DEFAULT_ORDER, listSessionsWithTotal, sessionOffsetPage } from "../../src/sessions/queries";
import { call, db, ingest, makeKey, sessionBody } from "../helpers";

/**
 * Migration 0008: each workspace owns one range of session rowids, so a search reads only its own part of the
 * full-text index, and a view filtered by search alone is counted from the index (no session row read). These
 * tests hold that count to the sessions the list really returns, through every change that moves the index.
 */

const msgs = (...contents: string[]) => contents.map((content, i) => ({ externalId: `m${i}`, role: i % 2 ? "assistant" : "user", content }));

interface ListPage {
  sessions: { id: string }[];
  nextCursor: string | null;
  total: number;
}

async function page(key: string, path: string): Promise<ListPage> {
  const res = await call(path, { key });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as ListPage;
}

/** Every id the list returns for `q` (all pages) and the `total` it states, which comes from the index. */
async function searched(key: string, q: string, extra = ""): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const p = await page(key, `/api/sessions?q=${encodeURIComponent(q)}&limit=2${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    ids.push(...p.sessions.map((s) => s.id));
    if (total !== -1) expect(p.total, "the same total on every page").toBe(total);
    total = p.total;
    cursor = p.nextCursor;
  } while (cursor);
  return { ids: ids.sort(), total };
}

/** The total of `q` alone (the index's count) equals what the list returns, and the eval-ready split of it (which is counted from the sessions, not the index). */
async function expectCounted(key: string, q: string, expected: string[]) {
  const all = await searched(key, q);
  expect(all.ids, q).toEqual([...expected].sort());
  expect(all.total, `total of q=${q}`).toBe(expected.length);
  const ready = await searched(key, q, "&evalReady=true");
  const notReady = await searched(key, q, "&evalReady=false");
  expect(ready.total + notReady.total, `q=${q} split by evalReady`).toBe(expected.length);
}

describe("full-text search within the workspace's range", () => {
  it("a search's total counts each session once, whether its words are in the title, in one message or in many", async () => {
    const key = await makeKey("ranges-count");
    const other = await makeKey("ranges-count-other");
    const title = await ingest(key, sessionBody({ title: "walrus migration", evalReady: true, messages: msgs("nothing here") }));
    const many = await ingest(key, sessionBody({ title: "t", messages: msgs("walrus one", "walrus two", "walrus three", "tusk") }));
    const both = await ingest(key, sessionBody({ title: "walrus title", evalReady: true, messages: msgs("walrus body", "tusk tusk") }));
    await ingest(key, sessionBody({ title: "unrelated", messages: msgs("no such animal") }));
    // Another workspace full of the same words counts nothing here.
    for (let i = 0; i < 3; i++) await ingest(other, sessionBody({ title: "walrus tusk", messages: msgs("walrus tusk walrus") }));

    await expectCounted(key, "walrus", [title.id, many.id, both.id]);
    await expectCounted(key, "walrus tusk", [many.id, both.id]); // two words: the sessions with both
    await expectCounted(key, '"walrus migration"', [title.id]);
    await expectCounted(key, "walrus tusk migration", []);
    expect((await searched(other, "walrus")).total).toBe(3);
  });

  it("follows retitling, edits, appends and deletes, and a new session never inherits a deleted one's words", async () => {
    const key = await makeKey("ranges-changes");
    const body = sessionBody({ title: "narwhal", messages: msgs("first words") });
    const s = await ingest(key, body);
    const t = await ingest(key, sessionBody({ title: "narwhal too", messages: msgs("kept") }));
    await expectCounted(key, "narwhal", [s.id, t.id]);
    await ingest(key, { ...body, title: "renamed", messages: msgs("edited words") });
    await expectCounted(key, "narwhal", [t.id]);
    await expectCounted(key, "first", []);
    await expectCounted(key, "edited renamed", [s.id]);
    const appended = await call(`/api/sessions/${t.id}/messages`, { method: "POST", key, json: { messages: [{ role: "user", content: "edited later" }] } });
    expect(appended.status).toBe(200);
    await expectCounted(key, "edited", [s.id, t.id]);
    // The newest session is deleted, so the next one is numbered with its freed rowid.
    expect((await call(`/api/sessions/${t.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectCounted(key, "edited", [s.id]);
    const u = await ingest(key, sessionBody({ title: "fresh", messages: msgs("clean slate") }));
    await expectCounted(key, "narwhal", []);
    await expectCounted(key, "kept", []);
    await expectCounted(key, "fresh slate", [u.id]);
  });

  it("a page and its total in one statement: an empty page past the end still states the total, numbered pages too", async () => {
    const key = await makeKey("ranges-one-statement");
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await ingest(key, sessionBody({ title: `manatee ${i}`, createdAt: 1_700_000_000_000 + i * 1000 }))).id);
    await ingest(key, sessionBody({ title: "dugong" }));
    const past = await page(key, `/api/sessions?q=manatee&cursor=${encodeCursor({ createdAt: 1, id: "ses_0" })}`);
    expect(past).toEqual({ sessions: [], nextCursor: null, total: 5 });
    expect(await page(key, "/api/sessions?q=walrus")).toEqual({ sessions: [], nextCursor: null, total: 0 });
    // The web's numbered pages: page 2 of size 2 is the 3rd and 4th newest; a page past the last answers the last.
    const second = await sessionOffsetPage(db(), "ranges-one-statement", { q: "manatee" }, DEFAULT_ORDER, 2, 2);
    expect([second.total, second.page, second.pages, second.sessions.map((s) => s.id)]).toEqual([5, 2, 3, [made[2], made[1]]]);
    const beyond = await sessionOffsetPage(db(), "ranges-one-statement", { q: "manatee" }, DEFAULT_ORDER, 2, 9);
    expect([beyond.total, beyond.page, beyond.sessions.map((s) => s.id)]).toEqual([5, 3, [made[0]]]);
    const none = await sessionOffsetPage(db(), "ranges-one-statement", { q: "walrus" }, DEFAULT_ORDER, 2, 1);
    expect([none.total, none.page, none.sessions]).toEqual([0, 1, []]);
    // Sorted by another key, the page is still the list's own order.
    const byTitle = await sessionOffsetPage(db(), "ranges-one-statement", { q: "manatee" }, { key: "title", dir: "asc" }, 3, 1);
    expect(byTitle.sessions.map((s) => s.title)).toEqual(["manatee 0", "manatee 1", "manatee 2"]);
  });

  it("the page-and-total statement reads each word's index entries once (the matched set is materialized)", async () => {
    const d = db();
    const prepare = d.$client.prepare.bind(d.$client);
    const statements: string[] = [];
    (d.$client as { prepare: (q: string) => D1PreparedStatement }).prepare = (q: string) => (statements.push(q), prepare(q));
    await listSessionsWithTotal(d, "ranges-plan", { q: "login redirect" }, 5);
    await sessionOffsetPage(d, "ranges-plan", { q: "login" }, { key: "cost", dir: "desc" }, 5, 1);
    for (const [i, terms] of [[0, 2], [1, 1]] as const) {
      const text = statements[i]!;
      const params = Array((text.match(/\?/g) ?? []).length).fill("ranges-plan");
      const rows = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail);
      expect(rows, rows.join("\n")).toContain("MATERIALIZE m");
      expect(rows.filter((r) => /session_text_fts VIRTUAL TABLE/.test(r)).length, rows.join("\n")).toBe(terms);
    }
  });

  it("a workspace that never had a session: a search answers no session and total 0", async () => {
    const key = await makeKey("ranges-empty");
    await ingest(await makeKey("ranges-empty-other"), sessionBody({ title: "beluga" }));
    expect(await page(key, "/api/sessions?q=beluga")).toEqual({ sessions: [], nextCursor: null, total: 0 });
    expect((await page(key, "/api/evals?q=beluga")).total).toBe(0);
  });

  it("concurrent ingests of new sessions into two workspaces: every session stored, numbered apart, found only in its own", async () => {
    const keys = [await makeKey("ranges-par-a"), await makeKey("ranges-par-b")];
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call("/api/sessions/batch", {
          method: "POST",
          key: keys[i % 2],
          json: {
            sessions: Array.from({ length: 5 }, (_, j) => sessionBody({ title: `orca batch${i} item${j}`, messages: msgs(`pod${i}x${j} swims`) })),
          },
        }),
      ),
    );
    for (const res of sent) expect(res.status, await res.clone().text()).toBe(200);
    for (const [w, key] of keys.entries()) {
      expect((await searched(key, "orca")).total).toBe(30);
      for (let i = w; i < 12; i += 2) expect((await searched(key, `batch${i}`)).total).toBe(5);
      for (let i = 1 - w; i < 12; i += 2) expect((await searched(key, `batch${i}`)).total).toBe(0);
      expect((await searched(key, `pod${w}x4`)).total).toBe(1);
    }
    // Each workspace's rowids are one contiguous run of its own range.
    const ranges = await env.DB.prepare(
      `SELECT w.n AS n, min(s.rowid) AS lo, max(s.rowid) AS hi, count(*) AS c FROM sessions s JOIN workspace_numbers w ON w.workspace_id = s.workspace_id
       WHERE s.workspace_id IN ('ranges-par-a', 'ranges-par-b') GROUP BY w.n`,
    ).all<{ n: number; lo: number; hi: number; c: number }>();
    expect(ranges.results).toHaveLength(2);
    for (const r of ranges.results) expect([r.lo, r.hi, r.c]).toEqual([r.n * 2 ** 23 + 1, r.n * 2 ** 23 + 30, 30]);
  });

  it("a workspace out of session numbers answers 413 and stores nothing; so does one numbered past the limit", async () => {
    const key = await makeKey("ranges-full");
    await env.DB.prepare(`INSERT INTO workspace_numbers (n, workspace_id) VALUES (700, 'ranges-full')`).run();
    // The last rowid of its range is taken (a session inserted here by hand, as 8,388,607 ingests would leave it).
    await env.DB.prepare(`INSERT INTO sessions (rowid, id, workspace_id, external_id, created_at) VALUES (?, 'ses_last', 'ranges-full', 'last', 1)`)
      .bind(700 * 2 ** 23 + 8_388_607)
      .run();
    const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: [sessionBody(), sessionBody()] } });
    expect(res.status).toBe(413);
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toMatchObject({ code: "payload_too_large", message: expect.stringMatching(/8,388,607 sessions/) });
    expect((await page(key, "/api/sessions")).total).toBe(1);

    const past = await makeKey("ranges-past");
    await env.DB.prepare(`INSERT INTO workspace_numbers (n, workspace_id) VALUES (1048576, 'ranges-past')`).run();
    expect((await call("/api/sessions", { method: "POST", key: past, json: sessionBody() })).status).toBe(413);
    expect((await page(past, "/api/sessions")).total).toBe(0);
  });
});
