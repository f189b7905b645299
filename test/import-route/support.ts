import { expect } from "vitest";
import { call } from "../helpers";

export interface ImportAnswer {
  sessions: { id: string; externalId: string; created: boolean; messageCount: number; parentExternalId: string | null }[];
  skipped: Record<string, number>;
  truncated: number;
}

/** POSTs a file to /api/import as curl --data-binary would (its default form Content-Type unless told). */
export function importFile(key: string | undefined, format: string, body: BodyInit | null, contentType: string | null = "application/x-www-form-urlencoded") {
  const headers: Record<string, string> = {};
  if (contentType) headers["content-type"] = contentType;
  return call(`/api/import?format=${encodeURIComponent(format)}`, { method: "POST", key, body, headers });
}

/** Imports and expects success (200/201), returning the answer. */
export async function imported(key: string, format: string, body: string, status?: 200 | 201): Promise<ImportAnswer> {
  const res = await importFile(key, format, body);
  const text = await res.text();
  if (status) expect(res.status, text).toBe(status);
  else expect([200, 201], text).toContain(res.status);
  return JSON.parse(text) as ImportAnswer;
}

/** GET /api/sessions/:id with its ETag. */
export async function readSession(key: string, id: string) {
  const res = await call(`/api/sessions/${id}`, { key });
  expect(res.status).toBe(200);
  return { etag: res.headers.get("etag"), body: await res.json<any>() };
}

/** The workspace's sessions, every page. */
export async function listAll(key: string): Promise<any[]> {
  const res = await call("/api/sessions?limit=200", { key });
  expect(res.status).toBe(200);
  return (await res.json<any>()).sessions;
}
