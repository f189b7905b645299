import { describe, expect, it } from "vitest";
import { BASE, call, makeKey } from "../helpers";
import { createHook, deliver, expectError, expectInvalid, labelsOf, newSession, workspaceKey, type Json } from "../evals/helpers";

describe("POST /api/webhooks", () => {
  it("answers 201 {id, url, secret}: a whsec_ secret and the absolute delivery URL", async () => {
    const { key } = await workspaceKey();
    const res = await call("/api/webhooks", { method: "POST", key, json: { name: "labeller" } });
    expect(res.status).toBe(201);
    const body = await res.json<Json>();
    expect(Object.keys(body).sort()).toEqual(["id", "secret", "url"]);
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    // The HMAC key is the base64-decoded part: 32 random bytes.
    expect(atob(body.secret.slice("whsec_".length))).toHaveLength(32);
    expect(body.url).toBe(`${BASE}/api/webhooks/${body.id}/eval-ready`);
    expect(body.url.endsWith(`/api/webhooks/${body.id}/eval-ready`)).toBe(true);
  });

  it("name is optional; each webhook gets its own id and secret", async () => {
    const { key } = await workspaceKey();
    const a = await createHook(key);
    const b = await createHook(key);
    expect(a.id).not.toBe(b.id);
    expect(a.secret).not.toBe(b.secret);
  });

  it("the body may be left out entirely (curl -X POST with no -d); a non-JSON body is still a 415", async () => {
    const { key } = await workspaceKey();
    const res = await call("/api/webhooks", { method: "POST", key });
    expect(res.status).toBe(201);
    expect((await res.json<Json>()).secret).toMatch(/^whsec_/);
    await expectError(await call("/api/webhooks", { method: "POST", key, body: "name=x", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    // a route whose body is required answers a missing one with a 400 naming the fields, not a 415
    await expectInvalid(await call("/api/sessions", { method: "POST", key: await makeKey("wh-nobody") }), "externalId");
  });

  it("an invalid name → 400 naming name", async () => {
    const { key } = await workspaceKey();
    await expectInvalid(await call("/api/webhooks", { method: "POST", key, json: { name: 5 } }), "name");
    await expectInvalid(await call("/api/webhooks", { method: "POST", key, json: { name: "x".repeat(129) } }), "name");
  });

  it("security: no key 401; a key without evals:write 403", async () => {
    const { ws } = await workspaceKey();
    await expectError(await call("/api/webhooks", { method: "POST", json: {} }), 401, "unauthorized");
    await expectError(await call("/api/webhooks", { method: "POST", json: {}, key: await makeKey(ws, ["sessions:read", "sessions:write"]) }), 403, "forbidden");
    expect((await call("/api/webhooks", { method: "POST", json: {}, key: await makeKey(ws, ["evals:write"]) })).status).toBe(201);
  });
});

describe("GET /api/webhooks", () => {
  it("lists this workspace's webhooks, newest first, never their secrets", async () => {
    const { key } = await workspaceKey();
    const other = await workspaceKey();
    const a = await createHook(key, "first");
    const b = await createHook(key);
    await createHook(other.key, "theirs");
    const res = await call("/api/webhooks", { key });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("whsec_");
    expect(text).not.toContain(a.secret.slice(6));
    const { webhooks } = JSON.parse(text) as { webhooks: Json[] };
    // Newest first (createdAt descending; two made in the same millisecond may come either way).
    expect(new Set(webhooks.map((w) => w.id))).toEqual(new Set([a.id, b.id]));
    expect(webhooks).toHaveLength(2);
    expect(webhooks[0]!.createdAt).toBeGreaterThanOrEqual(webhooks[1]!.createdAt);
    for (const w of webhooks) expect(Object.keys(w).sort()).toEqual(["createdAt", "id", "name", "url"]);
    expect(webhooks.find((w) => w.id === a.id)).toEqual({ id: a.id, name: "first", url: a.url, createdAt: expect.any(Number) });
    expect(webhooks.find((w) => w.id === b.id)!.name).toBeNull();
  });

  it("security: no key 401; an evals:write-only key 403", async () => {
    const { ws } = await workspaceKey();
    await expectError(await call("/api/webhooks"), 401, "unauthorized");
    await expectError(await call("/api/webhooks", { key: await makeKey(ws, ["evals:write"]) }), 403, "forbidden");
    expect((await call("/api/webhooks", { key: await makeKey(ws, ["sessions:read"]) })).status).toBe(200);
  });
});

describe("DELETE /api/webhooks/:id", () => {
  it("204, then the webhook is gone from the list and its deliveries answer 404", async () => {
    const { key } = await workspaceKey();
    const hook = await createHook(key);
    const id = await newSession(key);
    const res = await call(`/api/webhooks/${hook.id}`, { method: "DELETE", key });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    const { webhooks } = await (await call("/api/webhooks", { key })).json<{ webhooks: Json[] }>();
    expect(webhooks.map((w) => w.id)).not.toContain(hook.id);
    await expectError(await deliver(hook, { sessionIds: [id] }), 404, "not_found");
    expect((await labelsOf(key, id)).evalReady).toBe(false);
    // Deleting again: 404.
    await expectError(await call(`/api/webhooks/${hook.id}`, { method: "DELETE", key }), 404, "not_found");
  });

  it("an unknown id → 404", async () => {
    const { key } = await workspaceKey();
    await expectError(await call("/api/webhooks/wh_unknown", { method: "DELETE", key }), 404, "not_found");
  });

  it("another workspace's webhook → 404 and it keeps working", async () => {
    const mine = await workspaceKey();
    const other = await workspaceKey();
    const theirs = await createHook(other.key);
    await expectError(await call(`/api/webhooks/${theirs.id}`, { method: "DELETE", key: mine.key }), 404, "not_found");
    const { webhooks } = await (await call("/api/webhooks", { key: other.key })).json<{ webhooks: Json[] }>();
    expect(webhooks.map((w) => w.id)).toEqual([theirs.id]);
    const session = await newSession(other.key);
    expect((await deliver(theirs, { sessionIds: [session] })).status).toBe(200);
    expect((await labelsOf(other.key, session)).evalReady).toBe(true);
  });

  it("security: no key 401; a sessions:read-only key 403 (and the webhook stays)", async () => {
    const { ws, key } = await workspaceKey();
    const hook = await createHook(key);
    await expectError(await call(`/api/webhooks/${hook.id}`, { method: "DELETE" }), 401, "unauthorized");
    await expectError(await call(`/api/webhooks/${hook.id}`, { method: "DELETE", key: await makeKey(ws, ["sessions:read"]) }), 403, "forbidden");
    const { webhooks } = await (await call("/api/webhooks", { key })).json<{ webhooks: Json[] }>();
    expect(webhooks.map((w) => w.id)).toEqual([hook.id]);
  });
});
