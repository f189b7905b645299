import { and, desc, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookDeliveries, webhooks } from "../db/schema";
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

/** A delivery id is remembered (per webhook) this long after it was applied. */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

const deliveryIs = (webhookId: string, deliveryId: string) =>
  and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.deliveryId, deliveryId));

/** Whether this webhook applied a delivery with this `webhook-id` in the last 24 hours. */
export async function seenDelivery(db: Db, webhookId: string, deliveryId: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .select({ at: webhookDeliveries.receivedAt })
    .from(webhookDeliveries)
    .where(and(deliveryIs(webhookId, deliveryId), gt(webhookDeliveries.receivedAt, now - REPLAY_WINDOW_MS)))
    .get();
  return row !== undefined;
}

/**
 * Statements that claim a delivery id, to run first in the batch that applies it: a row older than the window is
 * forgotten, then a plain INSERT, which fails on the primary key when another copy already claimed the id, so
 * that copy's whole batch rolls back and the labels are applied exactly once.
 */
export function claimDeliveryStatements(db: Db, webhookId: string, deliveryId: string, now = Date.now()) {
  return [
    db.delete(webhookDeliveries).where(and(deliveryIs(webhookId, deliveryId), lte(webhookDeliveries.receivedAt, now - REPLAY_WINDOW_MS))),
    db.insert(webhookDeliveries).values({ webhookId, deliveryId, receivedAt: now }),
  ] as const;
}

/** Forgets deliveries older than the window (the cron trigger); returns how many rows went. */
export async function sweepDeliveries(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(webhookDeliveries)
    .where(lte(webhookDeliveries.receivedAt, now - REPLAY_WINDOW_MS))
    .returning({ id: webhookDeliveries.deliveryId });
  return gone.length;
}
