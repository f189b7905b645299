import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { expectError, expectInvalid, getSession, labelsOf, listIds, markReady, newSession, newSessions, patchEval, workspaceKey } from "./helpers";

describe("POST /api/evals/ready", () => {
  it("marks sessions eval-ready and answers {updated, notFound}", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    const b = await newSession(key);
    const res = await markReady(key, { sessionIds: [a, b] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 2, notFound: [] });
    expect((await labelsOf(key, a)).evalReady).toBe(true);
    expect((await labelsOf(key, b)).evalReady).toBe(true);
  });

  it("ready defaults to true; ready: false unmarks", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    expect((await labelsOf(key, a)).evalReady).toBe(false);
    expect(await (await markReady(key, { sessionIds: [a], ready: true })).json()).toEqual({ updated: 1, notFound: [] });
    expect((await labelsOf(key, a)).evalReady).toBe(true);
    expect(await (await markReady(key, { sessionIds: [a], ready: false })).json()).toEqual({ updated: 1, notFound: [] });
    expect((await labelsOf(key, a)).evalReady).toBe(false);
  });

  it("counts distinct found sessions once, even when named twice, and lists unknown ids in notFound", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    const b = await newSession(key);
    const res = await markReady(key, { sessionIds: [a, a, b, "ses_unknown", a, "ses_unknown"] });
    expect(res.status).toBe(200);
    const body = await res.json<{ updated: number; notFound: string[] }>();
    expect(body.updated).toBe(2);
    expect(body.notFound).toEqual(["ses_unknown"]);
  });

  it("counts an already-ready session as found (updated counts sessions found, not rows changed)", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    await markReady(key, { sessionIds: [a] });
    expect(await (await markReady(key, { sessionIds: [a] })).json()).toEqual({ updated: 1, notFound: [] });
  });

  it("marking keeps existing labels and does not touch reviewedAt", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    const patched = await patchEval(key, a, {
      evalStatus: "golden",
      evalNotes: "good one",
      evalTags: ["auth", "debugging"],
      expectedOutput: "The fix is in AuthProvider.",
    });
    expect(patched.status).toBe(200);
    const before = await labelsOf(key, a);
    expect(before.reviewedAt).toEqual(expect.any(Number));

    await markReady(key, { sessionIds: [a] });
    expect(await labelsOf(key, a)).toEqual({ ...before, evalReady: true });
    await markReady(key, { sessionIds: [a], ready: false });
    expect(await labelsOf(key, a)).toEqual({ ...before, evalReady: false });
  });

  it("leaves reviewedAt null on a never-labelled session", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    await markReady(key, { sessionIds: [a] });
    const labels = await labelsOf(key, a);
    expect(labels.evalReady).toBe(true);
    expect(labels.reviewedAt).toBeNull();
    expect(labels.evalStatus).toBe("needs_review");
  });

  it("changes the session's ETag when it changes the session, and not when it changes nothing", async () => {
    const { key } = await workspaceKey();
    const a = await newSession(key);
    const v1 = (await getSession(key, a)).etag;
    await markReady(key, { sessionIds: [a] });
    const v2 = (await getSession(key, a)).etag;
    expect(v2).not.toBe(v1);
    await markReady(key, { sessionIds: [a] });
    expect((await getSession(key, a)).etag).toBe(v2);
  });

  it("reports another workspace's ids in notFound and leaves them untouched", async () => {
    const { key } = await workspaceKey();
    const other = await workspaceKey();
    const mine = await newSession(key);
    const theirs = await newSession(other.key);
    const res = await markReady(key, { sessionIds: [mine, theirs] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 1, notFound: [theirs] });
    expect((await labelsOf(other.key, theirs)).evalReady).toBe(false);

    // Unmarking through the wrong workspace does not unmark either.
    await markReady(other.key, { sessionIds: [theirs] });
    await markReady(key, { sessionIds: [theirs], ready: false });
    expect((await labelsOf(other.key, theirs)).evalReady).toBe(true);
  });

  it("marks many sessions at once (more than one statement's worth of ids)", async () => {
    const { key } = await workspaceKey();
    const ids = [...(await newSessions(key, 100)), ...(await newSessions(key, 90))];
    const res = await markReady(key, { sessionIds: [...ids, ...ids.slice(0, 10), "ses_unknown"] });
    expect(await res.json()).toEqual({ updated: 190, notFound: ["ses_unknown"] });
    const listed = await listIds(key, "/api/evals?limit=200");
    expect(new Set(listed)).toEqual(new Set(ids));
    await markReady(key, { sessionIds: ids.slice(0, 120), ready: false });
    expect(await listIds(key, "/api/evals?limit=200")).toHaveLength(70);
  });

  describe("validation", () => {
    it("sessionIds [] → 400 naming sessionIds", async () => {
      const { key } = await workspaceKey();
      await expectInvalid(await markReady(key, { sessionIds: [] }), "sessionIds");
    });

    it("501 ids → 400 naming sessionIds; 500 is accepted", async () => {
      const { key } = await workspaceKey();
      const a = await newSession(key);
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `ses_missing_${i}`);
      await expectInvalid(await markReady(key, { sessionIds: [a, ...ids(500)] }), "sessionIds");
      expect((await labelsOf(key, a)).evalReady).toBe(false);
      const ok = await markReady(key, { sessionIds: [a, ...ids(499)] });
      expect(ok.status).toBe(200);
      const body = await ok.json<{ updated: number; notFound: string[] }>();
      expect(body.updated).toBe(1);
      expect(body.notFound).toHaveLength(499);
    });

    it("missing sessionIds, a non-array, non-string items, and ready: \"yes\" → 400 naming the field", async () => {
      const { key } = await workspaceKey();
      const a = await newSession(key);
      await expectInvalid(await markReady(key, {}), "sessionIds");
      await expectInvalid(await markReady(key, { sessionIds: a }), "sessionIds");
      await expectInvalid(await markReady(key, { sessionIds: [a, 7] }), "sessionIds.1");
      await expectInvalid(await markReady(key, { sessionIds: [""] }), "sessionIds.0");
      await expectInvalid(await markReady(key, { sessionIds: [a], ready: "yes" }), "ready");
      expect((await labelsOf(key, a)).evalReady).toBe(false);
    });

    it("malformed JSON → 400; not JSON → 415", async () => {
      const { key } = await workspaceKey();
      await expectError(await callRaw(key, "{", "application/json"), 400, "invalid_request");
      await expectError(await callRaw(key, "sessionIds=a", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    });
  });

  describe("security", () => {
    it("no key → 401, a bad key → 401", async () => {
      const { key } = await workspaceKey();
      const a = await newSession(key);
      await expectError(await markReady(undefined, { sessionIds: [a] }), 401, "unauthorized");
      await expectError(await markReady(`osk_${"x".repeat(40)}`, { sessionIds: [a] }), 401, "unauthorized");
      expect((await labelsOf(key, a)).evalReady).toBe(false);
    });

    it("a key without evals:write → 403 and nothing changes", async () => {
      const { ws, key } = await workspaceKey();
      const a = await newSession(key);
      for (const scopes of [["sessions:read"], ["sessions:read", "sessions:write", "export:read"]] as const) {
        const limited = await makeKey(ws, [...scopes]);
        await expectError(await markReady(limited, { sessionIds: [a] }), 403, "forbidden");
      }
      expect((await labelsOf(key, a)).evalReady).toBe(false);
      const writer = await makeKey(ws, ["evals:write"]);
      expect((await markReady(writer, { sessionIds: [a] })).status).toBe(200);
    });

    it("auth is checked before the body: no key with an invalid body → 401", async () => {
      await expectError(await markReady(undefined, { sessionIds: [] }), 401, "unauthorized");
    });
  });
});

function callRaw(key: string, body: string, contentType: string) {
  return call("/api/evals/ready", { method: "POST", key, body, headers: { "content-type": contentType } });
}
