import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/lib/limits";
import { call, ingest, makeKey, sessionBody } from "../helpers";
import { expectError, expectInvalid, expectKeyRefusals, getSession, post, storedMessageCount } from "./_support";

/** POST /api/sessions/:id/messages: append, idempotent by message externalId. */

const append = (key: string | undefined, id: string, messages: unknown) => post(`/api/sessions/${id}/messages`, key, { messages });

describe("POST /api/sessions/:id/messages — happy path", () => {
  it("appends messages at the end, in order, and answers {id, messageCount}", async () => {
    const key = await makeKey("app-happy");
    const { id } = await ingest(key);
    const before = await getSession(key, id);
    const res = await append(key, id, [
      { externalId: "m5", role: "user", content: "Still looping." },
      { externalId: "m6", role: "assistant", content: "Clear the cookie.", reasoning: "The cookie is stale." },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toEqual({ id, messageCount: 6 });
    const after = await getSession(key, id);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.messageCount).toBe(6);
    expect(after.body.messages.slice(0, 4)).toEqual(before.body.messages);
    expect(after.body.messages.slice(4)).toMatchObject([
      { seq: 4, externalId: "m5", role: "user", content: "Still looping." },
      { seq: 5, externalId: "m6", role: "assistant", content: "Clear the cookie.", reasoning: "The cookie is stale." },
    ]);
  });

  it("is idempotent by message externalId: the same messages again change nothing, not even the ETag", async () => {
    const key = await makeKey("app-idem");
    const { id } = await ingest(key);
    const msgs = [
      { externalId: "x1", role: "user", content: "again" },
      { externalId: "x2", role: "assistant", content: "and again" },
    ];
    expect(await (await append(key, id, msgs)).json()).toEqual({ id, messageCount: 6 });
    const once = await getSession(key, id);
    const res = await append(key, id, msgs);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, messageCount: 6 });
    const twice = await getSession(key, id);
    expect(twice.body).toEqual(once.body);
    expect(twice.etag).toBe(once.etag);
    expect(await storedMessageCount(id)).toBe(6);
  });

  it("a known externalId updates that message in place; new ones are appended", async () => {
    const key = await makeKey("app-update");
    const { id } = await ingest(key);
    const res = await append(key, id, [
      { externalId: "m2", role: "assistant", content: "Rewritten.", toolCalls: [{ id: "call_1", name: "read_file", arguments: "{\"path\":\"b.ts\"}" }] },
      { externalId: "m9", role: "user", content: "new" },
    ]);
    expect(await res.json()).toEqual({ id, messageCount: 5 });
    const { body: s } = await getSession(key, id);
    expect(s.messages[1]).toMatchObject({ seq: 1, externalId: "m2", content: "Rewritten.", toolCalls: [{ id: "call_1", name: "read_file", arguments: "{\"path\":\"b.ts\"}" }] });
    expect(s.messages[4]).toMatchObject({ seq: 4, externalId: "m9", content: "new" });
  });

  it("messages without externalId are always appended (they carry nothing to match on)", async () => {
    const key = await makeKey("app-noid");
    const { id } = await ingest(key, sessionBody({ messages: [] }));
    expect(await (await append(key, id, [{ role: "user", content: "a" }])).json()).toEqual({ id, messageCount: 1 });
    expect(await (await append(key, id, [{ role: "user", content: "a" }])).json()).toEqual({ id, messageCount: 2 });
  });

  it("a later session resend still sees appended messages and removes none", async () => {
    const key = await makeKey("app-resend");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    await append(key, id, [{ externalId: "late", role: "user", content: "late" }]);
    const out = await ingest(key, body);
    expect(out).toMatchObject({ id, messageCount: 5, created: false });
  });
});

describe("POST /api/sessions/:id/messages — errors", () => {
  it.each([
    { label: "an empty list", messages: [], path: "messages" },
    { label: "not a list", messages: "hi", path: "messages" },
    { label: "an unknown role", messages: [{ role: "user", content: "ok" }, { role: "narrator", content: "x" }], path: "messages.1.role" },
    { label: "toolCalls on a user message", messages: [{ role: "user", content: "x", toolCalls: [{ name: "ls" }] }], path: "messages.0.toolCalls" },
    { label: "toolCallId on an assistant message", messages: [{ role: "assistant", content: "x", toolCallId: "c" }], path: "messages.0.toolCallId" },
    { label: "negative tokens", messages: [{ role: "assistant", content: "x", completionTokens: -1 }], path: "messages.0.completionTokens" },
    { label: "a duplicated externalId", messages: [{ externalId: "d", role: "user", content: "1" }, { externalId: "d", role: "user", content: "2" }], path: "messages.1.externalId" },
    { label: "content over 1 MiB", messages: [{ role: "user", content: "x".repeat(LIMITS.messageContentBytes + 1) }], path: "messages.0.content" },
  ])("$label → 400 naming $path, nothing appended", async ({ messages, path }) => {
    const key = await makeKey("app-invalid");
    const { id } = await ingest(key);
    const before = await getSession(key, id);
    await expectInvalid(await append(key, id, messages), path);
    const after = await getSession(key, id);
    expect(after.body).toEqual(before.body);
    expect(after.etag).toBe(before.etag);
  });

  it("more than 10,000 messages is a 400 and appends nothing", async () => {
    const key = await makeKey("app-many");
    const { id } = await ingest(key);
    const msgs = Array.from({ length: LIMITS.messagesPerRequest + 1 }, (_, i) => ({ role: "user", content: `${i}` }));
    await expectInvalid(await append(key, id, msgs), "messages");
    expect(await storedMessageCount(id)).toBe(4);
  });

  it("malformed JSON is a 400, a non-JSON body a 415", async () => {
    const key = await makeKey("app-json");
    const { id } = await ingest(key);
    const path = `/api/sessions/${id}/messages`;
    await expectError(await call(path, { method: "POST", key, body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_request");
    await expectError(await call(path, { method: "POST", key, body: "{}", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    expect(await storedMessageCount(id)).toBe(4);
  });

  it("an unknown session id is a 404", async () => {
    const key = await makeKey("app-404");
    await expectError(await append(key, "ses_00000000000000000000000000", [{ role: "user", content: "x" }]), 404, "not_found");
  });
});

describe("POST /api/sessions/:id/messages — auth and tenancy", () => {
  it("refuses bad keys (401) and a key without sessions:write (403), appending nothing", async () => {
    const ws = "app-auth";
    const key = await makeKey(ws);
    const { id } = await ingest(key);
    await expectKeyRefusals(ws, "sessions:write", (authorization) =>
      call(`/api/sessions/${id}/messages`, { method: "POST", json: { messages: [{ role: "user", content: "x" }] }, headers: authorization ? { authorization } : {} }),
    );
    expect(await storedMessageCount(id)).toBe(4);
  });

  it("another workspace's session id answers 404 exactly like an unknown id, and appends nothing", async () => {
    const keyA = await makeKey("app-ten-a");
    const keyB = await makeKey("app-ten-b");
    const { id: idB } = await ingest(keyB);
    const msgs = [{ role: "user", content: "intrusion" }];
    const foreign = await append(keyA, idB, msgs);
    const unknown = await append(keyA, "ses_00000000000000000000000000", msgs);
    const fb = await expectError(foreign, 404, "not_found");
    const ub = await expectError(unknown, 404, "not_found");
    expect(fb).toEqual(ub);
    expect(await storedMessageCount(idB)).toBe(4);
  });
});
