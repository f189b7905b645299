import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/lib/cursor";
import { call, ingest, makeKey, sessionBody } from "../helpers";
import { expectError, expectInvalid, expectKeyRefusals, post } from "./_support";

/** GET /api/sessions: newest first, filtered, keyset-paginated. */

const T0 = 1_764_000_000_000;

async function seed(key: string, bodies: Record<string, unknown>[]): Promise<{ id: string; externalId: string }[]> {
  const res = await post("/api/sessions/batch", key, { sessions: bodies });
  expect(res.status).toBe(200);
  return (await res.json<any>()).results;
}

async function list(key: string, query = ""): Promise<{ sessions: any[]; nextCursor: string | null; total: number }> {
  const res = await call(`/api/sessions${query}`, { key });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get("x-request-id")).toBeTruthy();
  return JSON.parse(text);
}

/** Every page of a listing, following nextCursor. */
async function allPages(key: string, query: string, limit: number): Promise<{ pages: any[][]; ids: string[] }> {
  const pages: any[][] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "?";
    const page = await list(key, `${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(page.sessions.length).toBeLessThanOrEqual(limit);
    pages.push(page.sessions);
    cursor = page.nextCursor;
    if (pages.length > 100) throw new Error("pagination does not end");
  } while (cursor);
  return { pages, ids: pages.flat().map((s) => s.id) };
}

/** The contract's order: createdAt descending, then id descending. */
const newestFirst = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe("GET /api/sessions — order and shape", () => {
  it("lists newest first (createdAt desc, then id desc) as summaries without messages", async () => {
    const key = await makeKey("lst-order");
    const created = [T0 + 5000, T0 + 1000, T0 + 9000, T0 + 5000, T0 + 5000, T0];
    await seed(key, created.map((createdAt) => sessionBody({ createdAt })));
    const { sessions, nextCursor } = await list(key);
    expect(nextCursor).toBeNull();
    expect(sessions).toHaveLength(6);
    expect(sessions.map((s) => s.createdAt)).toEqual([...created].sort((a, b) => b - a));
    expect([...sessions].sort(newestFirst)).toEqual(sessions);
    for (const s of sessions) {
      expect(s).not.toHaveProperty("messages");
      expect(Object.keys(s).sort()).toEqual(
        [
          "id", "externalId", "title", "source", "model", "provider", "projectPath", "projectName", "promptTokens",
          "completionTokens", "cacheReadTokens", "cacheWriteTokens", "totalTokens", "cost", "durationMs", "createdAt",
          "updatedAt", "messageCount", "evalReady", "evalStatus", "evalNotes", "evalTags", "expectedOutput", "reviewedAt",
          "gitBranch", "gitCommit", "gitRemote", "parentExternalId", "reviewedBy",
        ].sort(),
      );
      expect(s.messageCount).toBe(4);
    }
  });

  it("answers an empty page for a workspace without sessions", async () => {
    const key = await makeKey("lst-empty");
    expect(await list(key)).toEqual({ sessions: [], nextCursor: null, total: 0 });
  });

  it("defaults to 50 per page", async () => {
    const key = await makeKey("lst-default");
    await seed(key, Array.from({ length: 55 }, (_, i) => sessionBody({ createdAt: T0 + i, messages: [] })));
    const page = await list(key);
    expect(page.sessions).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await list(key, `?cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect(rest.sessions).toHaveLength(5);
    expect(rest.nextCursor).toBeNull();
    expect((await list(key, "?limit=200")).sessions).toHaveLength(55);
    expect((await list(key, "?limit=1")).sessions).toHaveLength(1);
  });
});

describe("GET /api/sessions — pagination", () => {
  it("visits each of 37 sessions exactly once with limit 5, ties on createdAt included", async () => {
    const key = await makeKey("lst-pages");
    // groups of four share a createdAt, so the id breaks the ties
    const bodies = Array.from({ length: 37 }, (_, i) => sessionBody({ createdAt: T0 + Math.floor(i / 4) * 1000, messages: [] }));
    const seeded = await seed(key, bodies);
    const { pages, ids } = await allPages(key, "", 5);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 2]);
    expect(ids).toHaveLength(37);
    expect(new Set(ids).size).toBe(37);
    expect(new Set(ids)).toEqual(new Set(seeded.map((s) => s.id)));
    const full = (await list(key, "?limit=200")).sessions;
    expect(ids).toEqual(full.map((s) => s.id));
    expect([...full].sort(newestFirst).map((s) => s.id)).toEqual(ids);
  });

  it("an exact multiple of the limit ends with nextCursor null, not an empty page", async () => {
    const key = await makeKey("lst-exact");
    await seed(key, Array.from({ length: 10 }, (_, i) => sessionBody({ createdAt: T0 + i, messages: [] })));
    const { pages } = await allPages(key, "", 5);
    expect(pages.map((p) => p.length)).toEqual([5, 5]);
  });

  it("is stable while sessions are added: a newer session never shifts later pages", async () => {
    const key = await makeKey("lst-stable");
    await seed(key, Array.from({ length: 9 }, (_, i) => sessionBody({ createdAt: T0 + i * 10, messages: [] })));
    const first = await list(key, "?limit=4");
    await ingest(key, sessionBody({ createdAt: T0 + 1_000_000, messages: [] }));
    await ingest(key, sessionBody({ createdAt: T0 + 25, messages: [] })); // lands inside the second page's range
    const second = await list(key, `?limit=4&cursor=${first.nextCursor}`);
    const seen = [...first.sessions, ...second.sessions].map((s) => s.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(second.sessions.map((s) => s.createdAt)).toEqual([T0 + 40, T0 + 30, T0 + 25, T0 + 20]);
  });

  it("paginates filtered listings too", async () => {
    const key = await makeKey("lst-pages-filter");
    await seed(
      key,
      Array.from({ length: 23 }, (_, i) => sessionBody({ createdAt: T0 + Math.floor(i / 3), messages: [], evalTags: i % 2 ? ["odd"] : ["even"] })),
    );
    const { ids, pages } = await allPages(key, "?tag=odd", 4);
    expect(ids).toHaveLength(11);
    expect(new Set(ids).size).toBe(11);
    expect(pages.flat().every((s) => s.evalTags.includes("odd"))).toBe(true);
  });
});

describe("GET /api/sessions — filters", () => {
  it("filters by evalReady, status, tag (all must match), source, model and q (full text)", async () => {
    const key = await makeKey("lst-filters");
    const seeded = await seed(key, [
      sessionBody({ title: "Fix the LOGIN redirect", source: "claude-code", model: "sonnet", evalReady: true, evalStatus: "golden", evalTags: ["auth", "ui"] }),
      sessionBody({ title: "Refactor billing", source: "codex", model: "gpt-5", evalReady: true, evalStatus: "incorrect", evalTags: ["billing"] }),
      sessionBody({ title: "Login page copy", source: "cursor", model: "sonnet", evalReady: false, evalStatus: "correct", evalTags: ["ui"] }),
      sessionBody({ title: "100% coverage_push", source: "opencode", model: "gpt-5", evalTags: [] }),
      sessionBody({ title: "Paths like C:\\Users\\me", source: null, model: null }),
    ]);
    const ids = seeded.map((s) => s.id);
    const idsOf = async (q: string) => (await list(key, q)).sessions.map((s) => s.id).sort();
    const pick = (...i: number[]) => i.map((n) => ids[n]!).sort();

    expect(await idsOf("?evalReady=true")).toEqual(pick(0, 1));
    expect(await idsOf("?evalReady=false")).toEqual(pick(2, 3, 4));
    expect(await idsOf("?status=golden")).toEqual(pick(0));
    expect(await idsOf("?status=needs_review")).toEqual(pick(3, 4));
    expect(await idsOf("?status=golden,correct")).toEqual(pick(0, 2));
    expect(await idsOf("?status=golden&status=incorrect")).toEqual(pick(0, 1));
    expect(await idsOf("?tag=ui")).toEqual(pick(0, 2));
    expect(await idsOf("?tag=ui&tag=auth")).toEqual(pick(0));
    expect(await idsOf("?tag=nope")).toEqual([]);
    expect(await idsOf("?source=codex")).toEqual(pick(1));
    expect(await idsOf("?model=sonnet")).toEqual(pick(0, 2));
    // q is full-text over titles and message content (test/search has the rest of its rules)
    expect(await idsOf("?q=login")).toEqual(pick(0, 2));
    // every word must match, each anywhere in the session: every session's first message says "redirect"
    expect(await idsOf("?q=LOGIN%20redirect")).toEqual(pick(0, 2));
    expect(await idsOf(`?q=${encodeURIComponent('"login redirect"')}`)).toEqual(pick(0));
    expect(await idsOf("?q=100%25")).toEqual(pick(3)); // "%" is punctuation, not a wildcard
    expect(await idsOf("?q=coverage_push")).toEqual(pick(3)); // the phrase of its tokens, as the text was indexed
    expect(await idsOf("?q=C%3A%5CUsers")).toEqual(pick(4));
    expect(await idsOf("?q=authprovider%20billing")).toEqual(pick(1));
    expect(await idsOf("?model=sonnet&evalReady=true&tag=ui")).toEqual(pick(0));
    expect(await idsOf("?source=claude-code&model=gpt-5")).toEqual([]);
  });

  it("a tag filter follows the session's current tags", async () => {
    const key = await makeKey("lst-tag-change");
    const body = sessionBody({ evalTags: ["old"] });
    const { id } = await ingest(key, body);
    expect((await list(key, "?tag=old")).sessions.map((s) => s.id)).toEqual([id]);
    await ingest(key, { ...body, evalTags: ["new"] });
    expect((await list(key, "?tag=old")).sessions).toEqual([]);
    expect((await list(key, "?tag=new")).sessions.map((s) => s.id)).toEqual([id]);
  });
});

describe("GET /api/sessions — total and reviewed", () => {
  it("total counts every session matching the filters, the same on every page", async () => {
    const key = await makeKey("lst-total");
    await seed(
      key,
      Array.from({ length: 17 }, (_, i) => sessionBody({ createdAt: T0 + i, messages: [], title: i % 3 ? "plain" : "wanted words", evalTags: i % 2 ? ["odd"] : [] })),
    );
    for (const [query, expected] of [["", 17], ["?tag=odd", 8], ["?q=wanted", 6], ["?q=wanted&tag=odd", 3], ["?tag=none", 0]] as const) {
      const { pages } = await allPages(key, query, 2);
      const totals = new Set<number>();
      let cursor: string | null = null;
      for (let i = 0; i < pages.length; i++) {
        const sep = query ? "&" : "?";
        const page = await list(key, `${query}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        totals.add(page.total);
        cursor = page.nextCursor;
      }
      expect([...totals], query).toEqual([expected]);
      expect(pages.flat().length, query).toBe(expected);
    }
  });

  it("reviewed=true|false: whether a label was ever set, not the needs_review status", async () => {
    const key = await makeKey("lst-reviewed");
    const [a, b, c] = await seed(key, [sessionBody(), sessionBody(), sessionBody({ evalReady: true })]);
    // b gets labelled needs_review explicitly: reviewed, though its status is the default one
    const res = await call(`/api/sessions/${b!.id}/eval`, { method: "PATCH", key, json: { evalStatus: "needs_review" } });
    expect(res.status).toBe(200);
    // marking eval-ready is not a review
    expect((await post("/api/evals/ready", key, { sessionIds: [a!.id] })).status).toBe(200);
    const reviewed = await list(key, "?reviewed=true");
    expect(reviewed.sessions.map((s) => s.id)).toEqual([b!.id]);
    expect(reviewed.total).toBe(1);
    const notYet = await list(key, "?reviewed=false");
    expect(notYet.sessions.map((s) => s.id).sort()).toEqual([a!.id, c!.id].sort());
    expect(notYet.total).toBe(2);
    expect((await list(key, "?reviewed=false&evalReady=true")).sessions.map((s) => s.id).sort()).toEqual([a!.id, c!.id].sort());
    expect((await list(key, "?reviewed=true&status=needs_review")).sessions.map((s) => s.id)).toEqual([b!.id]);
  });
});

describe("GET /api/sessions — invalid parameters (400)", () => {
  it.each([
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=abc", "limit"],
    ["limit=-1", "limit"],
    ["limit=1.5", "limit"],
    ["limit=", "limit"],
    ["limit=5&limit=6", "limit"],
    ["evalReady=yes", "evalReady"],
    ["status=great", "status.0"],
    ["status=golden,wrong", "status.1"],
    ["tag=%20", "tag.0"],
    ["source=", "source"],
    ["reviewed=yes", "reviewed"],
    ["q=", "q"],
    ["q=%25", "q"], // nothing searchable in it
    ["q=%5C%5C", "q"],
    [`q=${"a ".repeat(13)}`, "q"], // more than 12 terms
    [`q=${"a".repeat(201)}`, "q"],
    ["cursor=not-a-cursor", "cursor"],
    ["cursor=%E2%9C%93", "cursor"],
    [`cursor=${btoa(JSON.stringify({ createdAt: 1, id: "x" }))}`, "cursor"],
    [`cursor=${btoa(JSON.stringify([1.5, "x"]))}`, "cursor"],
    [`cursor=${btoa(JSON.stringify([1, ""]))}`, "cursor"],
    [`cursor=${btoa("[1,")}`, "cursor"],
  ])("?%s → 400 naming %s", async (query, path) => {
    const key = await makeKey("lst-invalid");
    await expectInvalid(await call(`/api/sessions?${query}`, { key }), path);
  });

  it("a well-formed cursor this API could have issued is accepted", async () => {
    const key = await makeKey("lst-cursor-ok");
    const { id } = await ingest(key, sessionBody({ createdAt: T0 }));
    const page = await list(key, `?cursor=${encodeCursor({ createdAt: T0 + 1, id: "ses_" })}`);
    expect(page.sessions.map((s) => s.id)).toEqual([id]);
  });
});

describe("GET /api/sessions — auth and tenancy", () => {
  it("refuses bad keys (401) and a key without sessions:read (403)", async () => {
    await expectKeyRefusals("lst-auth", "sessions:read", (authorization) => call("/api/sessions", { headers: authorization ? { authorization } : {} }));
  });

  it("never shows another workspace's sessions, whatever the filters", async () => {
    const keyA = await makeKey("lst-ten-a");
    const keyB = await makeKey("lst-ten-b");
    const shared = { source: "claude-code", model: "m", title: "shared title", evalReady: true, evalStatus: "golden", evalTags: ["t"] };
    const a = await seed(keyA, [sessionBody(shared), sessionBody(shared)]);
    const b = await seed(keyB, [sessionBody(shared), sessionBody({ ...shared, externalId: a[0]!.externalId })]);
    for (const q of ["", "?evalReady=true", "?status=golden", "?tag=t", "?source=claude-code", "?model=m", "?q=shared", "?limit=200"]) {
      expect((await list(keyA, q)).sessions.map((s) => s.id).sort(), q).toEqual(a.map((s) => s.id).sort());
      expect((await list(keyB, q)).sessions.map((s) => s.id).sort(), q).toEqual(b.map((s) => s.id).sort());
    }
    // B's cursor in A's listing reveals nothing of B either
    const pageB = await list(keyB, "?limit=1");
    const viaCursor = await list(keyA, `?cursor=${pageB.nextCursor}`);
    for (const s of viaCursor.sessions) expect(a.map((x) => x.id)).toContain(s.id);
  });

  it("refuses a malformed key before reading any parameter", async () => {
    await expectError(await call("/api/sessions?limit=0", { key: "osk_nope" }), 401, "unauthorized");
  });
});
