import { z } from "@hono/zod-openapi";
import { hashKey, timingSafeEqualText } from "../auth/hash";
import { kvKeyName, lookupKey, type KeyRecord } from "../auth/keys";
import { SCOPES } from "../db/schema";

/** Sign-in lasts 8 hours; the KV record expires with it. */
export const WEB_SESSION_TTL_SECONDS = 8 * 60 * 60;
export const SESSION_COOKIE = "evalport_session";
/** Pre-sign-in CSRF cookie (double submit), so the sign-in form itself cannot be posted cross-site. */
export const SIGNIN_CSRF_COOKIE = "evalport_signin";

/**
 * What the server keeps about a signed-in browser. It points at the key (id and hash, to notice revocation) but
 * never holds the key itself, so nothing in the browser or in KV can be replayed as an API key.
 */
const webSessionSchema = z.object({
  keyId: z.string(),
  keyHash: z.string(),
  workspace: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  csrf: z.string(),
  createdAt: z.number(),
});
export type WebSession = z.infer<typeof webSessionSchema> & { auth: KeyRecord };

/** 32 random bytes, base64url: session ids and CSRF tokens. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** KV holds sessions under the hash of their id, so a KV listing reveals no usable cookie. */
const kvName = async (sessionId: string) => `web:${await hashKey(sessionId)}`;

/** Exchanges an API key for a web session; null when the key is not valid. Returns the cookie value. */
export async function startWebSession(kv: KVNamespace, presentedKey: string, pepper?: string): Promise<string | null> {
  const record = await lookupKey(kv, presentedKey.trim(), pepper);
  if (!record) return null;
  const id = randomToken();
  const value = {
    keyId: record.id,
    keyHash: await hashKey(presentedKey.trim(), pepper),
    workspace: record.workspace,
    scopes: record.scopes,
    csrf: randomToken(),
    createdAt: Date.now(),
  };
  await kv.put(await kvName(id), JSON.stringify(value), { expirationTtl: WEB_SESSION_TTL_SECONDS });
  return id;
}

/**
 * Loads a web session and checks its key is still live (a revoked key ends its sessions on the next request);
 * a session whose key is gone is deleted.
 */
export async function loadWebSession(kv: KVNamespace, sessionId: string | undefined): Promise<WebSession | null> {
  if (!sessionId || sessionId.length > 100) return null;
  const name = await kvName(sessionId);
  const raw = await kv.get(name);
  if (raw === null) return null;
  const parsed = webSessionSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) return null;
  const keyRaw = await kv.get(kvKeyName(parsed.data.keyHash));
  if (keyRaw === null) {
    await kv.delete(name);
    return null;
  }
  const key = JSON.parse(keyRaw) as KeyRecord;
  return { ...parsed.data, scopes: key.scopes, auth: { id: key.id, workspace: key.workspace, scopes: key.scopes } };
}

export async function endWebSession(kv: KVNamespace, sessionId: string | undefined): Promise<void> {
  if (sessionId) await kv.delete(await kvName(sessionId));
}

/** Constant-time check of a submitted CSRF token against the expected one. */
export async function csrfMatches(expected: string, submitted: unknown): Promise<boolean> {
  return typeof submitted === "string" && submitted.length > 0 && (await timingSafeEqualText(expected, submitted));
}
