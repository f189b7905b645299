import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { sessions } from "../../src/db/schema";
import type { SessionOut } from "../../src/sessions/schemas";
import { call, db } from "../helpers";

/** POSTs a plugin body to a sync route and returns the JSON answer, asserting the status. */
export async function sync<T = Record<string, unknown>>(path: string, key: string, body: unknown, status = 200): Promise<T> {
  const res = await call(path, { method: "POST", key, json: body });
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return JSON.parse(text) as T;
}

/** The stored session of `externalId` in `workspace`, read back through GET /api/sessions/:id. */
export async function readSession(key: string, workspace: string, externalId: string): Promise<SessionOut> {
  const row = await db()
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.workspaceId, workspace), eq(sessions.externalId, externalId)))
    .get();
  expect(row, `session ${externalId} stored`).toBeTruthy();
  const res = await call(`/api/sessions/${row!.id}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}

export async function etagOf(key: string, id: string): Promise<string | null> {
  return (await call(`/api/sessions/${id}`, { key })).headers.get("etag");
}
