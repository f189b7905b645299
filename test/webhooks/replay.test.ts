import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../src/db/schema";
import { sweep } from "../../src/scheduled";
import { REPLAY_WINDOW_MS } from "../../src/webhooks/store";
import { db } from "../helpers";
import { createHook, deliver, getSession, newSession, workspaceKey } from "../evals/helpers";

/** Issue 10 defect 4: a delivery id is claimed in the same D1 transaction as the labels it applies. */

describe("webhook replay memory (D1, atomic)", () => {
  it("40 concurrent copies of one delivery: applied exactly once, the other 39 answer duplicate", async () => {
    const { key } = await workspaceKey();
    const hook = await createHook(key, "race");
    const id = await newSession(key);
    const before = (await getSession(key, id)).body.evalTags as string[];
    expect(before).toEqual([]);
    const msgId = `msg_${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const body = { sessionIds: [id], evalStatus: "golden", evalTags: ["once"] };
    const answers = await Promise.all(Array.from({ length: 40 }, () => deliver(hook, body, { msgId, timestamp: ts })));
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json<Record<string, unknown>>() })));
    expect(bodies.every((b) => b.status === 200), JSON.stringify(bodies.filter((b) => b.status !== 200))).toBe(true);
    const applied = bodies.filter((b) => "updated" in b.body);
    expect(applied).toHaveLength(1);
    expect(applied[0]!.body).toEqual({ updated: 1, notFound: [] });
    expect(bodies.filter((b) => b.body.duplicate === true)).toHaveLength(39);
    // applied once: the version moved by one labelling, not forty
    const after = await getSession(key, id);
    expect(after.body.evalStatus).toBe("golden");
    const rows = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(rows.map((r) => r.deliveryId)).toEqual([msgId]);
  });

  it("a rejected delivery (bad body, bad signature) is not remembered: the fixed retry applies", async () => {
    const { key } = await workspaceKey();
    const hook = await createHook(key);
    const id = await newSession(key);
    const msgId = `msg_${crypto.randomUUID()}`;
    expect((await deliver(hook, { sessionIds: [id], evalStatus: "great" }, { msgId })).status).toBe(400);
    expect((await deliver(hook, { sessionIds: [id] }, { msgId, signature: "v1,AAAA" })).status).toBe(401);
    const ok = await deliver(hook, { sessionIds: [id], evalStatus: "correct" }, { msgId });
    expect(await ok.json()).toEqual({ updated: 1, notFound: [] });
    expect(await (await deliver(hook, { sessionIds: [id], evalStatus: "correct" }, { msgId })).json()).toEqual({ duplicate: true });
  });

  it("a delivery naming only unknown sessions is remembered too", async () => {
    const { key } = await workspaceKey();
    const hook = await createHook(key);
    const msgId = `msg_${crypto.randomUUID()}`;
    expect(await (await deliver(hook, { sessionIds: ["ses_none"] }, { msgId })).json()).toEqual({ updated: 0, notFound: ["ses_none"] });
    expect(await (await deliver(hook, { sessionIds: ["ses_none"] }, { msgId })).json()).toEqual({ duplicate: true });
  });

  it("the same delivery id is per webhook", async () => {
    const { key } = await workspaceKey();
    const [h1, h2] = [await createHook(key), await createHook(key)];
    const id = await newSession(key);
    const msgId = `msg_${crypto.randomUUID()}`;
    expect(await (await deliver(h1, { sessionIds: [id] }, { msgId })).json()).toEqual({ updated: 1, notFound: [] });
    expect(await (await deliver(h2, { sessionIds: [id] }, { msgId })).json()).toEqual({ updated: 1, notFound: [] });
  });

  it("after 24 hours an id is forgotten: applied again, and the cron sweep removes old rows", async () => {
    const { key } = await workspaceKey();
    const hook = await createHook(key);
    const id = await newSession(key);
    const msgId = `msg_${crypto.randomUUID()}`;
    expect((await deliver(hook, { sessionIds: [id], evalStatus: "golden" }, { msgId })).status).toBe(200);
    // age the row past the window
    const where = and(eq(webhookDeliveries.webhookId, hook.id), eq(webhookDeliveries.deliveryId, msgId));
    await db().update(webhookDeliveries).set({ receivedAt: Date.now() - REPLAY_WINDOW_MS - 1 }).where(where);
    expect(await (await deliver(hook, { sessionIds: [id], evalStatus: "incorrect" }, { msgId })).json()).toEqual({ updated: 1, notFound: [] });
    expect((await getSession(key, id)).body.evalStatus).toBe("incorrect");
    // the sweep removes rows older than the window and keeps the fresh one
    const stale = `msg_${crypto.randomUUID()}`;
    await db().insert(webhookDeliveries).values({ webhookId: hook.id, deliveryId: stale, receivedAt: Date.now() - REPLAY_WINDOW_MS - 5 });
    const swept = await sweep(db());
    expect(swept.deliveries).toBeGreaterThanOrEqual(1);
    const left = (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).map((r) => r.deliveryId);
    expect(left).toEqual([msgId]);
  });
});
