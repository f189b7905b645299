import { expect } from "vitest";
import type { Scope } from "../../src/db/schema";
import { call, ingest, makeKey, sessionBody } from "../helpers";

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** A workspace name no other test uses, so counts and listings in a shared file stay independent. */
export const freshWorkspace = (label = "ws") => `${label}-${crypto.randomUUID().slice(0, 12)}`;

/** A fresh workspace with a full key (and, on request, keys with only some scopes). */
export async function workspaceKey(scopes?: Scope[]): Promise<{ ws: string; key: string }> {
  const ws = freshWorkspace();
  return { ws, key: await makeKey(ws, scopes) };
}

/** Asserts the contract's error envelope and returns it. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.code, text).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** A 400 `invalid_request` with one detail whose path is `field` (exactly) or under it (`field.3`). */
export async function expectInvalid(res: Response, field: string): Promise<ErrorBody> {
  const body = await expectError(res, 400, "invalid_request");
  const paths = (body.error.details ?? []).map((d) => d.path);
  expect(
    paths.some((p) => p === field || p.startsWith(`${field}.`)),
    `details ${JSON.stringify(body.error.details)} should name ${field}`,
  ).toBe(true);
  return body;
}

export type Json = Record<string, any>;

/** GET /api/sessions/:id: status, ETag and body. */
export async function getSession(key: string, id: string): Promise<{ status: number; etag: string | null; body: Json }> {
  const res = await call(`/api/sessions/${id}`, { key });
  return { status: res.status, etag: res.headers.get("etag"), body: await res.json<Json>() };
}

/** PATCH /api/sessions/:id/eval, with If-Match when given. */
export function patchEval(key: string | undefined, id: string, json: unknown, ifMatch?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (ifMatch !== undefined) headers["if-match"] = ifMatch;
  return call(`/api/sessions/${id}/eval`, { method: "PATCH", key, json, headers });
}

/** POST /api/evals/ready. */
export function markReady(key: string | undefined, json: unknown): Promise<Response> {
  return call("/api/evals/ready", { method: "POST", key, json });
}

/** Ingests one session (optionally with overrides) and returns its id. */
export async function newSession(key: string, over: Record<string, unknown> = {}): Promise<string> {
  return (await ingest(key, sessionBody(over))).id;
}

/** Ingests `n` sessions in one batch request; returns their ids in the given order. */
export async function newSessions(key: string, n: number, over: (i: number) => Record<string, unknown> = () => ({})): Promise<string[]> {
  const res = await call("/api/sessions/batch", {
    method: "POST",
    key,
    json: { sessions: Array.from({ length: n }, (_, i) => sessionBody(over(i))) },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const { results } = await res.json<{ results: { id: string }[] }>();
  return results.map((r) => r.id);
}

/** GET a list route and return the ids of its `sessions`. */
export async function listIds(key: string, path: string): Promise<string[]> {
  const res = await call(path, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ sessions: { id: string }[] }>()).sessions.map((s) => s.id);
}

/** The label fields of a session as GET /api/sessions/:id shows them. */
export async function labelsOf(key: string, id: string) {
  const { body } = await getSession(key, id);
  return {
    evalReady: body.evalReady,
    evalStatus: body.evalStatus,
    evalNotes: body.evalNotes,
    evalTags: body.evalTags,
    expectedOutput: body.expectedOutput,
    reviewedAt: body.reviewedAt,
  };
}

// ---- webhooks ----

export interface Hook {
  id: string;
  url: string;
  secret: string;
}

export async function createHook(key: string, name?: string): Promise<Hook> {
  const res = await call("/api/webhooks", { method: "POST", key, json: name === undefined ? {} : { name } });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<Hook>();
}

/** HMAC-SHA256 signature computed with WebCrypto alone, independent of the server's library. */
export async function webcryptoSignature(secret: string, msgId: string, timestampSeconds: number, body: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${msgId}.${timestampSeconds}.${body}`)));
  let bin = "";
  for (const b of mac) bin += String.fromCharCode(b);
  return `v1,${btoa(bin)}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface DeliveryOptions {
  msgId?: string;
  timestamp?: number;
  /** The webhook-signature header; computed with WebCrypto over the sent body when absent. */
  signature?: string;
  /** Headers to leave out entirely. */
  omit?: ("webhook-id" | "webhook-timestamp" | "webhook-signature")[];
  /** Sign this body but send `sendBody` (tampering). */
  sendBody?: string;
  contentType?: string | null;
}

/** POSTs a signed delivery to a hook's URL path; `body` is an object (JSON-encoded) or a raw string. */
export async function deliver(hook: Pick<Hook, "id" | "secret">, body: unknown, opts: DeliveryOptions = {}): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const msgId = opts.msgId ?? `msg_${crypto.randomUUID()}`;
  const ts = opts.timestamp ?? nowSeconds();
  const signature = opts.signature ?? (await webcryptoSignature(hook.secret, msgId, ts, raw));
  const headers: Record<string, string> = {
    "webhook-id": msgId,
    "webhook-timestamp": String(ts),
    "webhook-signature": signature,
  };
  for (const h of opts.omit ?? []) delete headers[h];
  if (opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/json";
  return call(`/api/webhooks/${hook.id}/eval-ready`, { method: "POST", headers, body: opts.sendBody ?? raw });
}
