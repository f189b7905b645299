import { expect } from "vitest";
import { z } from "zod";
import { deepEvalCase, fineTuningLine, type DeepEvalCase } from "../export/consumer-schemas";
import { call, makeKey, sessionBody } from "../helpers";

export { deepEvalCase, fineTuningLine, type DeepEvalCase };

export type Json = Record<string, any>;
export const FORMATS = ["deepeval", "deepeval-jsonl", "openai", "text"] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  deepeval: "application/json",
  "deepeval-jsonl": "application/x-ndjson",
  openai: "application/x-ndjson",
  text: "text/plain; charset=utf-8",
};
export const EXTENSIONS: Record<Format, string> = { deepeval: "json", "deepeval-jsonl": "jsonl", openai: "jsonl", text: "txt" };

/** A workspace name no other test uses, so every test sees only its own sessions even in a shared file. */
export const freshWorkspace = (label = "exp") => `${label}-${crypto.randomUUID().slice(0, 12)}`;

/** A fresh workspace with a full key. */
export async function workspaceKey(label?: string): Promise<{ ws: string; key: string }> {
  const ws = freshWorkspace(label);
  return { ws, key: await makeKey(ws) };
}

/** A session body that is eval-ready (golden unless `over` says otherwise). */
export const readyBody = (over: Record<string, unknown> = {}) =>
  sessionBody({ evalReady: true, evalStatus: "golden", ...over });

/** Ingests sessions through POST /api/sessions/batch, 100 a request; returns the server ids in input order. */
export async function ingestMany(key: string, bodies: unknown[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += 100) {
    const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies.slice(i, i + 100) } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    ids.push(...(JSON.parse(text) as { results: { id: string }[] }).results.map((r) => r.id));
  }
  return ids;
}

/** GET /api/export with a query string (without the "?"), as the given key. */
export const exportCall = (key: string | undefined, query = "", headers: Record<string, string> = {}) =>
  call(`/api/export${query ? `?${query}` : ""}`, { key, headers });

/** The body as strict UTF-8 text, a BOM kept (Response.text() warns on non-text content types and drops one). */
export async function bodyText(res: Response): Promise<string> {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(await res.arrayBuffer());
}

/** An export that must succeed: status 200 and the body text. */
export async function exportOk(key: string, query = ""): Promise<{ res: Response; body: string }> {
  const res = await exportCall(key, query);
  const body = await bodyText(res);
  expect(res.status, body.slice(0, 500)).toBe(200);
  return { res, body };
}

/** JSONL as consumers read it: "\n"-terminated lines, each one JSON value; "" is no line. */
export function jsonLines(body: string): Json[] {
  if (body === "") return [];
  expect(body.endsWith("\n"), "a JSONL body ends with a newline").toBe(true);
  return body
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Json);
}

/** A deepeval body parsed the way `json.load` would, every object checked. */
export const parseDeepEval = (body: string): DeepEvalCase[] => z.array(deepEvalCase).parse(JSON.parse(body));
/** A deepeval-jsonl body, one object per line, every object checked. */
export const parseDeepEvalJsonl = (body: string): DeepEvalCase[] => jsonLines(body).map((o) => deepEvalCase.parse(o));

export type FineTuningLine = z.infer<typeof fineTuningLine>;
export const parseOpenAi = (body: string): FineTuningLine[] => jsonLines(body).map((o) => fineTuningLine.parse(o));

/** Session ids in the order a format's body lists them (each once, in first-appearance order). */
export function sessionIdsOf(format: Format, body: string): string[] {
  let ids: string[];
  if (format === "deepeval") ids = parseDeepEval(body).map((c) => c.additional_metadata.session_id);
  else if (format === "deepeval-jsonl") ids = parseDeepEvalJsonl(body).map((c) => c.additional_metadata.session_id);
  else throw new Error(`${format} bodies carry no session id`);
  return [...new Set(ids)];
}

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** The contract's error envelope with `status` and `code`; returns the body. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  expect(res.headers.get("content-disposition")).toBeNull();
  expect(res.headers.get("x-export-sessions")).toBeNull();
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code, text).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** A detail path's parameter: `status.1` (the second value of a repeatable parameter) names `status`. */
export const paramOf = (path: string) => path.split(".")[0]!;

/** A 400 `invalid_request` whose details name the parameter `param` (or one of its values: `tag.0`). */
export async function expectInvalid(res: Response, param: string): Promise<ErrorBody> {
  const body = await expectError(res, 400, "invalid_request");
  const details = body.error.details ?? [];
  for (const d of details) expect(/^[a-z][A-Za-z]*(\.\d+)?$/.test(d.path), `detail path ${JSON.stringify(d.path)}`).toBe(true);
  expect(details.map((d) => paramOf(d.path)), JSON.stringify(body.error)).toContain(param);
  return body;
}

/** (createdAt, id) ascending, as the export orders sessions; ids compare bytewise like SQLite's BINARY. */
export function exportOrder<T extends { id: string; createdAt: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Bodies of `n` small eval-ready sessions: one user→assistant exchange each, distinct contents. */
export function smallSessions(n: number, over: (i: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    readyBody({
      messages: [
        { role: "user", content: `question ${i}` },
        { role: "assistant", content: `answer ${i}` },
      ],
      ...over(i),
    }),
  );
}
