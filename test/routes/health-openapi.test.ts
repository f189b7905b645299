import { describe, expect, it } from "vitest";
import { call } from "../helpers";

/** GET /health (no auth) and GET /openapi.json (the OpenAPI 3.1 document of the API). */

describe("GET /health", () => {
  it("answers 200 {status: ok} with no auth and a request id", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("ignores any Authorization header, even a bad one", async () => {
    for (const authorization of ["Bearer osk_nope", "Bearer test-admin-token", "garbage"]) {
      const res = await call("/health", { headers: { authorization } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
  });
});

async function doc(): Promise<any> {
  const res = await call("/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("x-request-id")).toBeTruthy();
  return res.json();
}

/** Follows a local `$ref` to its schema, flattening an `allOf` (how an extended schema is written) into one. */
function deref(d: any, schema: any): any {
  if (schema?.$ref) return deref(d, schema.$ref.replace("#/", "").split("/").reduce((o: any, k: string) => o[k], d));
  if (Array.isArray(schema?.allOf)) {
    const parts = schema.allOf.map((s: any) => deref(d, s));
    return {
      ...schema,
      type: "object",
      properties: Object.assign({}, ...parts.map((p: any) => p.properties ?? {})),
      required: parts.flatMap((p: any) => p.required ?? []),
    };
  }
  return schema;
}

const SESSION_OPS = [
  ["post", "/api/sessions", "sessions:write"],
  ["post", "/api/sessions/batch", "sessions:write"],
  ["post", "/api/sessions/{id}/messages", "sessions:write"],
  ["get", "/api/sessions", "sessions:read"],
  ["get", "/api/sessions/{id}", "sessions:read"],
  ["delete", "/api/sessions/{id}", "sessions:write"],
] as const;
const ADMIN_OPS = [
  ["post", "/api/admin/keys"],
  ["get", "/api/admin/keys"],
  ["delete", "/api/admin/keys/{id}"],
] as const;

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document, served without auth, with this server's origin", async () => {
    const d = await doc();
    expect(d.openapi).toBe("3.1.0");
    expect(d.info).toMatchObject({ title: "evalport", version: expect.any(String) });
    expect(d.servers).toEqual([{ url: "http://localhost" }]);
  });

  it("lists every path and method of the sessions, admin and health routes", async () => {
    const d = await doc();
    for (const [method, path] of [...SESSION_OPS, ...ADMIN_OPS, ["get", "/health"] as const]) {
      expect(d.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(d.paths[path][method].summary).toEqual(expect.any(String));
    }
    expect(Object.keys(d.paths["/api/sessions/{id}"]).sort()).toEqual(["delete", "get"]);
  });

  it("declares bearer security: API keys on session routes, the admin token on admin routes, none on /health", async () => {
    const d = await doc();
    expect(d.components.securitySchemes).toMatchObject({ apiKey: { type: "http", scheme: "bearer" }, adminToken: { type: "http", scheme: "bearer" } });
    for (const [method, path] of SESSION_OPS) expect(d.paths[path][method].security).toEqual([{ apiKey: [] }]);
    for (const [method, path] of ADMIN_OPS) expect(d.paths[path][method].security).toEqual([{ adminToken: [] }]);
    expect(d.paths["/health"].get.security).toBeUndefined();
  });

  it("documents error answers with the shared Error schema", async () => {
    const d = await doc();
    const error = d.components.schemas.Error;
    expect(error.properties.error.required).toEqual(expect.arrayContaining(["code", "message"]));
    for (const [method, path] of SESSION_OPS) {
      const responses = d.paths[path][method].responses;
      for (const status of ["400", "401", "403"]) {
        expect(responses[status]?.content["application/json"].schema, `${method} ${path} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
      }
    }
    for (const [method, path] of [["get", "/api/sessions/{id}"], ["delete", "/api/sessions/{id}"], ["post", "/api/sessions/{id}/messages"]] as const) {
      expect(d.paths[path][method].responses["404"]).toBeDefined();
    }
  });

  it("describes request bodies and parameters from the validating schemas, limits included", async () => {
    const d = await doc();
    const bodyOf = (method: string, path: string) => deref(d, d.paths[path][method].requestBody.content["application/json"].schema);

    const session = bodyOf("post", "/api/sessions");
    expect(session.required).toContain("externalId");
    expect(session.properties.messages.maxItems).toBe(10_000);
    const message = deref(d, session.properties.messages.items);
    expect(message.properties.role.enum).toEqual(["system", "user", "assistant", "tool"]);
    expect(message.required).toEqual(expect.arrayContaining(["role", "content"]));

    const batch = bodyOf("post", "/api/sessions/batch");
    expect(batch.properties.sessions).toMatchObject({ minItems: 1, maxItems: 100 });

    const append = bodyOf("post", "/api/sessions/{id}/messages");
    expect(append.properties.messages).toMatchObject({ minItems: 1, maxItems: 10_000 });

    const createKey = bodyOf("post", "/api/admin/keys");
    expect(createKey.required).toEqual(["workspace"]);
    expect(createKey.properties.workspace.pattern).toBeDefined();

    const params = Object.fromEntries(d.paths["/api/sessions"].get.parameters.map((p: any) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual(["cursor", "evalReady", "limit", "model", "q", "reviewed", "source", "status", "tag"]);
    expect(params.limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200 });
    for (const path of ["/api/sessions/{id}", "/api/sessions/{id}/messages"]) {
      for (const op of Object.values(d.paths[path]) as any[]) expect(op.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
    }
  });

  it("describes the answers: Session with messages, SessionList with nextCursor, ApiKey without secrets", async () => {
    const d = await doc();
    const ok = (method: string, path: string, status = "200") => deref(d, d.paths[path][method].responses[status].content["application/json"].schema);
    expect(ok("get", "/api/sessions/{id}").properties.messages).toBeDefined();
    expect(Object.keys(ok("get", "/api/sessions").properties).sort()).toEqual(["nextCursor", "sessions", "total"]);
    expect(ok("post", "/api/sessions", "201").properties).toHaveProperty("created");
    expect(ok("post", "/api/sessions/batch").properties).toHaveProperty("results");
    expect(ok("post", "/api/admin/keys", "201").properties).toHaveProperty("key");
    const listed = deref(d, ok("get", "/api/admin/keys").properties.keys.items);
    expect(listed.properties).not.toHaveProperty("key");
    expect(listed.properties).not.toHaveProperty("keyHash");
    expect(d.paths["/api/sessions/{id}"].delete.responses["204"]).toBeDefined();
  });
});
