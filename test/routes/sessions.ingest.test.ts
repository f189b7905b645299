import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { LIMITS } from "../../src/lib/limits";
import { upsertSessions } from "../../src/sessions/ingest";
import { sessionInputSchema } from "../../src/sessions/schemas";
import { call, db, env, ingest, makeKey, sessionBody } from "../helpers";
import {
  expectError,
  expectInvalid,
  expectKeyRefusals,
  getSession,
  post,
  storedMessageCount,
  storedSession,
  utf8Of,
  workspaceSessionCount,
} from "./_support";

/** POST /api/sessions: upsert one session by externalId with its messages. */

describe("POST /api/sessions — create and read back", () => {
  it("creates a session (201) and stores every field and message as sent", async () => {
    const key = await makeKey("ing-create");
    const body = sessionBody({
      projectPath: "/home/me/app",
      projectName: "app",
      cacheReadTokens: 12,
      cacheWriteTokens: 3,
      durationMs: 93000,
      updatedAt: 1764147693000,
    });
    const res = await post("/api/sessions", key, body);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const out = await res.json<any>();
    expect(out).toEqual({ id: expect.stringMatching(/^ses_[0-9A-Z]{26}$/), externalId: body.externalId, messageCount: 4, created: true });

    const { body: s, etag } = await getSession(key, out.id);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(s).toMatchObject({
      id: out.id,
      externalId: body.externalId,
      title: body.title,
      source: "claude-code",
      model: "claude-sonnet-4-20250514",
      provider: "anthropic",
      projectPath: "/home/me/app",
      projectName: "app",
      promptTokens: 4000,
      completionTokens: 521,
      cacheReadTokens: 12,
      cacheWriteTokens: 3,
      totalTokens: 4521, // derived: prompt + completion
      cost: 0.08,
      durationMs: 93000,
      createdAt: body.createdAt,
      updatedAt: 1764147693000,
      messageCount: 4,
      evalReady: false,
      evalStatus: "needs_review",
      evalNotes: null,
      evalTags: [],
      expectedOutput: null,
      reviewedAt: null,
    });
    expect(s.messages.map((m: any) => [m.seq, m.externalId, m.role, m.content])).toEqual(
      body.messages.map((m: any, i: number) => [i, m.externalId, m.role, m.content]),
    );
    expect(s.messages[1].toolCalls).toEqual([{ id: "call_1", name: "read_file", arguments: { path: "src/auth.tsx" } }]);
    expect(s.messages[2]).toMatchObject({ toolCallId: "call_1", toolName: "read_file", toolCalls: null });
  });

  it("keeps an explicit totalTokens, accepts ISO-8601 timestamps and answers them in epoch ms", async () => {
    const key = await makeKey("ing-iso");
    const body = sessionBody({
      totalTokens: 9999,
      createdAt: "2025-11-26T09:00:00Z",
      updatedAt: "2025-11-26T10:00:00.500+01:00",
      messages: [{ role: "user", content: "hi", createdAt: "2025-11-26" }],
    });
    const { id } = await ingest(key, body);
    const { body: s } = await getSession(key, id);
    expect(s.totalTokens).toBe(9999);
    expect(s.createdAt).toBe(Date.UTC(2025, 10, 26, 9, 0, 0));
    expect(s.updatedAt).toBe(Date.UTC(2025, 10, 26, 9, 0, 0, 500));
    expect(s.messages[0].createdAt).toBe(Date.UTC(2025, 10, 26));
  });

  it("defaults createdAt to the time of ingest when absent", async () => {
    const key = await makeKey("ing-now");
    const before = Date.now();
    const { id } = await ingest(key, sessionBody({ createdAt: undefined }));
    const { body: s } = await getSession(key, id);
    expect(s.createdAt).toBeGreaterThanOrEqual(before);
    expect(s.createdAt).toBeLessThanOrEqual(Date.now());
  });

  it("accepts a session without messages and an assistant message with empty content", async () => {
    const key = await makeKey("ing-empty");
    const empty = await ingest(key, sessionBody({ messages: undefined }));
    expect(empty).toMatchObject({ created: true, messageCount: 0 });
    const toolsOnly = await ingest(
      key,
      sessionBody({ messages: [{ role: "assistant", content: "", toolCalls: [{ id: "c", name: "ls", arguments: {} }] }] }),
    );
    expect(toolsOnly.messageCount).toBe(1);
    const { body: s } = await getSession(key, toolsOnly.id);
    expect(s.messages[0].content).toBe("");
  });

  it("imports eval labels given on ingest (tags trimmed and de-duplicated, order kept)", async () => {
    const key = await makeKey("ing-labels");
    const { id } = await ingest(
      key,
      sessionBody({ evalReady: true, evalStatus: "golden", evalNotes: "good", evalTags: [" auth ", "ui", "auth", "UI"], expectedOutput: "42" }),
    );
    const { body: s } = await getSession(key, id);
    expect(s).toMatchObject({ evalReady: true, evalStatus: "golden", evalNotes: "good", evalTags: ["auth", "ui", "UI"], expectedOutput: "42" });
    expect(typeof s.reviewedAt).toBe("number");
  });
});

describe("POST /api/sessions — idempotent upsert", () => {
  it("the same body twice leaves one session, the same messages and the same ETag", async () => {
    const ws = "ing-idem";
    const key = await makeKey(ws);
    const body = sessionBody();
    const first = await post("/api/sessions", key, body);
    expect(first.status).toBe(201);
    const a = await first.json<any>();
    const before = await getSession(key, a.id);

    const second = await post("/api/sessions", key, body);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ...a, created: false });

    const after = await getSession(key, a.id);
    expect(after.etag).toBe(before.etag);
    expect(after.body).toEqual(before.body);
    expect(await workspaceSessionCount(ws)).toBe(1);
    expect(await storedMessageCount(a.id)).toBe(4);
  });

  it("the same new session sent three times at once still makes one session with its messages once", async () => {
    const ws = "ing-concurrent";
    const key = await makeKey(ws);
    const body = sessionBody();
    const results = await Promise.all([1, 2, 3].map(() => post("/api/sessions", key, body)));
    const statuses = results.map((r) => r.status).sort();
    // one creates; the others update (or, having lost a race, are told to retry)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const s of statuses) expect([200, 201, 409]).toContain(s);
    expect(await workspaceSessionCount(ws)).toBe(1);
    const id = (await storedSession(ws, body.externalId))!.id;
    expect(await storedMessageCount(id)).toBe(4);
  });

  it("two creates of one new session that race answer the stored id, and the loser's change still moves the ETag", async () => {
    // Requests through the loopback run one after the other, so the race is staged on the ingest function:
    // both read "no such session" before either writes.
    const ws = "ing-race";
    const key = await makeKey(ws);
    const base = sessionBody({ messages: [] });
    const [a, b] = await Promise.all([
      upsertSessions(db(), ws, [sessionInputSchema.parse({ ...base, title: "first" })]),
      upsertSessions(db(), ws, [sessionInputSchema.parse({ ...base, title: "second" })]),
    ]);
    const stored = (await storedSession(ws, base.externalId))!;
    expect(a![0]!.id).toBe(stored.id);
    expect(b![0]!.id).toBe(stored.id);
    expect([a![0]!.created, b![0]!.created].sort()).toEqual([false, true]);
    expect(await workspaceSessionCount(ws)).toBe(1);

    // a session written once, for comparison: the raced one was written twice, so its ETag differs
    const lone = await ingest(key, sessionBody({ messages: [] }));
    const raced = await getSession(key, stored.id);
    expect(raced.body.title).toBe(stored.title);
    expect(raced.etag).not.toBe((await getSession(key, lone.id)).etag);
  });

  it("a resend with two more messages appends exactly two (and changes the ETag)", async () => {
    const key = await makeKey("ing-more");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const before = await getSession(key, id);
    const more = {
      ...body,
      messages: [...body.messages, { externalId: "m5", role: "user", content: "Still broken." }, { externalId: "m6", role: "assistant", content: "Try this." }],
    };
    const res = await post("/api/sessions", key, more);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, externalId: body.externalId, messageCount: 6, created: false });
    const after = await getSession(key, id);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.messages.slice(0, 4)).toEqual(before.body.messages);
    expect(after.body.messages.slice(4).map((m: any) => [m.seq, m.externalId, m.content])).toEqual([
      [4, "m5", "Still broken."],
      [5, "m6", "Try this."],
    ]);
    expect(await storedMessageCount(id)).toBe(6);
  });

  it("a resend with fewer messages removes none", async () => {
    const key = await makeKey("ing-fewer");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const before = await getSession(key, id);
    const res = await post("/api/sessions", key, { ...body, messages: body.messages.slice(0, 2) });
    expect(res.status).toBe(200);
    expect((await res.json<any>()).messageCount).toBe(4);
    const after = await getSession(key, id);
    expect(after.body.messages).toEqual(before.body.messages);
    expect(after.etag).toBe(before.etag);
    // and with none at all
    await ingest(key, { ...body, messages: [] });
    expect((await getSession(key, id)).body.messages).toEqual(before.body.messages);
  });

  it("a resend updates a message in place by its externalId", async () => {
    const key = await makeKey("ing-update");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const edited = body.messages.map((m: any) => (m.externalId === "m4" ? { ...m, content: "Edited reply." } : m));
    const out = await ingest(key, { ...body, messages: edited });
    expect(out.messageCount).toBe(4);
    const { body: s } = await getSession(key, id);
    expect(s.messages[3]).toMatchObject({ seq: 3, externalId: "m4", content: "Edited reply." });
  });

  it("messages without externalId match by position", async () => {
    const key = await makeKey("ing-position");
    const msgs = [
      { role: "user", content: "one" },
      { role: "assistant", content: "two" },
      { role: "user", content: "three" },
    ];
    const body = sessionBody({ messages: msgs });
    const { id } = await ingest(key, body);
    const before = await getSession(key, id);

    expect((await ingest(key, body)).messageCount).toBe(3);
    expect((await getSession(key, id)).etag).toBe(before.etag);

    const longer = await ingest(key, { ...body, messages: [...msgs, { role: "assistant", content: "four" }] });
    expect(longer.messageCount).toBe(4);
    const edited = await ingest(key, { ...body, messages: [msgs[0], { role: "assistant", content: "two, revised" }] });
    expect(edited.messageCount).toBe(4);
    const { body: s } = await getSession(key, id);
    expect(s.messages.map((m: any) => m.content)).toEqual(["one", "two, revised", "three", "four"]);
    expect(await storedMessageCount(id)).toBe(4);
  });

  it("a resend that omits fields or labels never wipes them", async () => {
    const key = await makeKey("ing-keep");
    const body = sessionBody({ evalReady: true, evalStatus: "correct", evalTags: ["auth"], evalNotes: "n", expectedOutput: "x" });
    const { id } = await ingest(key, body);
    const labelled = await getSession(key, id);
    const { evalReady, evalStatus, evalTags, evalNotes, expectedOutput, title, model, ...bare } = body as any;
    const out = await ingest(key, bare);
    expect(out).toMatchObject({ id, created: false });
    const after = await getSession(key, id);
    expect(after.body).toEqual(labelled.body);
    expect(after.etag).toBe(labelled.etag);
  });

  it("a derived totalTokens follows the stored token counts when a resend gives only some of them", async () => {
    const key = await makeKey("ing-total");
    const body = sessionBody({ promptTokens: 4000, completionTokens: 521 });
    const { id } = await ingest(key, body);
    expect((await getSession(key, id)).body.totalTokens).toBe(4521);

    // a partial resend: promptTokens is left as stored, so the total is 4000 + 600
    const partial = { externalId: body.externalId, completionTokens: 600 };
    await ingest(key, partial);
    const v2 = await getSession(key, id);
    expect(v2.body).toMatchObject({ promptTokens: 4000, completionTokens: 600, totalTokens: 4600 });
    await ingest(key, partial);
    expect((await getSession(key, id)).etag).toBe(v2.etag);

    // an explicit null counts as nothing
    await ingest(key, { externalId: body.externalId, promptTokens: null });
    expect((await getSession(key, id)).body).toMatchObject({ promptTokens: null, completionTokens: 600, totalTokens: 600 });

    // an explicit total wins, and survives resends that do not mention tokens
    await ingest(key, { externalId: body.externalId, totalTokens: 9999 });
    await ingest(key, { externalId: body.externalId, title: "t" });
    expect((await getSession(key, id)).body.totalTokens).toBe(9999);
  });

  it("changing a field updates it and the ETag; the same value again changes nothing", async () => {
    const key = await makeKey("ing-change");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const v1 = await getSession(key, id);
    await ingest(key, { ...body, title: "Renamed" });
    const v2 = await getSession(key, id);
    expect(v2.body.title).toBe("Renamed");
    expect(v2.etag).not.toBe(v1.etag);
    await ingest(key, { ...body, title: "Renamed" });
    expect((await getSession(key, id)).etag).toBe(v2.etag);
  });
});

describe("POST /api/sessions — validation (400, nothing stored)", () => {
  const cases: [string, (b: any) => unknown, string][] = [
    ["missing externalId", ({ externalId, ...b }) => b, "externalId"],
    ["empty externalId", (b) => ({ ...b, externalId: "" }), "externalId"],
    ["promptTokens as a string", (b) => ({ ...b, promptTokens: "4000" }), "promptTokens"],
    ["negative completionTokens", (b) => ({ ...b, completionTokens: -1 }), "completionTokens"],
    ["fractional totalTokens", (b) => ({ ...b, totalTokens: 1.5 }), "totalTokens"],
    ["cost as a string", (b) => ({ ...b, cost: "0.08" }), "cost"],
    ["negative cost", (b) => ({ ...b, cost: -0.01 }), "cost"],
    ["durationMs as a boolean", (b) => ({ ...b, durationMs: true }), "durationMs"],
    ["createdAt not a date", (b) => ({ ...b, createdAt: "yesterday" }), "createdAt"],
    ["createdAt an impossible date", (b) => ({ ...b, createdAt: "2025-02-30" }), "createdAt"],
    ["negative createdAt", (b) => ({ ...b, createdAt: -5 }), "createdAt"],
    ["title as a number", (b) => ({ ...b, title: 7 }), "title"],
    ["messages not a list", (b) => ({ ...b, messages: "hello" }), "messages"],
    ["a null message", (b) => ({ ...b, messages: [null] }), "messages.0"],
    ["unknown role", (b) => ({ ...b, messages: [{ role: "bot", content: "x" }] }), "messages.0.role"],
    ["missing content", (b) => ({ ...b, messages: [{ role: "user" }] }), "messages.0.content"],
    ["null content", (b) => ({ ...b, messages: [{ role: "user", content: null }] }), "messages.0.content"],
    ["negative message tokens", (b) => ({ ...b, messages: [{ role: "assistant", content: "x", promptTokens: -3 }] }), "messages.0.promptTokens"],
    ["message tokens as a string", (b) => ({ ...b, messages: [{ role: "assistant", content: "x", completionTokens: "3" }] }), "messages.0.completionTokens"],
    [
      "toolCalls on a user message",
      (b) => ({ ...b, messages: [{ role: "user", content: "x", toolCalls: [{ id: "c", name: "ls", arguments: {} }] }] }),
      "messages.0.toolCalls",
    ],
    [
      "toolCallId on an assistant message",
      (b) => ({ ...b, messages: [{ role: "user", content: "q" }, { role: "assistant", content: "x", toolCallId: "c" }] }),
      "messages.1.toolCallId",
    ],
    ["reasoning on a user message", (b) => ({ ...b, messages: [{ role: "user", content: "x", reasoning: "hmm" }] }), "messages.0.reasoning"],
    ["toolCalls on a tool message", (b) => ({ ...b, messages: [{ role: "tool", content: "x", toolCallId: "c", toolCalls: [{ name: "ls" }] }] }), "messages.0.toolCalls"],
    ["a tool call without a name", (b) => ({ ...b, messages: [{ role: "assistant", content: "", toolCalls: [{ id: "c" }] }] }), "messages.0.toolCalls.0.name"],
    [
      "tool-call arguments as a number",
      (b) => ({ ...b, messages: [{ role: "assistant", content: "", toolCalls: [{ name: "ls", arguments: 5 }] }] }),
      "messages.0.toolCalls.0.arguments",
    ],
    [
      "two messages with the same externalId",
      (b) => ({ ...b, messages: [{ externalId: "a", role: "user", content: "1" }, { externalId: "a", role: "user", content: "2" }] }),
      "messages.1.externalId",
    ],
    ["evalStatus outside the four", (b) => ({ ...b, evalStatus: "great" }), "evalStatus"],
    ["evalReady as a string", (b) => ({ ...b, evalReady: "true" }), "evalReady"],
    ["a blank tag", (b) => ({ ...b, evalTags: ["ok", "   "] }), "evalTags.1"],
    ["an empty tag", (b) => ({ ...b, evalTags: [""] }), "evalTags.0"],
    ["a 65-character tag", (b) => ({ ...b, evalTags: ["x".repeat(65)] }), "evalTags.0"],
    ["65 tags", (b) => ({ ...b, evalTags: Array.from({ length: 65 }, (_, i) => `t${i}`) }), "evalTags"],
  ];

  it.each(cases.map(([label, mutate, path]) => ({ label, mutate, path })))("$label → 400 naming $path", async ({ mutate, path }) => {
    const ws = "ing-invalid";
    const key = await makeKey(ws);
    const body = mutate(sessionBody()) as { externalId?: string };
    await expectInvalid(await post("/api/sessions", key, body), path);
    if (typeof body.externalId === "string") expect(await storedSession(ws, body.externalId)).toBeUndefined();
  });

  it("64 tags of 64 characters are accepted (the limits are inclusive)", async () => {
    const key = await makeKey("ing-tags-max");
    const tags = Array.from({ length: 64 }, (_, i) => `${String(i).padStart(2, "0")}${"t".repeat(62)}`);
    const { id } = await ingest(key, sessionBody({ evalTags: tags }));
    expect((await getSession(key, id)).body.evalTags).toEqual(tags);
  });

  it("a message over 1 MiB of UTF-8 is a 400 naming its path, counted in bytes not characters", async () => {
    const ws = "ing-big-msg";
    const key = await makeKey(ws);
    // 524,289 two-byte characters: fewer than 1 Mi characters, but 1,048,578 bytes.
    const tooBig = "é".repeat(LIMITS.messageContentBytes / 2 + 1);
    expect(tooBig.length).toBeLessThan(LIMITS.messageContentBytes);
    const body = sessionBody({ messages: [{ role: "user", content: "ok" }, { role: "assistant", content: tooBig }] });
    const err = await expectInvalid(await post("/api/sessions", key, body), "messages.1.content");
    expect(err.error.message).toMatch(/1 MiB|1048576/);
    expect(await storedSession(ws, body.externalId)).toBeUndefined();

    // four-byte characters: 262,145 emoji are 1,048,580 bytes
    const emoji = sessionBody({ messages: [{ role: "user", content: "😀".repeat(LIMITS.messageContentBytes / 4 + 1) }] });
    await expectInvalid(await post("/api/sessions", key, emoji), "messages.0.content");
  });

  it("reasoning or tool calls over 1 MiB, or a message over D1's row size altogether, is a 400 and stores nothing", async () => {
    const ws = "ing-big-row";
    const key = await makeKey(ws);
    const mib = "a".repeat(LIMITS.messageContentBytes);
    const reasoning = sessionBody({ messages: [{ role: "assistant", content: "x", reasoning: mib + "a" }] });
    await expectInvalid(await post("/api/sessions", key, reasoning), "messages.0.reasoning");
    const calls = sessionBody({ messages: [{ role: "assistant", content: "", toolCalls: [{ id: "c", name: "write", arguments: { text: mib } }] }] });
    await expectInvalid(await post("/api/sessions", key, calls), "messages.0.toolCalls");
    // each part within its own 1 MiB, together over the row
    const together = sessionBody({ messages: [{ role: "assistant", content: mib, reasoning: "b".repeat(900_000) }] });
    await expectInvalid(await post("/api/sessions", key, together), "messages.0");
    for (const b of [reasoning, calls, together]) expect(await storedSession(ws, b.externalId)).toBeUndefined();
  });

  it("a message of exactly 1 MiB of UTF-8 is accepted", async () => {
    const key = await makeKey("ing-1mib");
    const exact = utf8Of(LIMITS.messageContentBytes - 4, "a") + "😀"; // 1,048,572 + 4 bytes
    const { id, messageCount } = await ingest(key, sessionBody({ messages: [{ role: "user", content: exact }] }));
    expect(messageCount).toBe(1);
    expect((await getSession(key, id)).body.messages[0].content).toBe(exact);
  });

  it("more than 10,000 messages in one request is a 400 and stores nothing", async () => {
    const ws = "ing-many";
    const key = await makeKey(ws);
    const body = sessionBody({
      messages: Array.from({ length: LIMITS.messagesPerRequest + 1 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` })),
    });
    const err = await expectInvalid(await post("/api/sessions", key, body), "messages");
    expect(err.error.message).toMatch(/10000|10,000/);
    expect(await storedSession(ws, body.externalId)).toBeUndefined();
  });

  it("exactly 10,000 messages in one request are accepted", async () => {
    const key = await makeKey("ing-10k");
    const body = sessionBody({
      messages: Array.from({ length: LIMITS.messagesPerRequest }, (_, i) => ({ externalId: `m${i}`, role: i % 2 ? "assistant" : "user", content: `m${i}` })),
    });
    const out = await ingest(key, body);
    expect(out.messageCount).toBe(10_000);
    expect(await storedMessageCount(out.id)).toBe(10_000);
    const { body: s } = await getSession(key, out.id);
    expect(s.messages[9999]).toMatchObject({ seq: 9999, externalId: "m9999", content: "m9999" });
  });

  it("a body of exactly 10 MiB is accepted and stored whole", async () => {
    const key = await makeKey("ing-10mib");
    const shell = sessionBody({ title: "", messages: Array.from({ length: 10 }, () => ({ role: "user", content: "" })) });
    const room = LIMITS.bodyBytes - JSON.stringify(shell).length;
    const each = Math.floor(room / 10);
    const body = { ...shell, title: "t".repeat(room - each * 10), messages: shell.messages.map(() => ({ role: "user", content: "x".repeat(each) })) };
    const text = JSON.stringify(body);
    expect(new TextEncoder().encode(text).length).toBe(LIMITS.bodyBytes);
    const res = await call("/api/sessions", { method: "POST", key, body: text, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(201);
    const { id } = await res.json<any>();
    const { body: s } = await getSession(key, id);
    expect(s.messages.map((m: any) => m.content.length)).toEqual(Array(10).fill(each));
  });

  it("a body over 10 MiB is a 413 and stores nothing", async () => {
    const ws = "ing-413";
    const key = await makeKey(ws);
    // Eleven messages just under 1 MiB each: every message is valid, only the body is too big.
    const body = sessionBody({ messages: Array.from({ length: 11 }, () => ({ role: "user", content: "x".repeat(1_000_000) })) });
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(LIMITS.bodyBytes);
    await expectError(await call("/api/sessions", { method: "POST", key, body: text, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    expect(await storedSession(ws, body.externalId)).toBeUndefined();
  });

  it("a streamed body (no Content-Length) over 10 MiB is a 413 too", async () => {
    const key = await makeKey("ing-413-stream");
    const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    // Straight into the app: through the loopback, the runtime reports the unread rest of the upload as an
    // uncaught "Network connection lost" once the Worker has answered.
    const req = new Request("http://localhost/api/sessions", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    });
    expect(req.headers.get("content-length")).toBeNull();
    await expectError(await createApp().request(req, undefined, env), 413, "payload_too_large");
  });

  it("malformed JSON is a 400; a body that is not JSON-typed is a 415", async () => {
    const ws = "ing-json";
    const key = await makeKey(ws);
    for (const raw of ['{"externalId": "a",', "", "{'externalId': 'a'}", "nul"]) {
      await expectError(await call("/api/sessions", { method: "POST", key, body: raw, headers: { "content-type": "application/json" } }), 400, "invalid_request");
    }
    const body = JSON.stringify(sessionBody({ externalId: "typed" }));
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      await expectError(await call("/api/sessions", { method: "POST", key, body, headers: { "content-type": type } }), 415, "unsupported_media_type");
    }
    await expectError(await call("/api/sessions", { method: "POST", key, body: new TextEncoder().encode(body) }), 415, "unsupported_media_type");
    expect(await workspaceSessionCount(ws)).toBe(0);
    // a charset parameter is fine
    const ok = await call("/api/sessions", { method: "POST", key, body, headers: { "content-type": "application/json; charset=utf-8" } });
    expect(ok.status).toBe(201);
  });

  it("a JSON body that is not an object is a 400", async () => {
    const key = await makeKey("ing-nonobject");
    for (const raw of ["[]", '"session"', "null", "42"]) {
      const res = await call("/api/sessions", { method: "POST", key, body: raw, headers: { "content-type": "application/json" } });
      await expectError(res, 400, "invalid_request");
    }
  });
});

describe("POST /api/sessions — auth and tenancy", () => {
  it("refuses missing, malformed, unknown and revoked keys (401) and a key without sessions:write (403), storing nothing", async () => {
    const ws = "ing-auth";
    const body = sessionBody();
    await expectKeyRefusals(ws, "sessions:write", (authorization) =>
      call("/api/sessions", { method: "POST", json: body, headers: authorization ? { authorization } : {} }),
    );
    expect(await workspaceSessionCount(ws)).toBe(0);
  });

  it("the same externalId in two workspaces makes two sessions, each seen only by its own workspace", async () => {
    const keyA = await makeKey("ing-ten-a");
    const keyB = await makeKey("ing-ten-b");
    const body = sessionBody();
    const a = await ingest(keyA, body);
    const b = await ingest(keyB, { ...body, title: "B's title", messages: body.messages.slice(0, 1) });
    expect(a.created).toBe(true);
    expect(b.created).toBe(true);
    expect(b.id).not.toBe(a.id);
    expect((await getSession(keyA, a.id)).body).toMatchObject({ title: body.title, messageCount: 4 });
    expect((await getSession(keyB, b.id)).body).toMatchObject({ title: "B's title", messageCount: 1 });
    await expectError(await call(`/api/sessions/${b.id}`, { key: keyA }), 404, "not_found");
    // A's resend still updates A's, not B's
    const again = await ingest(keyA, body);
    expect(again).toMatchObject({ id: a.id, created: false });
    expect(await workspaceSessionCount("ing-ten-a")).toBe(1);
    expect(await workspaceSessionCount("ing-ten-b")).toBe(1);
  });
});
