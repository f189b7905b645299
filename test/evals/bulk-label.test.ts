import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createKey } from "../../src/auth/keys";
import { createDb } from "../../src/db/client";
import { call, db } from "../helpers";
import { sessionTags } from "../../src/db/schema";
import { eq } from "drizzle-orm";
import { expectError, expectInvalid, getSession, newSession, workspaceKey } from "./helpers";
import { expectKeyRefusals } from "../routes/_support";

const label = (key: string | undefined, json: unknown) => call("/api/evals/label", { method: "POST", key, json });

async function indexedTags(sessionId: string): Promise<string[]> {
  return (await db().select({ tag: sessionTags.tag }).from(sessionTags).where(eq(sessionTags.sessionId, sessionId))).map((r) => r.tag).sort();
}

describe("POST /api/evals/label", () => {
  it("sets status, adds and removes tags, marks, in one request; reviewedAt/By on the changed sessions", async () => {
    const ws = `bl-${crypto.randomUUID().slice(0, 8)}`;
    const k = await createKey({ db: createDb(env.DB), kv: env.KV }, { workspace: ws, name: "grader-ci" });
    const a = await newSession(k.key, { evalTags: ["keep", "drop"] });
    const b = await newSession(k.key, { evalTags: [] });
    const before = Date.now();
    const res = await label(k.key, { sessionIds: [a, b, a, "ses_nope"], evalStatus: "golden", addTags: ["new", "keep"], removeTags: ["drop"], evalReady: true });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ updated: 2, notFound: ["ses_nope"] });
    for (const [id, tags] of [[a, ["keep", "new"]], [b, ["new", "keep"]]] as const) {
      const { body } = await getSession(k.key, id);
      expect(body.evalStatus).toBe("golden");
      expect(body.evalTags).toEqual(tags);
      expect(body.evalReady).toBe(true);
      expect(body.reviewedBy).toBe("grader-ci");
      expect(body.reviewedAt).toBeGreaterThanOrEqual(before);
      expect(await indexedTags(id)).toEqual([...tags].sort());
    }
    // the tag index follows, so the tag filter sees it
    const list = await (await call("/api/sessions?tag=new&tag=keep", { key: k.key })).json<{ total: number }>();
    expect(list.total).toBe(2);
  });

  it("an identical re-apply changes nothing (same ETag, same reviewedAt)", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    expect((await label(key, { sessionIds: [id], evalStatus: "correct", addTags: ["x"] })).status).toBe(200);
    const first = await getSession(key, id);
    expect((await label(key, { sessionIds: [id], evalStatus: "correct", addTags: ["x"] })).status).toBe(200);
    const second = await getSession(key, id);
    expect(second.etag).toBe(first.etag);
    expect(second.body.reviewedAt).toBe(first.body.reviewedAt);
  });

  it("evalReady alone marks without touching reviewedAt/reviewedBy (as /api/evals/ready)", async () => {
    const { key } = await workspaceKey();
    const id = await newSession(key);
    expect((await label(key, { sessionIds: [id], evalReady: true })).status).toBe(200);
    const { body } = await getSession(key, id);
    expect(body.evalReady).toBe(true);
    expect(body.reviewedAt).toBeNull();
    expect(body.reviewedBy).toBeNull();
  });

  it("a change that would give any session more than 64 tags changes none", async () => {
    const { key } = await workspaceKey();
    const full = await newSession(key, { evalTags: Array.from({ length: 64 }, (_, i) => `t${i}`) });
    const other = await newSession(key);
    const res = await label(key, { sessionIds: [other, full], evalStatus: "incorrect", addTags: ["one-more"] });
    await expectInvalid(res, "addTags");
    for (const id of [full, other]) {
      const { body } = await getSession(key, id);
      expect(body.evalStatus).toBe("needs_review");
      expect(body.evalTags).not.toContain("one-more");
    }
  });

  it.each([
    [{}, "sessionIds"],
    [{ sessionIds: [] }, "sessionIds"],
    [{ sessionIds: ["a"] }, ""],
    [{ sessionIds: ["a"], evalStatus: "great" }, "evalStatus"],
    [{ sessionIds: ["a"], addTags: [" "] }, "addTags.0"],
    [{ sessionIds: ["a"], addTags: ["x"], removeTags: ["x"] }, "addTags.0"],
    [{ sessionIds: ["a"], evalReady: "yes" }, "evalReady"],
    [{ sessionIds: ["a"], evalStatus: "golden", status: "golden" }, ""],
    [{ sessionIds: Array.from({ length: 501 }, (_, i) => `s${i}`), evalReady: true }, "sessionIds"],
  ])("refuses %j (400 naming %s)", async (json, path) => {
    const { key } = await workspaceKey();
    const res = await label(key, json);
    const body = await expectError(res, 400, "invalid_request");
    if (path) expect(body.error.details?.map((d) => d.path)).toContain(path);
  });

  it("another workspace's sessions are not found and not changed", async () => {
    const a = await workspaceKey();
    const b = await workspaceKey();
    const theirs = await newSession(b.key);
    const res = await label(a.key, { sessionIds: [theirs], evalStatus: "golden", addTags: ["x"] });
    expect(await res.json()).toEqual({ updated: 0, notFound: [theirs] });
    const { body } = await getSession(b.key, theirs);
    expect(body.evalStatus).toBe("needs_review");
    expect(body.evalTags).toEqual([]);
    expect(await indexedTags(theirs)).toEqual([]);
  });

  it("refuses bad keys (401) and a key without evals:write (403)", async () => {
    await expectKeyRefusals(`bl-auth-${crypto.randomUUID().slice(0, 6)}`, "evals:write", (authorization) =>
      call("/api/evals/label", { method: "POST", headers: authorization ? { authorization } : {}, json: { sessionIds: ["x"], evalReady: true } }),
    );
  });
});
