import { describe, expect, it } from "vitest";
import { signDelivery } from "../../src/webhooks/signature";
import { call, ingest, sessionBody } from "../helpers";
import {
  createHook,
  deliver,
  expectError,
  expectInvalid,
  getSession,
  labelsOf,
  listIds,
  markReady,
  newSession,
  nowSeconds,
  patchEval,
  webcryptoSignature,
  workspaceKey,
  type Hook,
} from "../evals/helpers";

/** A workspace with a webhook and two fresh sessions. */
async function setup() {
  const { ws, key } = await workspaceKey();
  const hook = await createHook(key, "labeller");
  const a = await ingest(key, sessionBody());
  const b = await ingest(key, sessionBody());
  return { ws, key, hook, a, b };
}

/** Asserts a delivery was refused with 401 and left the session exactly as it was. */
async function expectRefused(key: string, sessionId: string, send: () => Promise<Response>, status = 401, code = "unauthorized") {
  const before = await getSession(key, sessionId);
  await expectError(await send(), status, code);
  const after = await getSession(key, sessionId);
  expect(after.etag).toBe(before.etag);
  expect(after.body).toEqual(before.body);
}

describe("POST /api/webhooks/:id/eval-ready — applying", () => {
  it("a delivery signed independently with WebCrypto marks sessions by id: 200 {updated, notFound}", async () => {
    const { key, hook, a, b } = await setup();
    const res = await deliver(hook, { sessionIds: [a.id, b.id, "ses_unknown"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 2, notFound: ["ses_unknown"] });
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
    expect((await labelsOf(key, b.id)).evalReady).toBe(true);
    // Marking ready through a webhook is not a label change.
    expect((await labelsOf(key, a.id)).reviewedAt).toBeNull();
  });

  it("the library's signature and the WebCrypto one are the same bytes; a library-signed delivery applies too", async () => {
    const { key, hook, a } = await setup();
    const body = JSON.stringify({ sessionIds: [a.id] });
    const ts = nowSeconds();
    const lib = signDelivery(hook.secret, "msg_interop", ts, body);
    expect(lib).toBe(await webcryptoSignature(hook.secret, "msg_interop", ts, body));
    const res = await deliver(hook, body, { msgId: "msg_interop", timestamp: ts, signature: lib });
    expect(res.status).toBe(200);
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
  });

  it("by externalIds, with evalStatus and evalTags (which replace the tags, trimmed and de-duplicated)", async () => {
    const { key, hook, a, b } = await setup();
    await patchEval(key, a.id, { evalTags: ["old"], evalNotes: "kept" });
    const res = await deliver(hook, {
      externalIds: [a.externalId, b.externalId, "ext-unknown"],
      evalStatus: "golden",
      evalTags: [" auth ", "ui", "auth", "UI"],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 2, notFound: ["ext-unknown"] });
    for (const s of [a, b]) {
      const l = await labelsOf(key, s.id);
      expect(l).toMatchObject({ evalReady: true, evalStatus: "golden", evalTags: ["auth", "ui", "UI"] });
      expect(l.reviewedAt).toEqual(expect.any(Number));
    }
    expect((await labelsOf(key, a.id)).evalNotes).toBe("kept");
    expect(await listIds(key, "/api/sessions?tag=old")).toEqual([]);
    expect(new Set(await listIds(key, "/api/evals?status=golden&tag=auth&tag=UI"))).toEqual(new Set([a.id, b.id]));
  });

  it("reviewedAt moves only when a label really changes; marking ready through a webhook keeps it", async () => {
    const { key, hook, a } = await setup();
    await patchEval(key, a.id, { evalStatus: "golden", evalTags: ["auth"] });
    const labelled = await labelsOf(key, a.id);
    // Ready + the status and tags it already has: only the ready flag changes.
    expect((await deliver(hook, { sessionIds: [a.id], evalStatus: "golden", evalTags: ["auth"] })).status).toBe(200);
    expect(await labelsOf(key, a.id)).toEqual({ ...labelled, evalReady: true });
    // A real status change moves reviewedAt forward.
    expect((await deliver(hook, { sessionIds: [a.id], evalStatus: "correct" })).status).toBe(200);
    const changed = await labelsOf(key, a.id);
    expect(changed.evalStatus).toBe("correct");
    expect(changed.reviewedAt).toBeGreaterThan(labelled.reviewedAt);
  });

  it("the session's ETag changes when a delivery changes it, and not when a later delivery changes nothing", async () => {
    const { key, hook, a } = await setup();
    const v1 = (await getSession(key, a.id)).etag;
    await deliver(hook, { sessionIds: [a.id], evalStatus: "golden", evalTags: ["t"] });
    const v2 = (await getSession(key, a.id)).etag;
    expect(v2).not.toBe(v1);
    await deliver(hook, { sessionIds: [a.id], evalStatus: "golden", evalTags: ["t"] });
    expect((await getSession(key, a.id)).etag).toBe(v2);
    expect((await patchEval(key, a.id, { evalNotes: "fresh" }, v2!)).status).toBe(200);
  });

  it("non-ASCII bodies verify: the signature covers the UTF-8 bytes", async () => {
    const { key, hook, a } = await setup();
    const res = await deliver(hook, { sessionIds: [a.id], evalTags: ["café", "日本語", "emoji 🚀"] });
    expect(res.status).toBe(200);
    expect((await labelsOf(key, a.id)).evalTags).toEqual(["café", "日本語", "emoji 🚀"]);
  });

  it("applies status and tags to many sessions at once, named by id and by externalId", async () => {
    const { key, hook } = await setup();
    const res1 = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: Array.from({ length: 100 }, () => sessionBody()) } });
    const res2 = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: Array.from({ length: 50 }, () => sessionBody()) } });
    const all = [...(await res1.json<{ results: { id: string; externalId: string }[] }>()).results, ...(await res2.json<{ results: { id: string; externalId: string }[] }>()).results];
    expect(all).toHaveLength(150);
    const res = await deliver(hook, {
      sessionIds: all.slice(0, 90).map((s) => s.id),
      externalIds: all.slice(60).map((s) => s.externalId),
      evalStatus: "correct",
      evalTags: ["bulk", "webhook"],
    });
    expect(await res.json()).toEqual({ updated: 150, notFound: [] });
    const summary = await (await call("/api/evals/summary", { key })).json();
    expect(summary).toEqual({
      total: 150,
      byStatus: { golden: 0, correct: 150, incorrect: 0, needs_review: 0 },
      tags: [
        { tag: "bulk", count: 150 },
        { tag: "webhook", count: 150 },
      ],
    });
  });

  it("sessionIds and externalIds together: a session named both ways counts once", async () => {
    const { hook, a, b } = await setup();
    const res = await deliver(hook, { sessionIds: [a.id, a.id], externalIds: [a.externalId, b.externalId] });
    expect(await res.json()).toEqual({ updated: 2, notFound: [] });
  });

  it("ready: false unmarks; status and tags alone keep the ready flag as sent (default true)", async () => {
    const { key, hook, a } = await setup();
    await deliver(hook, { sessionIds: [a.id] });
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
    await deliver(hook, { sessionIds: [a.id], ready: false, evalStatus: "incorrect" });
    expect(await labelsOf(key, a.id)).toMatchObject({ evalReady: false, evalStatus: "incorrect" });
  });

  it("a webhook only reaches its own workspace: other workspaces' ids are notFound and untouched", async () => {
    const { hook } = await setup();
    const other = await workspaceKey();
    const theirs = await ingest(other.key, sessionBody());
    const res = await deliver(hook, { sessionIds: [theirs.id], externalIds: [theirs.externalId], evalStatus: "golden", evalTags: ["x"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 0, notFound: [theirs.id, theirs.externalId] });
    expect(await labelsOf(other.key, theirs.id)).toMatchObject({ evalReady: false, evalStatus: "needs_review", evalTags: [] });
    expect(await listIds(other.key, "/api/sessions?tag=x")).toEqual([]);
  });

  it("needs no API key and no Content-Type (the signature is the authentication)", async () => {
    const { key, hook, a } = await setup();
    const res = await deliver(hook, { sessionIds: [a.id] }, { contentType: null });
    expect(res.status).toBe(200);
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
  });

  it("accepts timestamps within 5 minutes either way", async () => {
    const { key, hook, a, b } = await setup();
    expect((await deliver(hook, { sessionIds: [a.id] }, { timestamp: nowSeconds() - 240 })).status).toBe(200);
    expect((await deliver(hook, { sessionIds: [b.id] }, { timestamp: nowSeconds() + 240 })).status).toBe(200);
    expect((await labelsOf(key, b.id)).evalReady).toBe(true);
  });

  it("one valid signature among several space-separated ones is accepted", async () => {
    const { key, hook, a } = await setup();
    const body = JSON.stringify({ sessionIds: [a.id] });
    const ts = nowSeconds();
    const good = await webcryptoSignature(hook.secret, "msg_multi", ts, body);
    const otherSecret = (await createHook(key)).secret;
    const wrong = await webcryptoSignature(otherSecret, "msg_multi", ts, body);
    const res = await deliver(hook, body, { msgId: "msg_multi", timestamp: ts, signature: `v1,${btoa("nope")} ${wrong} ${good}` });
    expect(res.status).toBe(200);
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
  });
});

describe("POST /api/webhooks/:id/eval-ready — rejections change nothing", () => {
  it("a bad signature → 401", async () => {
    const { key, hook, a } = await setup();
    await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { signature: `v1,${btoa("x".repeat(32))}` }));
    await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { signature: "garbage" }));
    await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { signature: "" }));
  });

  it("a signature made with another webhook's secret → 401", async () => {
    const { key, hook, a } = await setup();
    const other = await createHook(key);
    await expectRefused(key, a.id, () => deliver({ id: hook.id, secret: other.secret }, { sessionIds: [a.id] }));
  });

  it("a valid signature under another scheme version (v2,…) only → 401", async () => {
    const { key, hook, a } = await setup();
    const body = JSON.stringify({ sessionIds: [a.id] });
    const ts = nowSeconds();
    const sig = (await webcryptoSignature(hook.secret, "msg_v2", ts, body)).replace(/^v1,/, "v2,");
    await expectRefused(key, a.id, () => deliver(hook, body, { msgId: "msg_v2", timestamp: ts, signature: sig }));
  });

  it("each missing header → 401", async () => {
    const { key, hook, a } = await setup();
    for (const h of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
      await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { omit: [h] }));
    }
    await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { omit: ["webhook-id", "webhook-timestamp", "webhook-signature"] }));
  });

  it("a stale (> 5 min old) or future (> 5 min ahead) timestamp → 401, even correctly signed", async () => {
    const { key, hook, a } = await setup();
    // Computed per request: the server's clock is read after ours, so "old" may be exact (301 s) while "ahead"
    // leaves a few seconds of margin for the time the request takes.
    const offsets = [() => nowSeconds() - 301, () => nowSeconds() - 3600, () => nowSeconds() + 310, () => nowSeconds() + 86400, () => Date.now()];
    for (const ts of offsets) {
      await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }, { timestamp: ts() }));
    }
  });

  it("a timestamp that is not Unix seconds → 401", async () => {
    const { key, hook, a } = await setup();
    const body = JSON.stringify({ sessionIds: [a.id] });
    for (const ts of ["abc", new Date().toISOString(), "-1", `${nowSeconds()}.5`, ` ${nowSeconds()}x`]) {
      const signature = await webcryptoSignature(hook.secret, "msg_ts", nowSeconds(), body);
      const res = await call(`/api/webhooks/${hook.id}/eval-ready`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "webhook-id": "msg_ts", "webhook-timestamp": ts, "webhook-signature": signature },
      });
      await expectError(res, 401, "unauthorized");
    }
    expect((await labelsOf(key, a.id)).evalReady).toBe(false);
  });

  it("the body altered after signing → 401", async () => {
    const { key, hook, a, b } = await setup();
    const signed = JSON.stringify({ sessionIds: [a.id], ready: false });
    await expectRefused(key, b.id, () => deliver(hook, signed, { sendBody: JSON.stringify({ sessionIds: [b.id], ready: true }) }));
    await expectRefused(key, a.id, () => deliver(hook, signed, { sendBody: `${signed} ` }));
  });

  it("a different webhook-id than the one signed → 401", async () => {
    const { key, hook, a } = await setup();
    const body = JSON.stringify({ sessionIds: [a.id] });
    const ts = nowSeconds();
    const signature = await webcryptoSignature(hook.secret, "msg_signed", ts, body);
    await expectRefused(key, a.id, () => deliver(hook, body, { msgId: "msg_other", timestamp: ts, signature }));
  });

  it("an unknown webhook → 404; a deleted one → 404", async () => {
    const { key, hook, a } = await setup();
    await expectRefused(key, a.id, () => deliver({ id: "wh_unknown", secret: hook.secret }, { sessionIds: [a.id] }), 404, "not_found");
    expect((await call(`/api/webhooks/${hook.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectRefused(key, a.id, () => deliver(hook, { sessionIds: [a.id] }), 404, "not_found");
  });

  it("an invalid body with a valid signature → 400 naming the field", async () => {
    const { key, hook, a } = await setup();
    const cases: [unknown, string][] = [
      [{ sessionIds: [a.id], evalStatus: "great" }, "evalStatus"],
      [{ sessionIds: [a.id], evalTags: [""] }, "evalTags.0"],
      [{ sessionIds: [a.id], evalTags: Array.from({ length: 65 }, (_, i) => `t${i}`) }, "evalTags"],
      [{ sessionIds: [a.id], ready: "yes" }, "ready"],
      [{ sessionIds: a.id }, "sessionIds"],
      [{ externalIds: [a.externalId, 3] }, "externalIds.1"],
      [{ sessionIds: Array.from({ length: 501 }, (_, i) => `ses_${i}`) }, "sessionIds"],
    ];
    for (const [body, field] of cases) {
      const before = await getSession(key, a.id);
      await expectInvalid(await deliver(hook, body), field);
      expect((await getSession(key, a.id)).body).toEqual(before.body);
    }
  });

  it("a body naming no id → 400", async () => {
    const { key, hook, a } = await setup();
    for (const body of [{}, { ready: true }, { sessionIds: [] }, { sessionIds: [], externalIds: [] }, { evalStatus: "golden" }]) {
      await expectRefused(key, a.id, () => deliver(hook, body), 400, "invalid_request");
    }
  });

  it("malformed JSON or a non-object with a valid signature → 400", async () => {
    const { key, hook, a } = await setup();
    for (const raw of ["{", "", "null", "[]", '"sessionIds"']) {
      await expectRefused(key, a.id, () => deliver(hook, raw), 400, "invalid_request");
    }
  });
});

describe("POST /api/webhooks/:id/eval-ready — replays", () => {
  it("the same webhook-id again → 200 {duplicate: true}, not re-applied even after the session changed", async () => {
    const { key, hook, a } = await setup();
    const body = { sessionIds: [a.id], evalStatus: "golden" };
    const first = await deliver(hook, body, { msgId: "msg_replay" });
    expect(await first.json()).toEqual({ updated: 1, notFound: [] });

    // Between the deliveries a reviewer unmarks it and changes the status.
    await markReady(key, { sessionIds: [a.id], ready: false });
    await patchEval(key, a.id, { evalStatus: "incorrect" });
    const before = await getSession(key, a.id);

    const again = await deliver(hook, body, { msgId: "msg_replay" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    // A sender's retry re-signs with a new timestamp: still a duplicate.
    const retry = await deliver(hook, body, { msgId: "msg_replay", timestamp: nowSeconds() + 1 });
    expect(await retry.json()).toEqual({ duplicate: true });

    const after = await getSession(key, a.id);
    expect(after.body).toEqual(before.body);
    expect(after.etag).toBe(before.etag);
    expect(after.body).toMatchObject({ evalReady: false, evalStatus: "incorrect" });
  });

  it("webhook-ids are remembered per webhook: the same id on another webhook applies", async () => {
    const { key, hook, a, b } = await setup();
    const second = await createHook(key);
    expect(await (await deliver(hook, { sessionIds: [a.id] }, { msgId: "msg_shared" })).json()).toEqual({ updated: 1, notFound: [] });
    expect(await (await deliver(second, { sessionIds: [b.id] }, { msgId: "msg_shared" })).json()).toEqual({ updated: 1, notFound: [] });
    expect((await labelsOf(key, b.id)).evalReady).toBe(true);
  });

  it("a delivery rejected for its signature is not remembered: fixed and retried with the same webhook-id, it applies", async () => {
    const { key, hook, a } = await setup();
    const body = { sessionIds: [a.id] };
    await expectError(await deliver(hook, body, { msgId: "msg_fix_sig", signature: "v1,AAAA" }), 401, "unauthorized");
    await expectError(await deliver(hook, body, { msgId: "msg_fix_sig", timestamp: nowSeconds() - 1000 }), 401, "unauthorized");
    const ok = await deliver(hook, body, { msgId: "msg_fix_sig" });
    expect(await ok.json()).toEqual({ updated: 1, notFound: [] });
    expect((await labelsOf(key, a.id)).evalReady).toBe(true);
  });

  it("a delivery rejected for its body (400) is not remembered: fixed and retried with the same webhook-id, it applies", async () => {
    const { key, hook, a } = await setup();
    await expectError(await deliver(hook, { sessionIds: [a.id], evalStatus: "great" }, { msgId: "msg_fix_body" }), 400, "invalid_request");
    await expectError(await deliver(hook, {}, { msgId: "msg_fix_body" }), 400, "invalid_request");
    const ok = await deliver(hook, { sessionIds: [a.id], evalStatus: "golden" }, { msgId: "msg_fix_body" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ updated: 1, notFound: [] });
    expect(await labelsOf(key, a.id)).toMatchObject({ evalReady: true, evalStatus: "golden" });
  });

  it("a delivery to a deleted webhook is not remembered either (404 before anything)", async () => {
    const { key, hook } = await setup();
    const id = await newSession(key);
    await call(`/api/webhooks/${hook.id}`, { method: "DELETE", key });
    await expectError(await deliver(hook, { sessionIds: [id] }, { msgId: "msg_gone" }), 404, "not_found");
    // A new webhook in the same workspace knows nothing of it.
    const fresh: Hook = await createHook(key);
    expect(await (await deliver(fresh, { sessionIds: [id] }, { msgId: "msg_gone" })).json()).toEqual({ updated: 1, notFound: [] });
  });
});
