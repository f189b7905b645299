import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhooks } from "../db/schema";
import { newId } from "../lib/ids";
import { newWebhookSecret } from "./signature";

export const deliveryPath = (id: string) => `/api/webhooks/${id}/eval-ready`;

/** Creates an endpoint; the returned secret is the only time it is shown. */
export async function createWebhook(db: Db, workspaceId: string, name: string | null, origin: string, now = Date.now()) {
  const row = { id: newId("wh", now), workspaceId, name, secret: newWebhookSecret(), createdAt: now, deletedAt: null };
  await db.insert(webhooks).values(row);
  return { id: row.id, name: row.name, url: origin + deliveryPath(row.id), secret: row.secret, createdAt: row.createdAt };
}

export async function listWebhooks(db: Db, workspaceId: string, origin: string) {
  const rows = await db
    .select({ id: webhooks.id, name: webhooks.name, createdAt: webhooks.createdAt })
    .from(webhooks)
    .where(and(eq(webhooks.workspaceId, workspaceId), isNull(webhooks.deletedAt)))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
  return rows.map((r) => ({ ...r, url: origin + deliveryPath(r.id) }));
}

/** Soft-deletes (so a late delivery answers 404); false when not this workspace's or already deleted. */
export async function deleteWebhook(db: Db, workspaceId: string, id: string, now = Date.now()): Promise<boolean> {
  const rows = await db
    .update(webhooks)
    .set({ deletedAt: now })
    .where(and(eq(webhooks.id, id), eq(webhooks.workspaceId, workspaceId), isNull(webhooks.deletedAt)))
    .returning({ id: webhooks.id });
  return rows.length > 0;
}

/** A live endpoint by id, whatever its workspace (deliveries carry no API key). */
export async function findLiveWebhook(db: Db, id: string) {
  return db.select().from(webhooks).where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt))).get();
}

const REPLAY_TTL_SECONDS = 24 * 60 * 60;
const replayKey = (webhookId: string, deliveryId: string) => `wh:${webhookId}:${deliveryId}`;

/** Whether this webhook already applied a delivery with this `webhook-id` in the last 24 hours. */
export async function seenDelivery(kv: KVNamespace, webhookId: string, deliveryId: string): Promise<boolean> {
  return (await kv.get(replayKey(webhookId, deliveryId))) !== null;
}

export async function rememberDelivery(kv: KVNamespace, webhookId: string, deliveryId: string, now = Date.now()): Promise<void> {
  await kv.put(replayKey(webhookId, deliveryId), String(now), { expirationTtl: REPLAY_TTL_SECONDS });
}
