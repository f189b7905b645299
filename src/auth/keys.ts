import { desc, eq } from "drizzle-orm";
import { z } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import { apiKeys, SCOPES, type ApiKeyRow, type Scope } from "../db/schema";
import { newId, randomBase62 } from "../lib/ids";
import { hashKey } from "./hash";

export const KEY_PREFIX = "osk_";
/** 40 base62 characters: 238 bits of randomness. */
const KEY_RANDOM_CHARS = 40;
/** Shown in listings: `osk_` plus 8 characters, enough to recognise a key, far too few to use it. */
const DISPLAY_PREFIX_LENGTH = 12;

export const workspaceSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, "a workspace is 1..64 characters of a-z 0-9 - _")
  .openapi({ example: "acme" });

/**
 * What the hot path needs about a key; stored in KV under `key:<hash>`. `name` and `prefix` say who made a label
 * change (`reviewedBy`); records written before they existed lack them, and `reviewerName` reads them from D1.
 */
export const keyRecordSchema = z.object({
  id: z.string(),
  workspace: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  name: z.string().nullable().optional(),
  prefix: z.string().optional(),
});
export type KeyRecord = z.infer<typeof keyRecordSchema>;

/** Per-isolate memory of key id → reviewer name, for records that do not carry it (a key's name never changes). */
const reviewerNames = new Map<string, string>();
const REVIEWER_CACHE_MAX = 1000;

/**
 * Who a key is in `reviewedBy`: its name, or its display prefix when unnamed. Read from the record when it carries
 * them, else once per isolate from `api_keys`; the key id as a last resort (a record whose row is gone).
 */
export async function reviewerName(db: Db, record: Pick<KeyRecord, "id" | "name" | "prefix">): Promise<string> {
  if (record.prefix !== undefined) return record.name ?? record.prefix;
  const cached = reviewerNames.get(record.id);
  if (cached !== undefined) return cached;
  const row = await db.select({ name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.id, record.id)).get();
  const name = row ? (row.name ?? row.prefix) : record.id;
  if (reviewerNames.size >= REVIEWER_CACHE_MAX) reviewerNames.clear();
  reviewerNames.set(record.id, name);
  return name;
}

export const kvKeyName = (hash: string) => `key:${hash}`;

/** The public view of a key: never its secret or hash. */
export function presentKey(row: ApiKeyRow) {
  return {
    id: row.id,
    prefix: row.prefix,
    workspace: row.workspaceId,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

export interface KeyStores {
  db: Db;
  kv: KVNamespace;
  pepper?: string;
}

/** Creates a key; the returned `key` is the only copy of the secret that will ever exist. */
export async function createKey(
  stores: KeyStores,
  input: { workspace: string; name?: string | null; scopes?: Scope[] },
  now = Date.now(),
) {
  const key = KEY_PREFIX + randomBase62(KEY_RANDOM_CHARS);
  const hash = await hashKey(key, stores.pepper);
  const scopes = input.scopes && input.scopes.length > 0 ? [...new Set(input.scopes)] : [...SCOPES];
  const row: ApiKeyRow = {
    id: newId("key", now),
    workspaceId: input.workspace,
    name: input.name ?? null,
    prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
    keyHash: hash,
    scopes,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await stores.db.insert(apiKeys).values(row);
  const record: KeyRecord = { id: row.id, workspace: row.workspaceId, scopes, name: row.name, prefix: row.prefix };
  await stores.kv.put(kvKeyName(hash), JSON.stringify(record));
  const { lastUsedAt: _l, revokedAt: _r, ...shown } = presentKey(row);
  return { ...shown, key };
}

export async function listKeys(stores: KeyStores, workspace?: string) {
  const rows = await stores.db
    .select()
    .from(apiKeys)
    .where(workspace ? eq(apiKeys.workspaceId, workspace) : undefined)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(presentKey);
}

/**
 * Revokes a key: deletes its KV entry (the lookup) and stamps `revokedAt`. Revoking twice answers the first
 * revocation's time. Returns null for an unknown id.
 */
export async function revokeKey(stores: KeyStores, id: string, now = Date.now()) {
  const row = await stores.db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
  if (!row) return null;
  await stores.kv.delete(kvKeyName(row.keyHash));
  if (row.revokedAt !== null) return { id: row.id, revokedAt: row.revokedAt };
  await stores.db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id));
  return { id: row.id, revokedAt: now };
}

/** Resolves a presented key to its record, or null when it is malformed, unknown or revoked. */
export async function lookupKey(kv: KVNamespace, presented: string, pepper?: string): Promise<KeyRecord | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length < KEY_PREFIX.length + 32 || presented.length > 200) return null;
  const raw = await kv.get(kvKeyName(await hashKey(presented, pepper)));
  if (raw === null) return null;
  const parsed = keyRecordSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
