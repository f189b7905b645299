import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/auth/hash";
import { createApp } from "../../src/app";
import { eq } from "drizzle-orm";
import { ADMIN_FAILURE_LIMIT, ADMIN_FAILURE_WINDOW_MS } from "../../src/auth/admin-failures";
import { adminFailures, SCOPES } from "../../src/db/schema";
import { call, db, env, makeKey, sessionBody } from "../helpers";
import { ADMIN_TOKEN, adminCall, expectError, expectInvalid } from "./_support";

/** /api/admin/keys: create (secret shown once), list (never the secret), revoke (idempotent). */

async function createKey(body: unknown): Promise<any> {
  const res = await adminCall("/api/admin/keys", { method: "POST", json: body });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  expect(res.headers.get("x-request-id")).toBeTruthy();
  return JSON.parse(text);
}

const KEY_FIELDS = ["id", "prefix", "workspace", "name", "scopes", "createdAt", "lastUsedAt", "revokedAt"].sort();

describe("POST /api/admin/keys", () => {
  it("creates a key with all four scopes by default; the secret is shown once, prefix is its first 12 characters", async () => {
    const before = Date.now();
    const k = await createKey({ workspace: "adm-create" });
    expect(Object.keys(k).sort()).toEqual(["id", "key", "prefix", "workspace", "name", "scopes", "createdAt"].sort());
    expect(k.key).toMatch(/^osk_[A-Za-z0-9_-]{32,}$/);
    expect(k.prefix).toBe(k.key.slice(0, 12));
    expect(k.prefix).toMatch(/^osk_.{8}$/);
    expect(k).toMatchObject({ workspace: "adm-create", name: null, scopes: [...SCOPES] });
    expect(k.createdAt).toBeGreaterThanOrEqual(before);
    expect(k.createdAt).toBeLessThanOrEqual(Date.now());

    // the new key works on every key route of its workspace
    expect((await call("/api/sessions", { key: k.key })).status).toBe(200);
    expect((await call("/api/sessions", { method: "POST", key: k.key, json: sessionBody() })).status).toBe(201);
  });

  it("takes a name and a subset of scopes, and the key is limited to them", async () => {
    const k = await createKey({ workspace: "adm-scoped", name: "  CI reader  ", scopes: ["sessions:read", "sessions:read"] });
    expect(k).toMatchObject({ name: "CI reader", scopes: ["sessions:read"] });
    expect((await call("/api/sessions", { key: k.key })).status).toBe(200);
    await expectError(await call("/api/sessions", { method: "POST", key: k.key, json: sessionBody() }), 403, "forbidden");
  });

  it("each key is distinct and bound to its workspace", async () => {
    const a = await createKey({ workspace: "adm-ws-a" });
    const b = await createKey({ workspace: "adm-ws-b" });
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
    const created = await (await call("/api/sessions", { method: "POST", key: a.key, json: sessionBody() })).json<any>();
    await expectError(await call(`/api/sessions/${created.id}`, { key: b.key }), 404, "not_found");
  });

  it.each([
    { label: "uppercase workspace", body: { workspace: "Acme" }, path: "workspace" },
    { label: "workspace with a space", body: { workspace: "my ws" }, path: "workspace" },
    { label: "workspace with a dot", body: { workspace: "a.b" }, path: "workspace" },
    { label: "empty workspace", body: { workspace: "" }, path: "workspace" },
    { label: "65-character workspace", body: { workspace: "a".repeat(65) }, path: "workspace" },
    { label: "missing workspace", body: {}, path: "workspace" },
    { label: "workspace as a number", body: { workspace: 7 }, path: "workspace" },
    { label: "unknown scope", body: { workspace: "ok", scopes: ["sessions:read", "admin"] }, path: "scopes.1" },
    { label: "empty scopes", body: { workspace: "ok", scopes: [] }, path: "scopes" },
    { label: "blank name", body: { workspace: "ok", name: "   " }, path: "name" },
  ])("$label → 400 naming $path", async ({ body, path }) => {
    await expectInvalid(await adminCall("/api/admin/keys", { method: "POST", json: body }), path);
  });

  it("accepts every allowed workspace character and 64 characters", async () => {
    for (const workspace of ["a", "a-b_c-0-9", "z".repeat(64)]) expect((await createKey({ workspace })).workspace).toBe(workspace);
  });

  it("a rejected create stores no key", async () => {
    await adminCall("/api/admin/keys", { method: "POST", json: { workspace: "adm-rejected", scopes: ["nope"] } });
    const { keys } = await (await adminCall("/api/admin/keys?workspace=adm-rejected")).json<any>();
    expect(keys).toEqual([]);
  });

  it("malformed JSON is a 400 and a non-JSON body a 415", async () => {
    await expectError(await adminCall("/api/admin/keys", { method: "POST", body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_request");
    await expectError(
      await adminCall("/api/admin/keys", { method: "POST", body: "workspace=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
  });
});

describe("GET /api/admin/keys", () => {
  it("lists keys newest first without the secret or its hash; ?workspace filters", async () => {
    const a1 = await createKey({ workspace: "adm-list-a", name: "one" });
    const a2 = await createKey({ workspace: "adm-list-a", scopes: ["export:read"] });
    const b1 = await createKey({ workspace: "adm-list-b" });

    const res = await adminCall("/api/admin/keys?workspace=adm-list-a");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const text = await res.text();
    const { keys } = JSON.parse(text);
    // newest first: createdAt, then id, descending (two keys made in the same millisecond tie on createdAt)
    expect(keys.map((k: any) => k.id).sort()).toEqual([a1.id, a2.id].sort());
    expect(keys[0].createdAt > keys[1].createdAt || (keys[0].createdAt === keys[1].createdAt && keys[0].id > keys[1].id)).toBe(true);
    for (const k of keys) expect(Object.keys(k).sort()).toEqual(KEY_FIELDS);
    const byId = new Map(keys.map((k: any) => [k.id, k]));
    expect(byId.get(a1.id)).toEqual({ id: a1.id, prefix: a1.prefix, workspace: "adm-list-a", name: "one", scopes: [...SCOPES], createdAt: a1.createdAt, lastUsedAt: null, revokedAt: null });
    expect((byId.get(a2.id) as any).scopes).toEqual(["export:read"]);
    for (const secret of [a1.key, a2.key, await hashKey(a1.key), await hashKey(a2.key)]) expect(text).not.toContain(secret);

    const all = await (await adminCall("/api/admin/keys")).json<any>();
    const ids = all.keys.map((k: any) => k.id);
    expect(ids).toEqual(expect.arrayContaining([a1.id, a2.id, b1.id]));
    expect(all.keys.some((k: any) => k.workspace === "adm-list-b")).toBe(true);
    for (const k of all.keys) {
      expect(k).not.toHaveProperty("key");
      expect(k).not.toHaveProperty("keyHash");
      expect(k).not.toHaveProperty("hash");
    }
    expect(await (await adminCall("/api/admin/keys?workspace=adm-nobody")).json()).toEqual({ keys: [] });
  });

  it("records lastUsedAt after a key is used (off the request's path, so it may lag)", async () => {
    const k = await createKey({ workspace: "adm-last-used" });
    const before = Date.now();
    expect((await call("/api/sessions", { key: k.key })).status).toBe(200);
    let lastUsedAt: number | null = null;
    for (let i = 0; i < 40 && lastUsedAt === null; i++) {
      const { keys } = await (await adminCall("/api/admin/keys?workspace=adm-last-used")).json<any>();
      lastUsedAt = keys[0].lastUsedAt;
      if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lastUsedAt).toBeGreaterThanOrEqual(before);
  });

  it("an invalid ?workspace is a 400", async () => {
    await expectInvalid(await adminCall("/api/admin/keys?workspace=Not%20Valid"), "workspace");
  });
});

describe("DELETE /api/admin/keys/:id", () => {
  it("revokes: 200 {id, revokedAt}, the key answers 401 from then on, and revoking again answers the same body", async () => {
    const k = await createKey({ workspace: "adm-revoke" });
    expect((await call("/api/sessions", { key: k.key })).status).toBe(200);

    const before = Date.now();
    const res = await adminCall(`/api/admin/keys/${k.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const first = await res.json<any>();
    expect(first).toEqual({ id: k.id, revokedAt: expect.any(Number) });
    expect(first.revokedAt).toBeGreaterThanOrEqual(before);

    await expectError(await call("/api/sessions", { key: k.key }), 401, "unauthorized");
    await expectError(await call("/api/sessions", { method: "POST", key: k.key, json: sessionBody() }), 401, "unauthorized");

    const again = await adminCall(`/api/admin/keys/${k.id}`, { method: "DELETE" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);

    const { keys } = await (await adminCall("/api/admin/keys?workspace=adm-revoke")).json<any>();
    expect(keys[0]).toMatchObject({ id: k.id, revokedAt: first.revokedAt });
  });

  it("revoking one key leaves the workspace's other keys working", async () => {
    const a = await createKey({ workspace: "adm-revoke-one" });
    const b = await createKey({ workspace: "adm-revoke-one" });
    await adminCall(`/api/admin/keys/${a.id}`, { method: "DELETE" });
    expect((await call("/api/sessions", { key: b.key })).status).toBe(200);
  });

  it("an unknown key id is a 404", async () => {
    await expectError(await adminCall("/api/admin/keys/key_00000000000000000000000000", { method: "DELETE" }), 404, "not_found");
  });
});

describe("admin auth", () => {
  const routes: [string, RequestInit & { json?: unknown }][] = [
    ["/api/admin/keys", { method: "POST", json: { workspace: "adm-intruder" } }],
    ["/api/admin/keys", { method: "GET" }],
    ["/api/admin/keys/key_00000000000000000000000000", { method: "DELETE" }],
  ];

  it("refuses a missing or wrong ADMIN_TOKEN and any osk_ key with 401, changing nothing", async () => {
    const workspaceKey = await makeKey("adm-auth");
    const victim = await createKey({ workspace: "adm-auth-victim" });
    const headers: (string | undefined)[] = [
      undefined,
      "Bearer wrong-token",
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}`,
      `Bearer ${workspaceKey}`,
      `Bearer ${victim.key}`,
      ADMIN_TOKEN,
    ];
    let n = 0;
    for (const [path, init] of [...routes, [`/api/admin/keys/${victim.id}`, { method: "DELETE" }] as const]) {
      for (const authorization of headers) {
        // Each from its own address: this is about what a wrong token answers, not about throttling (below).
        const address = `198.51.100.${++n}`;
        const res = await call(path, { ...init, headers: { "cf-connecting-ip": address, ...(authorization ? { authorization } : {}) } });
        await expectError(res, 401, "unauthorized");
      }
    }
    const { keys } = await (await adminCall("/api/admin/keys")).json<any>();
    expect(keys.some((k: any) => k.workspace === "adm-intruder")).toBe(false);
    expect(keys.find((k: any) => k.id === victim.id).revokedAt).toBeNull();
    expect((await call("/api/sessions", { key: victim.key })).status).toBe(200);
  });

  it("the ADMIN_TOKEN is not an API key", async () => {
    await expectError(await call("/api/sessions", { key: ADMIN_TOKEN }), 401, "unauthorized");
  });

  it("with no ADMIN_TOKEN configured, admin routes answer 404", async () => {
    const app = createApp();
    const { ADMIN_TOKEN: _unset, ...bindings } = env as unknown as Record<string, unknown>;
    for (const token of [undefined, ""]) {
      const envWithout = { ...bindings, ...(token === undefined ? {} : { ADMIN_TOKEN: token }) };
      for (const [path, init] of routes) {
        for (const authorization of [undefined, `Bearer ${ADMIN_TOKEN}`, "Bearer "]) {
          const headers = new Headers(authorization ? { authorization } : {});
          let body: string | undefined;
          if (init.json !== undefined) {
            body = JSON.stringify(init.json);
            headers.set("content-type", "application/json");
          }
          const res = await app.request(path, { method: init.method, headers, body }, envWithout);
          await expectError(res, 404, "not_found");
        }
      }
    }
  });
});

describe("admin token guessing is throttled per client address", () => {
  const from = (ip: string, token: string) => call("/api/admin/keys", { headers: { "cf-connecting-ip": ip, authorization: `Bearer ${token}` } });

  it(`after ${ADMIN_FAILURE_LIMIT} wrong tokens an address gets 429 (even with the right token); another address still works`, async () => {
    const attacker = "203.0.113.50";
    for (let i = 0; i < ADMIN_FAILURE_LIMIT; i++) await expectError(await from(attacker, `guess-${i}`), 401, "unauthorized");
    const limited = await from(attacker, "guess-more");
    await expectError(limited, 429, "rate_limited");
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // a right guess from the throttled address is not told apart from a wrong one
    await expectError(await from(attacker, ADMIN_TOKEN), 429, "rate_limited");
    // nothing else is affected
    expect((await from("203.0.113.51", ADMIN_TOKEN)).status).toBe(200);
    await expectError(await from("203.0.113.52", "wrong"), 401, "unauthorized");
  });

  it("right tokens are never counted", async () => {
    const admin = "203.0.113.60";
    for (let i = 0; i < ADMIN_FAILURE_LIMIT + 5; i++) expect((await from(admin, ADMIN_TOKEN)).status).toBe(200);
    await expectError(await from(admin, "typo"), 401, "unauthorized");
  });

  it("IPv6 addresses of one /64 share a budget", async () => {
    for (let i = 0; i < ADMIN_FAILURE_LIMIT; i++) await expectError(await from(`2001:db8:7:7::${i + 1}`, "x"), 401, "unauthorized");
    await expectError(await from("2001:db8:7:7:ffff::9", ADMIN_TOKEN), 429, "rate_limited");
    expect((await from("2001:db8:7:8::1", ADMIN_TOKEN)).status).toBe(200);
  });

  it("a window that has passed starts again", async () => {
    const ip = "203.0.113.70";
    for (let i = 0; i < ADMIN_FAILURE_LIMIT; i++) await from(ip, "x");
    await expectError(await from(ip, ADMIN_TOKEN), 429, "rate_limited");
    await db().update(adminFailures).set({ windowStart: Date.now() - ADMIN_FAILURE_WINDOW_MS - 1 }).where(eq(adminFailures.client, ip));
    expect((await from(ip, ADMIN_TOKEN)).status).toBe(200);
  });
});
