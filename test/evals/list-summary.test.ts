import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { expectError, expectInvalid, listIds, markReady, newSession, newSessions, patchEval, workspaceKey, type Json } from "./helpers";

/**
 * A workspace with sessions (createdAt ascending in creation order):
 *   s0 ready golden  [auth, ui]      s1 ready correct [auth]        s2 ready incorrect [ui]
 *   s3 ready needs_review []         s4 NOT ready golden [auth, ui]  s5 ready golden [auth, ui, slow]
 */
async function fixture() {
  const { ws, key } = await workspaceKey();
  const ids = await newSessions(key, 6, (i) => ({ createdAt: 1_700_000_000_000 + i * 1000 }));
  const labels: Json[] = [
    { evalReady: true, evalStatus: "golden", evalTags: ["auth", "ui"] },
    { evalReady: true, evalStatus: "correct", evalTags: ["auth"] },
    { evalReady: true, evalStatus: "incorrect", evalTags: ["ui"] },
    { evalReady: true },
    { evalReady: false, evalStatus: "golden", evalTags: ["auth", "ui"] },
    { evalReady: true, evalStatus: "golden", evalTags: ["auth", "ui", "slow"] },
  ];
  for (const [i, l] of labels.entries()) expect((await patchEval(key, ids[i]!, l)).status).toBe(200);
  const s = (...n: number[]) => n.map((i) => ids[i]!);
  return { ws, key, ids, s };
}

describe("GET /api/evals", () => {
  it("lists eval-ready sessions only, newest first, as summaries", async () => {
    const { key, s } = await fixture();
    const res = await call("/api/evals", { key });
    expect(res.status).toBe(200);
    const body = await res.json<{ sessions: Json[]; nextCursor: string | null }>();
    expect(body.sessions.map((x) => x.id)).toEqual(s(5, 3, 2, 1, 0));
    expect(body.nextCursor).toBeNull();
    expect(body.sessions.every((x) => x.evalReady === true && x.messages === undefined)).toBe(true);
  });

  it("status is any-of: repeatable and comma-separated give the same answer", async () => {
    const { key, s } = await fixture();
    expect(await listIds(key, "/api/evals?status=golden")).toEqual(s(5, 0));
    expect(await listIds(key, "/api/evals?status=golden&status=incorrect")).toEqual(s(5, 2, 0));
    expect(await listIds(key, "/api/evals?status=golden,incorrect")).toEqual(s(5, 2, 0));
    expect(await listIds(key, "/api/evals?status=golden,%20incorrect")).toEqual(s(5, 2, 0));
    expect(await listIds(key, "/api/evals?status=correct,needs_review&status=golden")).toEqual(s(5, 3, 1, 0));
    expect(await listIds(key, "/api/evals?status=needs_review")).toEqual(s(3));
  });

  it("tag is all-of (repeatable), and combines with status", async () => {
    const { key, s } = await fixture();
    expect(await listIds(key, "/api/evals?tag=auth")).toEqual(s(5, 1, 0));
    expect(await listIds(key, "/api/evals?tag=auth&tag=ui")).toEqual(s(5, 0));
    expect(await listIds(key, "/api/evals?tag=auth&tag=ui&tag=slow")).toEqual(s(5));
    expect(await listIds(key, "/api/evals?tag=auth&tag=missing")).toEqual([]);
    expect(await listIds(key, "/api/evals?tag=ui&status=incorrect,correct")).toEqual(s(2));
    // Tags are matched exactly (case-sensitive), and a comma is part of a tag, not a separator.
    expect(await listIds(key, "/api/evals?tag=AUTH")).toEqual([]);
    expect(await listIds(key, "/api/evals?tag=auth,ui")).toEqual([]);
  });

  it("limit/cursor pagination visits each eval-ready session exactly once, in order", async () => {
    const { key } = await workspaceKey();
    // Seven sessions share one createdAt so the id tiebreak is exercised; three are not ready.
    const ids = await newSessions(key, 12, (i) => ({ createdAt: 1_700_000_000_000 + (i < 7 ? 0 : i * 1000) }));
    const ready = ids.filter((_, i) => i % 4 !== 3);
    await markReady(key, { sessionIds: ready });
    const all = await listIds(key, "/api/evals?limit=200");
    expect(new Set(all)).toEqual(new Set(ready));

    for (const limit of [1, 2, 4, 9, 200]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await call(`/api/evals?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { key });
        expect(res.status).toBe(200);
        const page = await res.json<{ sessions: Json[]; nextCursor: string | null }>();
        expect(page.sessions.length).toBeLessThanOrEqual(limit);
        seen.push(...page.sessions.map((x) => x.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen, `limit ${limit}`).toEqual(all);
    }
  });

  it("cursor pagination with filters", async () => {
    const { key, s } = await fixture();
    const first = await (await call("/api/evals?status=golden,incorrect&limit=2", { key })).json<{ sessions: Json[]; nextCursor: string }>();
    expect(first.sessions.map((x) => x.id)).toEqual(s(5, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (
      await call(`/api/evals?status=golden,incorrect&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { key })
    ).json<{ sessions: Json[]; nextCursor: string | null }>();
    expect(second.sessions.map((x) => x.id)).toEqual(s(0));
    expect(second.nextCursor).toBeNull();
  });

  it("does not show another workspace's sessions", async () => {
    const { key } = await fixture();
    const other = await workspaceKey();
    const theirs = await newSession(other.key);
    await markReady(other.key, { sessionIds: [theirs] });
    expect(await listIds(key, "/api/evals?limit=200")).not.toContain(theirs);
    expect(await listIds(other.key, "/api/evals")).toEqual([theirs]);
  });

  it("invalid parameters → 400 naming the parameter", async () => {
    const { key } = await workspaceKey();
    await expectInvalid(await call("/api/evals?status=great", { key }), "status");
    await expectInvalid(await call("/api/evals?status=golden,great", { key }), "status");
    await expectInvalid(await call("/api/evals?status=golden&status=Golden", { key }), "status");
    await expectInvalid(await call("/api/evals?limit=0", { key }), "limit");
    await expectInvalid(await call("/api/evals?limit=201", { key }), "limit");
    await expectInvalid(await call("/api/evals?limit=ten", { key }), "limit");
    await expectInvalid(await call("/api/evals?cursor=not-a-cursor", { key }), "cursor");
    await expectInvalid(await call("/api/evals?tag=%20", { key }), "tag");
  });

  it("security: no key 401; an evals:write-only key 403; sessions:read suffices", async () => {
    const { ws } = await workspaceKey();
    await expectError(await call("/api/evals"), 401, "unauthorized");
    await expectError(await call("/api/evals", { key: await makeKey(ws, ["evals:write"]) }), 403, "forbidden");
    await expectError(await call("/api/evals", { key: await makeKey(ws, ["export:read", "sessions:write"]) }), 403, "forbidden");
    expect((await call("/api/evals", { key: await makeKey(ws, ["sessions:read"]) })).status).toBe(200);
  });
});

describe("GET /api/evals/summary", () => {
  it("counts eval-ready sessions: total, byStatus with all four keys, tags", async () => {
    const { key } = await fixture();
    const res = await call("/api/evals/summary", { key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      total: 5,
      byStatus: { golden: 2, correct: 1, incorrect: 1, needs_review: 1 },
      // Only eval-ready sessions count: the not-ready s4 adds nothing. Order: count desc, then tag.
      tags: [
        { tag: "auth", count: 3 },
        { tag: "ui", count: 3 },
        { tag: "slow", count: 1 },
      ],
    });
  });

  it("an empty workspace: zeros for every status and no tags", async () => {
    const { key } = await workspaceKey();
    await newSession(key); // not ready
    expect(await (await call("/api/evals/summary", { key })).json()).toEqual({
      total: 0,
      byStatus: { golden: 0, correct: 0, incorrect: 0, needs_review: 0 },
      tags: [],
    });
  });

  it("follows changes: unmarking and re-tagging move the counts", async () => {
    const { key, s } = await fixture();
    await markReady(key, { sessionIds: s(5), ready: false });
    await patchEval(key, s(1)[0]!, { evalTags: ["ui"], evalStatus: "golden" });
    expect(await (await call("/api/evals/summary", { key })).json()).toEqual({
      total: 4,
      byStatus: { golden: 2, correct: 0, incorrect: 1, needs_review: 1 },
      tags: [
        { tag: "ui", count: 3 },
        { tag: "auth", count: 1 },
      ],
    });
  });

  it("does not count other workspaces", async () => {
    const a = await fixture();
    const b = await workspaceKey();
    const theirs = await newSession(b.key);
    await patchEval(b.key, theirs, { evalReady: true, evalStatus: "incorrect", evalTags: ["auth", "theirs"] });
    const mine = await (await call("/api/evals/summary", { key: a.key })).json<Json>();
    expect(mine.total).toBe(5);
    expect(mine.byStatus.incorrect).toBe(1);
    expect(mine.tags).toEqual([
      { tag: "auth", count: 3 },
      { tag: "ui", count: 3 },
      { tag: "slow", count: 1 },
    ]);
    expect(await (await call("/api/evals/summary", { key: b.key })).json()).toEqual({
      total: 1,
      byStatus: { golden: 0, correct: 0, incorrect: 1, needs_review: 0 },
      tags: [
        { tag: "auth", count: 1 },
        { tag: "theirs", count: 1 },
      ],
    });
  });

  it("security: no key 401; an evals:write-only key 403", async () => {
    const { ws } = await workspaceKey();
    await expectError(await call("/api/evals/summary"), 401, "unauthorized");
    await expectError(await call("/api/evals/summary", { key: await makeKey(ws, ["evals:write"]) }), 403, "forbidden");
    expect((await call("/api/evals/summary", { key: await makeKey(ws, ["sessions:read"]) })).status).toBe(200);
  });
});
