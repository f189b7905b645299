import { describe, expect, it } from "vitest";
import { call, ingest, makeKey, sessionBody } from "../helpers";
import { expectInvalid, getSession, post, storedSession } from "./_support";

/** Inputs that used to be stored as something other than what was sent (issue 10, defect 8). */

const postRaw = (key: string, text: string) =>
  call("/api/sessions", { method: "POST", key, body: text, headers: { "content-type": "application/json" } });

describe("ingest stores what was sent, or refuses it", () => {
  it("refuses an ISO createdAt before 1970 as it refuses a negative number, naming the field", async () => {
    const key = await makeKey("edge-1969");
    const body = sessionBody({ createdAt: "1969-12-31T23:59:59Z" });
    await expectInvalid(await post("/api/sessions", key, body), "createdAt");
    await expectInvalid(await post("/api/sessions", key, sessionBody({ createdAt: -1000 })), "createdAt");
    const msgs = sessionBody().messages;
    await expectInvalid(
      await post("/api/sessions", key, sessionBody({ messages: [{ ...msgs[0], createdAt: "1960-01-01" }] })),
      "messages.0.createdAt",
    );
    expect(await storedSession("edge-1969", body.externalId)).toBeUndefined();
    // 1970-01-01 itself is fine
    const ok = await ingest(key, sessionBody({ createdAt: "1970-01-01T00:00:00Z" }));
    expect((await getSession(key, ok.id)).body.createdAt).toBe(0);
  });

  it("refuses a lone surrogate with a 400 naming the field, and stores nothing", async () => {
    const key = await makeKey("edge-surrogate");
    const body = sessionBody();
    const text = JSON.stringify({ ...body, messages: [{ role: "user", content: "a\ud800b" }] });
    expect(text).toContain("\\ud800");
    await expectInvalid(await postRaw(key, text), "messages.0.content");
    expect(await storedSession("edge-surrogate", body.externalId)).toBeUndefined();
    const title = JSON.stringify({ ...body, title: "x\udc00" });
    await expectInvalid(await postRaw(key, title), "title");
    // a proper pair (an emoji written as two escapes) is fine and comes back as sent
    const pair = JSON.stringify({ ...body, messages: [{ role: "user", content: "ok \ud83d\ude00" }] });
    const res = await postRaw(key, pair);
    expect(res.status).toBe(201);
    const { id } = await res.json<any>();
    expect((await getSession(key, id)).body.messages[0].content).toBe("ok 😀");
  });

  it("keeps a __proto__ key in tool-call arguments, which round-trip as sent", async () => {
    const key = await makeKey("edge-proto");
    const body = sessionBody();
    const text = JSON.stringify({ ...body, messages: [] }).replace(
      '"messages":[]',
      '"messages":[{"role":"assistant","content":"","toolCalls":[{"id":"c1","name":"write","arguments":{"__proto__":{"polluted":true},"path":"a.ts"}}]}]',
    );
    const res = await postRaw(key, text);
    expect(res.status).toBe(201);
    const { id } = await res.json<any>();
    const read = await call(`/api/sessions/${id}`, { key });
    const raw = await read.text();
    expect(raw).toContain('"arguments":{"__proto__":{"polluted":true},"path":"a.ts"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a message too large to travel inside the statements' JSON goes alone and is stored whole, beside small ones", async () => {
    const key = await makeKey("edge-solo");
    // ~1.9 MB of JSON once escaped: past one bound parameter's budget, so it is bound field by field
    const content = "\n".repeat(500_000) + "é".repeat(200_000);
    const reasoning = "r".repeat(500_000);
    const body = sessionBody({
      messages: [
        { externalId: "a", role: "user", content: "small before" },
        { externalId: "b", role: "assistant", content, reasoning },
        { externalId: "c", role: "user", content: "small after" },
      ],
    });
    const { id, messageCount } = await ingest(key, body);
    expect(messageCount).toBe(3);
    const { body: s } = await getSession(key, id);
    expect(s.messages.map((m: any) => m.externalId)).toEqual(["a", "b", "c"]);
    expect(s.messages[1].content).toBe(content);
    expect(s.messages[1].reasoning).toBe(reasoning);
    // the same body again changes nothing
    const before = await getSession(key, id);
    await ingest(key, body);
    expect((await getSession(key, id)).etag).toBe(before.etag);
  });
});
