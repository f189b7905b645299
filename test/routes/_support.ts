import { env } from "cloudflare:workers";
import { eq, and } from "drizzle-orm";
import { expect } from "vitest";
import { createKey } from "../../src/auth/keys";
import { createDb } from "../../src/db/client";
import { messages, SCOPES, sessions, type Scope } from "../../src/db/schema";
import { call, db } from "../helpers";

/** The ADMIN_TOKEN binding vitest.config.ts gives the Worker. */
export const ADMIN_TOKEN = "test-admin-token";

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** A call to an admin route with the admin token. */
export const adminCall = (path: string, init: RequestInit & { json?: unknown } = {}) => call(path, { ...init, key: ADMIN_TOKEN });

/** A fresh key with its id (so a test can revoke it). */
export async function newKey(workspace: string, scopes?: Scope[]): Promise<{ id: string; key: string }> {
  const k = await createKey({ db: createDb(env.DB), kv: env.KV }, { workspace, scopes });
  return { id: k.id, key: k.key };
}

/** A key of `workspace` that has been revoked through the admin route. */
export async function revokedKey(workspace: string): Promise<string> {
  const k = await newKey(workspace);
  const res = await adminCall(`/api/admin/keys/${k.id}`, { method: "DELETE" });
  expect(res.status).toBe(200);
  return k.key;
}

/**
 * Asserts the contract's error envelope: status, code, a human message, X-Request-Id and a JSON body with no
 * other top-level keys. Returns the body for further checks.
 */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("x-request-id")).toBeTruthy();
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** A 400 `invalid_request` whose details name `path` (dotted, array indexes included). */
export async function expectInvalid(res: Response, path: string): Promise<ErrorBody> {
  const body = await expectError(res, 400, "invalid_request");
  expect(Array.isArray(body.error.details)).toBe(true);
  for (const d of body.error.details!) {
    expect(typeof d.path).toBe("string");
    expect(typeof d.message).toBe("string");
  }
  expect(body.error.details!.map((d) => d.path)).toContain(path);
  return body;
}

/**
 * The refusals every key-protected route owes: no key, malformed keys, an unknown well-formed key, a revoked
 * key and the admin token are 401 `unauthorized`; a key without `scope` is 403 `forbidden`.
 * `send` makes the request with the given Authorization header (none when undefined).
 */
export async function expectKeyRefusals(
  workspace: string,
  scope: Scope,
  send: (authorization: string | undefined) => Promise<Response>,
): Promise<void> {
  const revoked = await revokedKey(workspace);
  const unauthorized: [string, string | undefined][] = [
    ["no Authorization header", undefined],
    ["empty bearer", "Bearer "],
    ["not osk_", "Bearer sk_live_0123456789abcdefghijklmnopqrstuvwxyz"],
    ["osk_ too short", "Bearer osk_abc"],
    ["Basic scheme", `Basic ${btoa("user:pass")}`],
    ["unknown well-formed key", `Bearer osk_${"A".repeat(40)}`],
    ["revoked key", `Bearer ${revoked}`],
    ["the admin token", `Bearer ${ADMIN_TOKEN}`],
  ];
  for (const [label, header] of unauthorized) {
    const res = await send(header);
    const text = await res.clone().text();
    expect(res.status, `${label}: ${text}`).toBe(401);
    await expectError(res, 401, "unauthorized");
  }
  const lacking = await newKey(workspace, SCOPES.filter((s) => s !== scope));
  await expectError(await send(`Bearer ${lacking.key}`), 403, "forbidden");
}

/** The stored session row of `externalId` in `workspace`, read straight from D1. */
export async function storedSession(workspace: string, externalId: string) {
  return db().select().from(sessions).where(and(eq(sessions.workspaceId, workspace), eq(sessions.externalId, externalId))).get();
}

export async function storedMessageCount(sessionId: string): Promise<number> {
  return (await db().select({ seq: messages.seq }).from(messages).where(eq(messages.sessionId, sessionId))).length;
}

/** Every session row of a workspace, straight from D1. */
export async function workspaceSessionCount(workspace: string): Promise<number> {
  return (await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.workspaceId, workspace))).length;
}

export const post = (path: string, key: string | undefined, json: unknown) => call(path, { method: "POST", key, json });

/** GET /api/sessions/:id as JSON with its ETag. */
export async function getSession(key: string, id: string): Promise<{ res: Response; body: any; etag: string | null }> {
  const res = await call(`/api/sessions/${id}`, { key });
  expect(res.status).toBe(200);
  return { res, body: await res.json(), etag: res.headers.get("etag") };
}

/** A string of exactly `bytes` UTF-8 bytes made of `unit` (whose byte length must divide `bytes`). */
export function utf8Of(bytes: number, unit = "a"): string {
  const unitBytes = new TextEncoder().encode(unit).length;
  if (bytes % unitBytes !== 0) throw new Error("unit does not divide bytes");
  return unit.repeat(bytes / unitBytes);
}
