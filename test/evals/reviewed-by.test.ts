import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createKey, kvKeyName } from "../../src/auth/keys";
import { hashKey } from "../../src/auth/hash";
import { createDb } from "../../src/db/client";
import { createHook, deliver, getSession, markReady, newSession, newSessions, patchEval } from "./helpers";

const stores = () => ({ db: createDb(env.DB), kv: env.KV });

describe("reviewedBy", () => {
  it("PATCH sets the key's name, or its prefix when unnamed", async () => {
    const ws = `rb-${crypto.randomUUID().slice(0, 8)}`;
    const named = await createKey(stores(), { workspace: ws, name: "alice" });
    const unnamed = await createKey(stores(), { workspace: ws });
    const id = await newSession(named.key);
    expect((await getSession(named.key, id)).body.reviewedBy).toBeNull();
    expect((await patchEval(named.key, id, { evalStatus: "golden" })).status).toBe(200);
    expect((await getSession(named.key, id)).body.reviewedBy).toBe("alice");
    const res = await patchEval(unnamed.key, id, { evalNotes: "checked" });
    expect((await res.json<{ reviewedBy: string }>()).reviewedBy).toBe(unnamed.prefix);
  });

  it("marking ready or not keeps reviewedBy, as it keeps reviewedAt", async () => {
    const ws = `rb-${crypto.randomUUID().slice(0, 8)}`;
    const alice = await createKey(stores(), { workspace: ws, name: "alice" });
    const bob = await createKey(stores(), { workspace: ws, name: "bob" });
    const id = await newSession(alice.key);
    await patchEval(alice.key, id, { evalStatus: "correct" });
    expect((await markReady(bob.key, { sessionIds: [id] })).status).toBe(200);
    const { body } = await getSession(bob.key, id);
    expect(body.evalReady).toBe(true);
    expect(body.reviewedBy).toBe("alice");
  });

  it("a key record stored before names were kept is named from api_keys", async () => {
    const ws = `rb-${crypto.randomUUID().slice(0, 8)}`;
    const k = await createKey(stores(), { workspace: ws, name: "legacy-ci" });
    await env.KV.put(kvKeyName(await hashKey(k.key)), JSON.stringify({ id: k.id, workspace: ws, scopes: k.scopes }));
    const id = await newSession(k.key);
    expect((await patchEval(k.key, id, { evalStatus: "golden" })).status).toBe(200);
    expect((await getSession(k.key, id)).body.reviewedBy).toBe("legacy-ci");
  });

  it("a webhook delivery sets webhook:<name>, or webhook:<id> when unnamed; ready alone sets nothing", async () => {
    const ws = `rb-${crypto.randomUUID().slice(0, 8)}`;
    const k = await createKey(stores(), { workspace: ws, name: "owner" });
    const named = await createHook(k.key, "grader");
    const unnamed = await createHook(k.key);
    const [a, b, c] = [await newSession(k.key), await newSession(k.key), await newSession(k.key)];
    expect((await deliver(named, { sessionIds: [a], evalStatus: "golden" })).status).toBe(200);
    expect((await deliver(unnamed, { sessionIds: [b], evalTags: ["ci"] })).status).toBe(200);
    expect((await deliver(named, { sessionIds: [c] })).status).toBe(200);
    expect((await getSession(k.key, a)).body.reviewedBy).toBe("webhook:grader");
    expect((await getSession(k.key, b)).body.reviewedBy).toBe(`webhook:${unnamed.id}`);
    const cBody = (await getSession(k.key, c)).body;
    expect(cBody.evalReady).toBe(true);
    expect(cBody.reviewedBy).toBeNull();
  });
  it("labels sent with an ingest (single and batch) are reviewed by the ingesting key; an ingest without labels keeps it", async () => {
    const ws = `rb-${crypto.randomUUID().slice(0, 8)}`;
    const ci = await createKey(stores(), { workspace: ws, name: "grader-ci" });
    const other = await createKey(stores(), { workspace: ws, name: "uploader" });
    const single = await newSession(ci.key, { externalId: "rb-single", evalStatus: "golden" });
    const [batched] = await newSessions(ci.key, 1, () => ({ externalId: "rb-batch", evalTags: ["ci"] }));
    expect((await getSession(ci.key, single)).body.reviewedBy).toBe("grader-ci");
    expect((await getSession(ci.key, batched!)).body.reviewedBy).toBe("grader-ci");
    // Re-sending the same session without label fields, from another key, does not take the review over.
    await newSession(other.key, { externalId: "rb-single" });
    expect((await getSession(ci.key, single)).body.reviewedBy).toBe("grader-ci");
  });
});
