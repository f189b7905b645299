import { env, exports } from "cloudflare:workers";
import { createKey } from "../src/auth/keys";
import { createDb } from "../src/db/client";
import type { Scope } from "../src/db/schema";

export const BASE = "http://localhost";

/**
 * The Worker's default export as a loopback. Typed by hand: `Cloudflare.Exports` only knows the main module
 * when `wrangler types` declares it in GlobalProps, which the checked-in worker-configuration.d.ts does not.
 */
const worker = () => (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;

/** Sends a request through the Worker's own fetch handler, as a client over HTTP would. */
export function call(path: string, init: RequestInit & { key?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return worker().fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

/** A fresh key for `workspace` with the given scopes (all four by default). */
export async function makeKey(workspace: string, scopes?: Scope[]): Promise<string> {
  const created = await createKey({ db: createDb(env.DB), kv: env.KV }, { workspace, scopes });
  return created.key;
}

export const db = () => createDb(env.DB);

let seq = 0;
/** A small realistic session body; `over` replaces any field. */
export function sessionBody(over: Record<string, unknown> = {}) {
  seq++;
  return {
    externalId: `ext-${seq}-${crypto.randomUUID().slice(0, 8)}`,
    title: `Fix the login redirect bug ${seq}`,
    source: "claude-code",
    model: "claude-sonnet-4-20250514",
    provider: "anthropic",
    promptTokens: 4000,
    completionTokens: 521,
    cost: 0.08,
    createdAt: 1764147600000 + seq * 1000,
    messages: [
      { externalId: "m1", role: "user", content: "I'm seeing a redirect loop when I log in." },
      {
        externalId: "m2",
        role: "assistant",
        content: "Let me read the provider.",
        toolCalls: [{ id: "call_1", name: "read_file", arguments: { path: "src/auth.tsx" } }],
      },
      { externalId: "m3", role: "tool", toolCallId: "call_1", toolName: "read_file", content: "export function AuthProvider() {}" },
      { externalId: "m4", role: "assistant", content: "The issue is in your AuthProvider component." },
    ],
    ...over,
  };
}

export async function ingest(key: string, body: unknown = sessionBody()): Promise<{ id: string; externalId: string; messageCount: number; created: boolean }> {
  const res = await call("/api/sessions", { method: "POST", key, json: body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`ingest failed ${res.status}: ${await res.text()}`);
  return res.json();
}

export { env };
