import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call, env, ingest, makeKey, sessionBody } from "../helpers";
import { expectError, expectInvalid } from "./_support";

/** The error envelope and the statuses every route shares: 400, 404, 405, 413, 415, 429, 500. */

describe("error envelope", () => {
  it("400 carries details with a dotted path per bad field and a message that names the first", async () => {
    const key = await makeKey("err-400");
    const res = await call("/api/sessions", {
      method: "POST",
      key,
      json: { externalId: "x", promptTokens: "many", messages: [{ role: "user", content: "ok" }, { role: "bot", content: 1 }] },
    });
    const body = await expectInvalid(res, "promptTokens");
    expect(body.error.details!.map((d) => d.path).sort()).toEqual(["messages.1.content", "messages.1.role", "promptTokens"]);
    expect(body.error.message).toMatch(/^Invalid request/);
    expect(body.error.message).toMatch(/and 2 more/);
  });

  it("echoes a client's X-Request-Id and makes one up otherwise, on successes and errors alike", async () => {
    const mine = await call("/api/sessions", { headers: { "x-request-id": "client-req-123" } });
    expect(mine.status).toBe(401);
    expect(mine.headers.get("x-request-id")).toBe("client-req-123");
    const ok = await call("/health", { headers: { "x-request-id": "client-req-456" } });
    expect(ok.headers.get("x-request-id")).toBe("client-req-456");
    const a = (await call("/nope")).headers.get("x-request-id");
    const b = (await call("/nope")).headers.get("x-request-id");
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });

  it("401 says how to authenticate (WWW-Authenticate) and 403 names the missing scope", async () => {
    const res = await call("/api/sessions");
    await expectError(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const reader = await makeKey("err-403", ["sessions:read"]);
    const body = await expectError(await call("/api/sessions", { method: "POST", key: reader, json: sessionBody() }), 403, "forbidden");
    expect(body.error.message).toContain("sessions:write");
  });
});

describe("404 and 405", () => {
  it.each([
    ["GET", "/nope"],
    ["GET", "/api"],
    ["GET", "/api/nope"],
    ["GET", "/api/sessions/a/b/c"],
    ["POST", "/api/nope"],
    ["DELETE", "/api/admin"],
  ])("%s %s (unknown path) → 404 JSON", async (method, path) => {
    const key = await makeKey("err-404");
    const res = await call(path, { method, key, ...(method === "POST" ? { json: {} } : {}) });
    await expectError(res, 404, "not_found");
  });

  it("a browser opening an unknown page gets an HTML 404 page; an unknown /api path stays JSON even for a browser", async () => {
    const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    const page = await call("/nope", { headers: { accept } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("/nope");
    await expectError(await call("/api/nope", { headers: { accept } }), 404, "not_found");
    await expectError(await call("/sync/nope", { headers: { accept } }), 404, "not_found");
  });

  it("an unknown path is a 404 whatever its body (not a 415 or 400)", async () => {
    await expectError(await call("/api/nope", { method: "POST", body: "x", headers: { "content-type": "text/plain" } }), 404, "not_found");
    await expectError(await call("/api/nope", { method: "PUT", body: "{", headers: { "content-type": "application/json" } }), 404, "not_found");
    await expectError(await call("/api/nope", { method: "PATCH" }), 404, "not_found");
  });

  it.each([
    { method: "DELETE", path: "/api/sessions", allow: ["GET", "HEAD", "POST"] },
    { method: "PUT", path: "/api/sessions", allow: ["GET", "HEAD", "POST"] },
    { method: "PATCH", path: "/api/sessions", allow: ["GET", "HEAD", "POST"] },
    { method: "PUT", path: "/api/sessions/ses_x", allow: ["GET", "HEAD", "DELETE"] },
    { method: "POST", path: "/api/sessions/ses_x", allow: ["GET", "HEAD", "DELETE"] },
    { method: "GET", path: "/api/sessions/ses_x/messages", allow: ["POST"] },
    { method: "POST", path: "/health", allow: ["GET", "HEAD"] },
    { method: "DELETE", path: "/openapi.json", allow: ["GET", "HEAD"] },
    { method: "PUT", path: "/api/admin/keys", allow: ["GET", "HEAD", "POST"] },
    { method: "GET", path: "/api/admin/keys/key_x", allow: ["DELETE"] },
  ])("$method $path (known path, other method) → 405 with Allow", async ({ method, path, allow }) => {
    // with no body, a JSON body and a non-JSON body: the method decides first
    const variants: RequestInit[] = [{}, { body: "{}", headers: { "content-type": "application/json" } }, { body: "x", headers: { "content-type": "text/plain" } }];
    for (const init of variants) {
      if (method === "GET" && init.body) continue;
      const res = await call(path, { method, ...init });
      const body = await expectError(res, 405, "method_not_allowed");
      const header = res.headers.get("allow");
      expect(header).toBeTruthy();
      const methods = header!.split(",").map((m) => m.trim());
      expect(methods.sort()).toEqual([...allow].sort());
      expect(methods).not.toContain(method);
      expect(body.error.message).toContain(method);
    }
  });

  it("GET /api/sessions/batch is a session lookup (404), since batch is not a session id", async () => {
    const key = await makeKey("err-batch-get");
    await expectError(await call("/api/sessions/batch", { key }), 404, "not_found");
  });
});

describe("bodies: 400, 413, 415", () => {
  it.each([
    ["truncated", '{"externalId": "x"'],
    ["trailing comma", '{"externalId": "x",}'],
    ["single quotes", "{'externalId': 'x'}"],
    ["empty body", ""],
    ["only whitespace", "   "],
    ["two documents", '{"externalId":"a"}{"externalId":"b"}'],
  ])("malformed JSON (%s) → 400 invalid_request", async (_label, raw) => {
    const key = await makeKey("err-malformed");
    const body = await expectError(await call("/api/sessions", { method: "POST", key, body: raw, headers: { "content-type": "application/json" } }), 400, "invalid_request");
    expect(body.error.message).toMatch(/JSON/);
  });

  it.each(["text/plain", "text/json", "application/xml", "application/jsonx", "multipart/form-data; boundary=b"])(
    "Content-Type %s → 415",
    async (type) => {
      const key = await makeKey("err-415");
      await expectError(await call("/api/sessions", { method: "POST", key, body: JSON.stringify(sessionBody()), headers: { "content-type": type } }), 415, "unsupported_media_type");
    },
  );

  it("JSON media types with parameters or a +json suffix are accepted", async () => {
    const key = await makeKey("err-json-types");
    for (const type of ["application/json", "APPLICATION/JSON; charset=UTF-8", "application/vnd.evalport+json"]) {
      const res = await call("/api/sessions", { method: "POST", key, body: JSON.stringify(sessionBody()), headers: { "content-type": type } });
      expect(res.status, type).toBe(201);
    }
  });

  it("413 for a body over 10 MiB on every body route, before auth or JSON parsing", async () => {
    const key = await makeKey("err-413");
    const big = JSON.stringify({ pad: "x".repeat(10 * 1024 * 1024) });
    for (const path of ["/api/sessions", "/api/sessions/batch", "/api/sessions/ses_x/messages", "/api/admin/keys"]) {
      await expectError(await call(path, { method: "POST", key, body: big, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    }
  });
});

describe("never a 500", () => {
  const odd: unknown[] = [
    { externalId: "a", messages: [{ role: "user", content: "x", toolCalls: null }] },
    { externalId: "a", messages: [{ role: "assistant", content: "x", toolCalls: [null] }] },
    { externalId: "a", messages: [{ role: "assistant", content: "x", toolCalls: [{ name: "n", arguments: [1, 2] }] }] },
    { externalId: "a", messages: [{ role: "assistant", content: "x", toolCalls: [{ name: "n", arguments: null }] }] },
    { externalId: "a", messages: [{ role: "tool", content: "x", toolCallId: 5 }] },
    { externalId: "a", messages: [{ role: "tool", content: ["x"] }] },
    { externalId: "a", messages: [{ role: "user", content: { text: "x" } }] },
    { externalId: "a", messages: [{ role: "user", content: "x", createdAt: "2025-13-01T00:00:00Z" }] },
    { externalId: "a", messages: [{ role: "user", content: "x", reasoning: "not allowed here" }] },
    { externalId: "a", createdAt: 1e300 },
    { externalId: "a", createdAt: "0000-01-01" },
    { externalId: "a", promptTokens: 2 ** 53 },
    { externalId: "a", cost: 1e308 },
    { externalId: ["a"] },
    { externalId: "x".repeat(257) },
    { externalId: "a", evalTags: "auth" },
    { externalId: "a", evalTags: [1, 2] },
    { externalId: "a", evalStatus: null },
    { externalId: "a", evalReady: null },
    { externalId: "a", __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
    { externalId: "a\u0000b" },
    { externalId: "\ud800" },
    { sessions: "not for this route" },
  ];

  it("odd but well-formed JSON on every session route answers a 4xx (or a success), never a 5xx", async () => {
    const key = await makeKey("err-fuzz");
    const { id } = await ingest(key);
    for (const [i, body] of odd.entries()) {
      for (const [path, wrap] of [
        ["/api/sessions", (b: unknown) => b],
        ["/api/sessions/batch", (b: unknown) => ({ sessions: [b] })],
        [`/api/sessions/${id}/messages`, (b: any) => ({ messages: b?.messages ?? [b] })],
      ] as const) {
        const res = await call(path, { method: "POST", key, json: wrap(body) });
        const text = await res.text();
        expect(res.status, `${path} #${i}: ${text}`).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
      }
    }
  });

  it("odd query strings answer a 4xx or 200, never a 5xx", async () => {
    const key = await makeKey("err-fuzz-q");
    for (const q of [
      "?limit=1e2", "?limit=%00", "?cursor=%00", "?cursor=====", "?cursor=" + "A".repeat(513), "?q=" + "%25".repeat(100),
      "?q=%5C", "?tag=" + "t".repeat(65), "?status=", "?evalReady=", "?source=%00", "?q=%F0%9F%98%80", "?tag=a&tag=b&tag=c&tag=d",
      "?unknown=1", "?limit=99999999999999999999999",
    ]) {
      const res = await call(`/api/sessions${q}`, { key });
      expect(res.status, q).toBeLessThan(500);
    }
    for (const id of ["%00", "%F0%9F%98%80", "..", "ses_%27%20OR%201%3D1--", "a%2Fb"]) {
      for (const method of ["GET", "DELETE"]) {
        const res = await call(`/api/sessions/${id}`, { method, key });
        expect(res.status, `${method} ${id}`).toBeLessThan(500);
      }
    }
  });
});

describe("429 and 500 (through the app with substituted bindings)", () => {
  it("a key over its rate limit answers 429 rate_limited with Retry-After", async () => {
    const key = await makeKey("err-429");
    const app = createApp();
    const limited = { ...(env as object), RATE_LIMITER: { limit: async () => ({ success: false }) }, RATE_LIMIT_PERIOD_SECONDS: "60" };
    const res = await app.request("/api/sessions", { headers: { authorization: `Bearer ${key}` } }, limited);
    await expectError(res, 429, "rate_limited");
    expect(res.headers.get("retry-after")).toBe("60");
  });

  it("an unexpected failure answers 500 internal with no stack and no SQL", async () => {
    const key = await makeKey("err-500");
    const app = createApp();
    const failing = () => {
      throw new Error("D1_ERROR: no such table: sessions: SQLITE_ERROR at SELECT * FROM sessions WHERE workspace_id = ?");
    };
    const brokenDb = { prepare: failing, batch: failing, exec: failing, dump: failing, withSession: failing };
    const res = await app.request("/api/sessions", { headers: { authorization: `Bearer ${key}` } }, { ...(env as object), DB: brokenDb });
    const body = await expectError(res, 500, "internal");
    const text = JSON.stringify(body);
    for (const leak of ["SQLITE", "SELECT", "D1_ERROR", "sessions", "at ", ".ts:"]) expect(text).not.toContain(leak);
    expect(body.error.details).toBeUndefined();
  });
});
