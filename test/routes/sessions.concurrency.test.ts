import { describe, expect, it } from "vitest";
import { appendMessages, upsertSessions } from "../../src/sessions/ingest";
import { sessionInputSchema } from "../../src/sessions/schemas";
import { db, ingest, makeKey, sessionBody } from "../helpers";
import { getSession, post, storedSession } from "./_support";

/**
 * Concurrent writers to one session: every one that is answered 2xx must be stored (issue 10, defect 1). The
 * requests go through the Worker's fetch in parallel; the same races are also staged on the ingest functions
 * directly, where every await is a point at which the other writers run.
 */

const msg = (id: string, content = `message ${id}`) => ({ externalId: id, role: "user" as const, content });

async function storedExternalIds(key: string, id: string): Promise<string[]> {
  const { body } = await getSession(key, id);
  expect(body.messages.map((m: any) => m.seq)).toEqual(body.messages.map((_: unknown, i: number) => i));
  expect(body.messageCount).toBe(body.messages.length);
  return body.messages.map((m: any) => m.externalId);
}

describe("concurrent writes to one session lose nothing", () => {
  it("40 parallel appends, each with its own message, are all stored", async () => {
    const key = await makeKey("conc-append");
    const { id } = await ingest(key, sessionBody());
    const res = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(`/api/sessions/${id}/messages`, key, { messages: [msg(`a${i}`)] })),
    );
    expect(res.map((r) => r.status)).toEqual(res.map(() => 200));
    const ids = await storedExternalIds(key, id);
    expect(ids).toHaveLength(44);
    expect(new Set(ids.slice(4))).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `a${i}`)));
  });

  it("30 parallel first ingests of one new externalId, each with a different message, store one session with all 30", async () => {
    const key = await makeKey("conc-create");
    const base = sessionBody({ messages: [] });
    const res = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post("/api/sessions", key, { ...base, messages: [msg(`c${i}`)] })),
    );
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    const bodies = await Promise.all(res.map((r) => r.json<any>()));
    const stored = (await storedSession("conc-create", base.externalId))!;
    for (const b of bodies) expect(b.id).toBe(stored.id);
    const ids = await storedExternalIds(key, stored.id);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `c${i}`)));
  });

  it("appends racing position-based resends keep every appended message and the resent ones in place", async () => {
    const key = await makeKey("conc-mixed");
    const positional = [
      { role: "user", content: "p0" },
      { role: "assistant", content: "p1" },
    ];
    const body = sessionBody({ messages: positional });
    const { id } = await ingest(key, body);
    const writes = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? post("/api/sessions", key, body) // the same positional resend
        : i % 3 === 1
          ? post(`/api/sessions/${id}/messages`, key, { messages: [msg(`x${i}`)] })
          : post("/api/sessions/batch", key, { sessions: [{ ...body, messages: [...positional, msg(`y${i}`)] }] }),
    );
    const res = await Promise.all(writes);
    expect(res.map((r) => r.status)).toEqual(res.map(() => 200));
    const { body: s } = await getSession(key, id);
    expect(s.messages.slice(0, 2).map((m: any) => [m.externalId, m.content])).toEqual([
      [null, "p0"],
      [null, "p1"],
    ]);
    const appended = s.messages.slice(2).map((m: any) => m.externalId).sort();
    const expected = [...Array.from({ length: 8 }, (_, k) => `x${3 * k + 1}`), ...Array.from({ length: 8 }, (_, k) => `y${3 * k + 2}`)].sort();
    expect(appended).toEqual(expected);
  });

  it("staged on the ingest functions: parallel upserts and appends interleave at every await and all land", async () => {
    const ws = "conc-staged";
    const key = await makeKey(ws);
    const base = sessionBody({ messages: [msg("first")] });
    const [created] = await upsertSessions(db(), ws, [sessionInputSchema.parse(base)]);
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      jobs.push(upsertSessions(db(), ws, [sessionInputSchema.parse({ ...base, messages: [msg("first"), msg(`u${i}`)] })]));
      jobs.push(appendMessages(db(), ws, created!.id, [msg(`v${i}`)]));
    }
    await Promise.all(jobs);
    const ids = await storedExternalIds(key, created!.id);
    expect(ids).toHaveLength(41);
    expect(ids[0]).toBe("first");
  });

  it("a resend of what is stored, in parallel with itself, leaves the ETag as it was", async () => {
    const key = await makeKey("conc-etag");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const before = await getSession(key, id);
    const res = await Promise.all(Array.from({ length: 10 }, () => post("/api/sessions", key, body)));
    expect(res.map((r) => r.status)).toEqual(res.map(() => 200));
    expect((await getSession(key, id)).etag).toBe(before.etag);
  });
});
