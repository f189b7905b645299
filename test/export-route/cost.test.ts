import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { exportKey } from "../../src/db/schema";
import { GROUP_SESSIONS, liveExtent, liveHeads, readExport, SESSION_PAGE, type ExportFilters, type ReadStats } from "../../src/export/reader";
import { makeKey } from "../helpers";
import { bodyText, exportCall, ingestMany, readyBody } from "./support";

/**
 * D1 cost of an export (DESIGN.md: O(sessions + messages) rows, a constant number of queries per page).
 * The floor of an unfiltered export of S sessions and M messages: the count reads S rows, the keyset pages S, the
 * message groups M. On top, each range scan that does not end on a LIMIT reads the next index entry to see the
 * range is over (the count's: one row per export). Keyset pages seek on one text key, so a page after the first
 * does not re-read the session it resumes after.
 * Each workspace here has a neighbour whose name sorts after it, so those extra rows are really there.
 */

const fourMessages = (i: number) => [
  { role: "user", content: `q${i}` },
  { role: "assistant", content: `a${i}` },
  { role: "user", content: `q${i}b` },
  { role: "assistant", content: `a${i}b` },
];

async function workspaceWith(ws: string, sessions: number): Promise<string> {
  const key = await makeKey(ws);
  await ingestMany(key, Array.from({ length: sessions }, (_, i) => readyBody({ messages: fourMessages(i), createdAt: 1_750_000_000_000 + (i % 9) * 1000 })));
  // Not eval-ready, so they sit in the index next to the ready ones without being exported.
  await ingestMany(key, Array.from({ length: 3 }, () => readyBody({ evalReady: false })));
  const neighbour = await makeKey(`${ws}-z`);
  await ingestMany(neighbour, [readyBody(), readyBody()]);
  return key;
}

/** Pages of the keyset walk over `sessions` matched sessions, and the queries it may take: count + pages + groups. */
function expectedShape(sessions: number) {
  const pages: number[] = [];
  for (let left = sessions; left > 0; left -= SESSION_PAGE) pages.push(Math.min(SESSION_PAGE, left));
  const groups = pages.reduce((n, p) => n + Math.ceil(p / GROUP_SESSIONS), 0);
  return { pages: pages.length, maxQueries: 1 + pages.length + groups };
}

async function directRead(ws: string, f: ExportFilters = {}) {
  const db = createDb(env.DB);
  const stats: ReadStats = { queries: 0, rowsRead: 0 };
  const extent = await liveExtent(db, env.DB, ws, f, stats);
  const total = extent.count;
  let sessions = 0;
  let messages = 0;
  const pager = liveHeads(db, env.DB, ws, f, extent.lastKey, stats);
  for await (const group of readExport(env.DB, ws, pager, { afterKey: null, limit: total }, stats)) {
    sessions += group.length;
    messages += group.reduce((n, s) => n + s.messages.length, 0);
  }
  return { total, sessions, messages, stats };
}

describe("D1 cost of an export", () => {
  afterEach(() => vi.restoreAllMocks());
  let key100: string;
  let key450: string;
  beforeAll(async () => {
    key100 = await workspaceWith("cost-a", 100);
    key450 = await workspaceWith("cost-b", 450);
  });

  it("100 sessions × 4 messages through HTTP: rows read ≤ messages + 2 × sessions (+1 per export), as logged", async () => {
    const spy = vi.spyOn(console, "log");
    const res = await exportCall(key100, "format=openai");
    expect(res.headers.get("x-export-sessions")).toBe("100");
    expect(await bodyText(res)).not.toBe("");
    const requestId = res.headers.get("x-request-id");
    const line = spy.mock.calls
      .map((args) => String(args[0]))
      .filter((s) => s.startsWith("{"))
      .map((s) => JSON.parse(s) as { event: string; requestId: string; rowsRead: number; queries: number; sessions: number; outcome: string })
      .find((l) => l.event === "export" && l.requestId === requestId);
    expect(line).toBeDefined();
    expect(line!.outcome).toBe("complete");
    expect(line!.sessions).toBe(100);
    const { maxQueries } = expectedShape(100);
    expect(line!.rowsRead).toBeGreaterThanOrEqual(400 + 2 * 100);
    expect(line!.rowsRead).toBeLessThanOrEqual(400 + 2 * 100 + 1);
    expect(line!.queries).toBeLessThanOrEqual(maxQueries);
  });

  it("450 sessions across three keyset pages: still linear, a constant number of queries per page", async () => {
    const r = await directRead("cost-b");
    expect(r).toMatchObject({ total: 450, sessions: 450, messages: 1800 });
    const { pages, maxQueries } = expectedShape(450);
    expect(pages).toBeGreaterThan(1);
    expect(r.stats.rowsRead).toBeLessThanOrEqual(1800 + 2 * 450 + 1);
    expect(r.stats.queries).toBeLessThanOrEqual(maxQueries);
  });

  it("the JS export key is the text SQLite computes, and sorts as (createdAt, id)", async () => {
    const rows = (await env.DB.prepare("SELECT created_at, id, (created_at + 10000000000000000) || id AS k FROM sessions WHERE workspace_id = 'cost-b' LIMIT 50").all<{ created_at: number; id: string; k: string }>()).results;
    for (const r of rows) expect(exportKey(r.created_at, r.id)).toBe(r.k);
    const byKey = [...rows].sort((a, b) => (a.k < b.k ? -1 : 1)).map((r) => r.id);
    const byPair = [...rows].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1)).map((r) => r.id);
    expect(byKey).toEqual(byPair);
    expect(exportKey(Number.MAX_SAFE_INTEGER, "x")).toBe("19007199254740991x");
  });

  it("a limited export reads only what it sends", async () => {
    const r = await directRead("cost-b", { limit: 10 });
    expect(r).toMatchObject({ total: 10, sessions: 10, messages: 40 });
    expect(r.stats.rowsRead).toBeLessThanOrEqual(40 + 2 * 10);
    expect(r.stats.queries).toBe(3);
  });

  it("an empty export reads one row at most, in one query", async () => {
    const spy = vi.spyOn(console, "log");
    const res = await exportCall(key450, "status=incorrect");
    expect(await bodyText(res)).toBe("[]");
    const line = spy.mock.calls.map((a) => String(a[0])).find((s) => s.includes(`"requestId":"${res.headers.get("x-request-id")}"`));
    expect(JSON.parse(line!)).toMatchObject({ sessions: 0, queries: 1 });
    expect(JSON.parse(line!).rowsRead).toBeLessThanOrEqual(1);
  });
});
