import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/lib/limits";
import { call, ingest, makeKey, sessionBody } from "../helpers";
import { expectError, expectInvalid, expectKeyRefusals, getSession, post, storedSession, workspaceSessionCount } from "./_support";

/** POST /api/sessions/batch: up to 100 sessions, validated all or nothing, stored in one transaction. */

const batch = (key: string | undefined, sessions: unknown[]) => post("/api/sessions/batch", key, { sessions });

describe("POST /api/sessions/batch — happy path and idempotency", () => {
  it("stores every session and answers one result per session, in request order", async () => {
    const key = await makeKey("bat-happy");
    const bodies = [sessionBody(), sessionBody({ messages: [] }), sessionBody()];
    const res = await batch(key, bodies);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const { results } = await res.json<any>();
    expect(results).toEqual(
      bodies.map((b) => ({ id: expect.stringMatching(/^ses_/), externalId: b.externalId, created: true, messageCount: b.messages.length })),
    );
    expect(new Set(results.map((r: any) => r.id)).size).toBe(3);
    for (const [i, r] of results.entries()) {
      const { body: s } = await getSession(key, r.id);
      expect(s.title).toBe(bodies[i]!.title);
      expect(s.messages.map((m: any) => m.content)).toEqual(bodies[i]!.messages.map((m: any) => m.content));
    }
  });

  it("the same batch twice leaves the same sessions, messages and ETags", async () => {
    const ws = "bat-idem";
    const key = await makeKey(ws);
    const bodies = [sessionBody(), sessionBody(), sessionBody({ messages: [{ role: "user", content: "no ids" }, { role: "assistant", content: "here" }] })];
    const first = (await (await batch(key, bodies)).json<any>()).results;
    const before = await Promise.all(first.map((r: any) => getSession(key, r.id)));

    const res = await batch(key, bodies);
    expect(res.status).toBe(200);
    const second = (await res.json<any>()).results;
    expect(second).toEqual(first.map((r: any) => ({ ...r, created: false })));
    const after = await Promise.all(first.map((r: any) => getSession(key, r.id)));
    for (let i = 0; i < first.length; i++) {
      expect(after[i]!.etag).toBe(before[i]!.etag);
      expect(after[i]!.body).toEqual(before[i]!.body);
    }
    expect(await workspaceSessionCount(ws)).toBe(3);
  });

  it("mixes creates and updates, and a resend with two more messages appends exactly two", async () => {
    const key = await makeKey("bat-mixed");
    const old = sessionBody();
    const { id: oldId } = await ingest(key, old);
    const fresh = sessionBody();
    const grown = {
      ...old,
      messages: [...old.messages, { externalId: "m5", role: "user", content: "more" }, { externalId: "m6", role: "assistant", content: "ok" }],
    };
    const { results } = await (await batch(key, [fresh, grown])).json<any>();
    expect(results[0]).toMatchObject({ externalId: fresh.externalId, created: true, messageCount: 4 });
    expect(results[1]).toEqual({ id: oldId, externalId: old.externalId, created: false, messageCount: 6 });
    const { body: s } = await getSession(key, oldId);
    expect(s.messages.map((m: any) => m.externalId)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6"]);
    // fewer messages removes none
    const { results: again } = await (await batch(key, [{ ...old, messages: old.messages.slice(0, 1) }])).json<any>();
    expect(again[0].messageCount).toBe(6);
  });

  it("accepts exactly 100 sessions", async () => {
    const ws = "bat-100";
    const key = await makeKey(ws);
    const bodies = Array.from({ length: LIMITS.sessionsPerBatch }, () => sessionBody({ messages: [{ role: "user", content: "hi" }] }));
    const res = await batch(key, bodies);
    expect(res.status).toBe(200);
    expect((await res.json<any>()).results).toHaveLength(100);
    expect(await workspaceSessionCount(ws)).toBe(100);
  });
});

describe("POST /api/sessions/batch — all-or-nothing validation", () => {
  it("one bad item rejects the whole batch, naming the item's index; nothing of the batch is stored", async () => {
    const ws = "bat-bad-item";
    const key = await makeKey(ws);
    const existing = sessionBody();
    const { id } = await ingest(key, existing);
    const before = await getSession(key, id);
    const bodies = [
      sessionBody(),
      { ...existing, title: "Changed by a rejected batch" },
      sessionBody(),
      sessionBody({ messages: [{ role: "robot", content: "x" }] }),
      sessionBody(),
    ];
    const err = await expectInvalid(await batch(key, bodies), "sessions.3.messages.0.role");
    expect(err.error.details).toHaveLength(1);
    expect(err.error.message).toContain("sessions.3.messages.0.role");
    for (const b of bodies) if (b.externalId !== existing.externalId) expect(await storedSession(ws, b.externalId)).toBeUndefined();
    const after = await getSession(key, id);
    expect(after.body).toEqual(before.body);
    expect(after.etag).toBe(before.etag);
    expect(await workspaceSessionCount(ws)).toBe(1);
  });

  it("names every bad item of the batch, one detail per bad field", async () => {
    const key = await makeKey("bat-many-bad");
    const bodies = [
      sessionBody({ promptTokens: -1 }),
      sessionBody(),
      sessionBody({ messages: [{ role: "user", content: "x", toolCalls: [{ name: "ls" }] }] }),
      sessionBody({ evalTags: [" "] }),
    ];
    const err = await expectInvalid(await batch(key, bodies), "sessions.0.promptTokens");
    expect(err.error.details!.map((d) => d.path).sort()).toEqual(
      ["sessions.0.promptTokens", "sessions.2.messages.0.toolCalls", "sessions.3.evalTags.0"].sort(),
    );
  });

  it("more than 100 sessions is a 400 and stores nothing", async () => {
    const ws = "bat-101";
    const key = await makeKey(ws);
    const bodies = Array.from({ length: LIMITS.sessionsPerBatch + 1 }, () => sessionBody({ messages: [] }));
    const err = await expectInvalid(await batch(key, bodies), "sessions");
    expect(err.error.message).toMatch(/100/);
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it("more than 10,000 messages across the batch is a 400 and stores nothing", async () => {
    const ws = "bat-msgs";
    const key = await makeKey(ws);
    const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ role: "user", content: `m${i}` }));
    const err = await expectInvalid(await batch(key, [sessionBody({ messages: msgs(5000) }), sessionBody({ messages: msgs(5001) })]), "sessions");
    expect(err.error.message).toMatch(/10000|10,000/);
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it("the same externalId twice in one batch is a 400 naming the second", async () => {
    const ws = "bat-dup";
    const key = await makeKey(ws);
    const a = sessionBody();
    await expectInvalid(await batch(key, [a, sessionBody(), { ...a, title: "other" }]), "sessions.2.externalId");
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it.each([
    { label: "an empty list", body: { sessions: [] }, path: "sessions" },
    { label: "no sessions key", body: {}, path: "sessions" },
    { label: "sessions not a list", body: { sessions: { externalId: "x" } }, path: "sessions" },
    { label: "a session that is not an object", body: { sessions: ["x"] }, path: "sessions.0" },
    { label: "a 65-tag session", body: { sessions: [sessionBody({ evalTags: Array.from({ length: 65 }, (_, i) => `t${i}`) })] }, path: "sessions.0.evalTags" },
    {
      label: "an oversized message",
      body: { sessions: [sessionBody(), sessionBody({ messages: [{ role: "user", content: "é".repeat(LIMITS.messageContentBytes / 2 + 1) }] })] },
      path: "sessions.1.messages.0.content",
    },
  ])("$label → 400 naming $path", async ({ body, path }) => {
    const ws = "bat-shapes";
    const key = await makeKey(ws);
    await expectInvalid(await post("/api/sessions/batch", key, body), path);
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it("malformed JSON is a 400 and a non-JSON body a 415", async () => {
    const key = await makeKey("bat-json");
    await expectError(
      await call("/api/sessions/batch", { method: "POST", key, body: '{"sessions": [', headers: { "content-type": "application/json" } }),
      400,
      "invalid_request",
    );
    await expectError(
      await call("/api/sessions/batch", { method: "POST", key, body: JSON.stringify({ sessions: [sessionBody()] }), headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
  });
});

describe("POST /api/sessions/batch — auth and tenancy", () => {
  it("refuses bad keys (401) and a key without sessions:write (403), storing nothing", async () => {
    const ws = "bat-auth";
    const bodies = [sessionBody(), sessionBody()];
    await expectKeyRefusals(ws, "sessions:write", (authorization) =>
      call("/api/sessions/batch", { method: "POST", json: { sessions: bodies }, headers: authorization ? { authorization } : {} }),
    );
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it("a batch in another workspace with the same externalIds creates its own sessions", async () => {
    const keyA = await makeKey("bat-ten-a");
    const keyB = await makeKey("bat-ten-b");
    const bodies = [sessionBody(), sessionBody()];
    const a = (await (await batch(keyA, bodies)).json<any>()).results;
    const b = (await (await batch(keyB, bodies)).json<any>()).results;
    expect(b.map((r: any) => r.created)).toEqual([true, true]);
    expect(b.map((r: any) => r.id)).not.toContain(a[0].id);
    expect(b.map((r: any) => r.id)).not.toContain(a[1].id);
    await expectError(await call(`/api/sessions/${a[0].id}`, { key: keyB }), 404, "not_found");
  });
});
