import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import {
  expectError,
  expectInvalid,
  getSession,
  labelsOf,
  listIds,
  markReady,
  newSession,
  patchEval,
  workspaceKey,
  type Json,
} from "./helpers";

describe("PATCH /api/sessions/:id/eval", () => {
  it("sets every label field, sets reviewedAt, and answers the session summary with an ETag", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    const before = Date.now();
    const res = await patchEval(key, id, {
      evalReady: true,
      evalStatus: "golden",
      evalNotes: "Exactly right.",
      evalTags: ["auth", "debugging"],
      expectedOutput: "The issue is in your AuthProvider component.",
    });
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);
    const body = await res.json<Json>();
    expect(body).toMatchObject({
      id,
      evalReady: true,
      evalStatus: "golden",
      evalNotes: "Exactly right.",
      evalTags: ["auth", "debugging"],
      expectedOutput: "The issue is in your AuthProvider component.",
      messageCount: 4,
    });
    expect(body.messages).toBeUndefined();
    expect(body.reviewedAt).toBeGreaterThanOrEqual(before);
    expect(body.reviewedAt).toBeLessThanOrEqual(Date.now() + 5);

    const got = await getSession(key, id);
    expect(got.etag).toBe(etag);
    const { messages: _m, ...summary } = got.body;
    expect(summary).toEqual(body);
  });

  it("accepts any subset and leaves the other fields as they are", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    await patchEval(key, id, { evalStatus: "correct", evalNotes: "n1", evalTags: ["a"], expectedOutput: "x" });
    const base = await labelsOf(key, id);

    const steps: [Json, Json][] = [
      [{ evalReady: true }, { evalReady: true }],
      [{ evalStatus: "incorrect" }, { evalStatus: "incorrect" }],
      [{ evalNotes: "n2" }, { evalNotes: "n2" }],
      [{ evalNotes: null }, { evalNotes: null }],
      [{ evalTags: ["b", "c"] }, { evalTags: ["b", "c"] }],
      [{ evalTags: [] }, { evalTags: [] }],
      [{ expectedOutput: null }, { expectedOutput: null }],
      [{ expectedOutput: "y", evalReady: false }, { expectedOutput: "y", evalReady: false }],
    ];
    let expected: Json = { ...base };
    for (const [patch, change] of steps) {
      const res = await patchEval(key, id, patch);
      expect(res.status, JSON.stringify(patch)).toBe(200);
      expected = { ...expected, ...change };
      const { reviewedAt, ...labels } = await labelsOf(key, id);
      const { reviewedAt: _r, ...want } = expected;
      expect(labels, JSON.stringify(patch)).toEqual(want);
      expect(reviewedAt).toEqual(expect.any(Number));
    }
  });

  it("trims tags, de-duplicates them case-sensitively and keeps their order", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    const res = await patchEval(key, id, { evalTags: [" a ", "b", "a", "B"] });
    expect(res.status).toBe(200);
    expect((await res.json<Json>()).evalTags).toEqual(["a", "b", "B"]);
    expect((await labelsOf(key, id)).evalTags).toEqual(["a", "b", "B"]);
    // The tag filter sees the trimmed tags, case-sensitively.
    expect(await listIds(key, "/api/sessions?tag=a&tag=B")).toEqual([id]);
    expect(await listIds(key, "/api/sessions?tag=A")).toEqual([]);
  });

  it("evalTags replaces the list, and the tag filter follows", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    await patchEval(key, id, { evalTags: ["old", "keep"] });
    await patchEval(key, id, { evalTags: ["keep", "new"] });
    expect((await labelsOf(key, id)).evalTags).toEqual(["keep", "new"]);
    expect(await listIds(key, "/api/sessions?tag=old")).toEqual([]);
    expect(await listIds(key, "/api/sessions?tag=new")).toEqual([id]);
    expect(await listIds(key, "/api/sessions?tag=keep")).toEqual([id]);
  });

  it("64 tags are accepted; duplicates do not count towards the limit", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    const tags = Array.from({ length: 64 }, (_, i) => `t${i}`);
    expect((await patchEval(key, id, { evalTags: [...tags, "t0", " t1 "] })).status).toBe(200);
    expect((await labelsOf(key, id)).evalTags).toEqual(tags);
  });

  describe("reviewedAt", () => {
    it("is null on sessions never labelled, also after /evals/ready marks them", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      expect((await labelsOf(key, id)).reviewedAt).toBeNull();
      await markReady(key, { sessionIds: [id] });
      expect((await labelsOf(key, id)).reviewedAt).toBeNull();
    });

    it("is strictly increasing with each change, even two quick PATCHes", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const seen: number[] = [];
      for (const patch of [{ evalStatus: "golden" }, { evalStatus: "correct" }, { evalNotes: "x" }, { evalNotes: "x" }]) {
        const res = await patchEval(key, id, patch);
        expect(res.status).toBe(200);
        seen.push((await res.json<Json>()).reviewedAt);
      }
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
      // Two PATCHes sent at once.
      const [r1, r2] = await Promise.all([patchEval(key, id, { evalNotes: "p" }), patchEval(key, id, { evalNotes: "q" })]);
      const t = [(await r1.json<Json>()).reviewedAt, (await r2.json<Json>()).reviewedAt].sort((a, b) => a - b);
      expect(t[0]).toBeGreaterThan(seen[seen.length - 1]!);
      expect(t[1]).toBeGreaterThan(t[0]);
    });
  });

  describe("ETag and If-Match", () => {
    it("the ETag changes with each change", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const tags = new Set<string>();
      const first = await getSession(key, id);
      expect(first.etag).toBeTruthy();
      tags.add(first.etag!);
      for (const patch of [{ evalStatus: "golden" }, { evalTags: ["x"] }, { evalNotes: "n" }, { evalReady: true }]) {
        const res = await patchEval(key, id, patch);
        const etag = res.headers.get("etag");
        expect(etag).toBeTruthy();
        expect(tags.has(etag!), `${etag} repeats`).toBe(false);
        tags.add(etag!);
        expect((await getSession(key, id)).etag).toBe(etag);
      }
    });

    it("If-Match with the current ETag → 200 with a new ETag", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const { etag } = await getSession(key, id);
      const res = await patchEval(key, id, { evalStatus: "golden" }, etag!);
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).not.toBe(etag);
      // …and that new ETag works for the next change.
      const again = await patchEval(key, id, { evalStatus: "correct" }, res.headers.get("etag")!);
      expect(again.status).toBe(200);
    });

    it("If-Match with a stale ETag → 412 and nothing changes (labels, tags filter, ETag)", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const stale = (await getSession(key, id)).etag!;
      const saved = await patchEval(key, id, { evalStatus: "golden", evalNotes: "first", evalTags: ["one"] });
      expect(saved.status).toBe(200);
      const current = await getSession(key, id);

      await expectError(
        await patchEval(key, id, { evalStatus: "incorrect", evalNotes: "second", evalTags: ["two"], evalReady: true }, stale),
        412,
        "precondition_failed",
      );
      const after = await getSession(key, id);
      expect(after.etag).toBe(current.etag);
      expect(after.body).toEqual(current.body);
      expect(after.body).toMatchObject({ evalStatus: "golden", evalNotes: "first", evalTags: ["one"], evalReady: false });
      expect(await listIds(key, "/api/sessions?tag=one")).toEqual([id]);
      expect(await listIds(key, "/api/sessions?tag=two")).toEqual([]);
    });

    it("an unparseable If-Match matches nothing (412); a list containing the current ETag matches", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const { etag } = await getSession(key, id);
      await expectError(await patchEval(key, id, { evalStatus: "golden" }, "garbage"), 412, "precondition_failed");
      await expectError(await patchEval(key, id, { evalStatus: "golden" }, '"v999999"'), 412, "precondition_failed");
      expect((await labelsOf(key, id)).evalStatus).toBe("needs_review");
      expect((await patchEval(key, id, { evalStatus: "golden" }, `"v999999", ${etag}`)).status).toBe(200);
    });

    it('If-Match "*" applies to an existing session; on an unknown one it is 404', async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const res = await patchEval(key, id, { evalStatus: "correct" }, "*");
      expect(res.status).toBe(200);
      expect((await labelsOf(key, id)).evalStatus).toBe("correct");
      await expectError(await patchEval(key, "ses_nope", { evalStatus: "correct" }, "*"), 404, "not_found");
    });

    it("two reviewers: both read v1, the first saves, the second gets 412 and must reload", async () => {
      const { ws, key } = await workspaceKey();
      const alice = await makeKey(ws, ["sessions:read", "evals:write"]);
      const id = await newSession(key);
      const readA = await getSession(alice, id);
      const readB = await getSession(key, id);
      expect(readA.etag).toBe(readB.etag);

      const a = await patchEval(alice, id, { evalStatus: "golden", evalTags: ["alice"] }, readA.etag!);
      expect(a.status).toBe(200);
      await expectError(await patchEval(key, id, { evalStatus: "incorrect", evalTags: ["bob"] }, readB.etag!), 412, "precondition_failed");
      expect(await labelsOf(key, id)).toMatchObject({ evalStatus: "golden", evalTags: ["alice"] });
      expect(await listIds(key, "/api/sessions?tag=bob")).toEqual([]);

      // Bob reloads and applies his change on top.
      const reload = await getSession(key, id);
      expect(reload.etag).toBe(a.headers.get("etag"));
      const b = await patchEval(key, id, { evalStatus: "incorrect" }, reload.etag!);
      expect(b.status).toBe(200);
      expect(await labelsOf(key, id)).toMatchObject({ evalStatus: "incorrect", evalTags: ["alice"] });
    });

    it("concurrent PATCHes with the same If-Match: exactly one wins", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const { etag } = await getSession(key, id);
      const results = await Promise.all(
        ["p", "q", "r"].map((t) => patchEval(key, id, { evalTags: [t], evalNotes: t }, etag!)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412]);
      const winner = await results.find((r) => r.status === 200)!.json<Json>();
      const labels = await labelsOf(key, id);
      expect(labels.evalTags).toEqual(winner.evalTags);
      expect(labels.evalNotes).toBe(winner.evalNotes);
      for (const t of ["p", "q", "r"]) {
        expect(await listIds(key, `/api/sessions?tag=${t}`)).toEqual(t === winner.evalNotes ? [id] : []);
      }
    });
  });

  describe("validation", () => {
    const cases: [string, Json, string][] = [
      ['evalStatus "great"', { evalStatus: "great" }, "evalStatus"],
      ["evalStatus null", { evalStatus: null }, "evalStatus"],
      ['evalReady "yes"', { evalReady: "yes" }, "evalReady"],
      ["evalReady null", { evalReady: null }, "evalReady"],
      ['evalTags [""]', { evalTags: [""] }, "evalTags.0"],
      ['evalTags ["   "] (blank after trimming)', { evalTags: ["ok", "   "] }, "evalTags.1"],
      ["evalTags not an array", { evalTags: "auth" }, "evalTags"],
      ["evalTags with a number", { evalTags: ["a", 1] }, "evalTags.1"],
      ["a 65-character tag", { evalTags: ["x".repeat(65)] }, "evalTags.0"],
      ["65 tags", { evalTags: Array.from({ length: 65 }, (_, i) => `t${i}`) }, "evalTags"],
      ["evalNotes a number", { evalNotes: 5 }, "evalNotes"],
      ["expectedOutput an object", { expectedOutput: { a: 1 } }, "expectedOutput"],
      ["an unknown field", { evalStatus: "golden", reviewedAt: 5 }, "reviewedAt"],
      ["a misspelt field", { evalstatus: "golden" }, "evalstatus"],
    ];
    for (const [name, body, path] of cases) {
      it(`${name} → 400 naming ${path || "the body"}, nothing changed`, async () => {
        const { key } = await workspaceKey();
        const id = await newSession(key);
        const before = await getSession(key, id);
        const res = await patchEval(key, id, body);
        if (path) await expectInvalid(res, path);
        else await expectError(res, 400, "invalid_request");
        const after = await getSession(key, id);
        expect(after.etag).toBe(before.etag);
        expect(after.body).toEqual(before.body);
      });
    }

    it("an empty body {} → 400", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      const body = await expectError(await patchEval(key, id, {}), 400, "invalid_request");
      expect(body.error.details?.length).toBeGreaterThan(0);
      expect((await labelsOf(key, id)).reviewedAt).toBeNull();
    });

    it("a JSON array or null body → 400", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      await expectError(await patchEval(key, id, []), 400, "invalid_request");
      await expectError(await patchEval(key, id, null), 400, "invalid_request");
    });

    it("an unknown id → 404 (also with evalTags)", async () => {
      const { key } = await workspaceKey();
      await expectError(await patchEval(key, "ses_unknown", { evalStatus: "golden" }), 404, "not_found");
      await expectError(await patchEval(key, "ses_unknown", { evalTags: ["a"] }), 404, "not_found");
      await expectError(await patchEval(key, "ses_unknown", { evalTags: [] }), 404, "not_found");
    });
  });

  describe("security", () => {
    it("no key → 401, nothing changed", async () => {
      const { key } = await workspaceKey();
      const id = await newSession(key);
      await expectError(await patchEval(undefined, id, { evalStatus: "golden" }), 401, "unauthorized");
      await expectError(await patchEval(undefined, id, {}), 401, "unauthorized");
      expect((await labelsOf(key, id)).evalStatus).toBe("needs_review");
    });

    it("a sessions:read-only (or sessions:write) key → 403, nothing changed", async () => {
      const { ws, key } = await workspaceKey();
      const id = await newSession(key);
      for (const scopes of [["sessions:read"], ["sessions:write"], ["sessions:read", "sessions:write", "export:read"]] as const) {
        await expectError(await patchEval(await makeKey(ws, [...scopes]), id, { evalStatus: "golden" }), 403, "forbidden");
      }
      expect((await labelsOf(key, id)).evalStatus).toBe("needs_review");
      expect((await patchEval(await makeKey(ws, ["evals:write"]), id, { evalStatus: "golden" })).status).toBe(200);
    });

    it("another workspace's id → 404 and its labels and tag index stay untouched", async () => {
      const mine = await workspaceKey();
      const other = await workspaceKey();
      const theirs = await newSession(other.key);
      await patchEval(other.key, theirs, { evalStatus: "golden", evalTags: ["theirs"], evalNotes: "keep" });
      const before = await getSession(other.key, theirs);

      for (const body of [{ evalStatus: "incorrect" }, { evalTags: ["mine"] }, { evalTags: [] }, { evalReady: true, evalNotes: null }]) {
        await expectError(await patchEval(mine.key, theirs, body), 404, "not_found");
        await expectError(await patchEval(mine.key, theirs, body, before.etag!), 404, "not_found");
        await expectError(await patchEval(mine.key, theirs, body, "*"), 404, "not_found");
      }
      const after = await getSession(other.key, theirs);
      expect(after.etag).toBe(before.etag);
      expect(after.body).toEqual(before.body);
      expect(await listIds(other.key, "/api/sessions?tag=theirs")).toEqual([theirs]);
      expect(await listIds(mine.key, "/api/sessions?tag=mine")).toEqual([]);
      const summary = await (await call("/api/evals/summary", { key: mine.key })).json<Json>();
      expect(summary.tags).toEqual([]);
    });
  });
});

