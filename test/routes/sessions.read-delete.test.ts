import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, sessionTags } from "../../src/db/schema";
import { call, db, ingest, makeKey, sessionBody } from "../helpers";
import { expectError, expectKeyRefusals, getSession, storedMessageCount, workspaceSessionCount } from "./_support";

/** GET /api/sessions/:id (with ETag) and DELETE /api/sessions/:id. */

const UNKNOWN_ID = "ses_00000000000000000000000000";

const TRICKY: Record<string, string> = {
  emoji: "Fix 🐛 in 👩‍💻 flow 🇫🇷 — 😀",
  cjk: "修复登录重定向错误。ログインのリダイレクト。로그인 리디렉션",
  rtl: "תקן את באג ההתחברות — إصلاح خطأ إعادة التوجيه",
  combining: "e\u0301 a\u0308 n\u0303 Z\u0351\u0364\u0300 (NFD stays NFD)",
  crlf: "line one\r\nline two\rline three\nend\r\n",
  quotes: `"double" 'single' \`back\` “curly” ‘curly’`,
  backslashes: "C:\\Users\\me\\app \\n is not a newline \\\\ \\u0041",
  nul: "before\u0000after",
  controls: "\t\b\f\u0001\u001f\u007f",
  json: '{"not":"parsed"}',
  bom: "\uFEFFstarts with a BOM",
  astral: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀀",
};

describe("GET /api/sessions/:id — round trip", () => {
  it("returns every text exactly as sent, byte for byte", async () => {
    const key = await makeKey("get-bytes");
    const entries = Object.entries(TRICKY);
    const body = sessionBody({
      title: entries.map(([, v]) => v).join(" | "),
      projectPath: "/home/me/проект/数据",
      messages: entries.map(([name, content], i) => ({ externalId: `msg-${name}`, role: i % 2 ? "assistant" : "user", content })),
    });
    const { id } = await ingest(key, body);
    const res = await call(`/api/sessions/${id}`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const s = await res.json<any>();
    expect(s.title).toBe(body.title);
    expect(s.projectPath).toBe("/home/me/проект/数据");
    const enc = new TextEncoder();
    for (const [i, [name, content]] of entries.entries()) {
      const got = s.messages[i];
      expect(got.externalId).toBe(`msg-${name}`);
      expect(got.content, name).toBe(content);
      expect(enc.encode(got.content), name).toEqual(enc.encode(content));
    }
  });

  it("round-trips a 900 KB message exactly", async () => {
    const key = await makeKey("get-900k");
    // ~900 KB of mixed one-to-four-byte UTF-8 with newlines and quotes
    const unit = 'const s = "héllo 世界 🌍";\r\n';
    const big = unit.repeat(Math.floor(900_000 / new TextEncoder().encode(unit).length));
    expect(new TextEncoder().encode(big).length).toBeGreaterThan(890_000);
    const { id } = await ingest(key, sessionBody({ messages: [{ role: "user", content: "read it" }, { role: "tool", toolCallId: "c", content: big }] }));
    const { body: s } = await getSession(key, id);
    expect(s.messages[1].content.length).toBe(big.length);
    expect(s.messages[1].content === big).toBe(true);
  });

  it("returns tool-call arguments as sent: an object stays an object, a string stays a string", async () => {
    const key = await makeKey("get-args");
    const objectArgs = { path: "src/a.ts", lines: [1, 2, 3], opts: { recursive: true, depth: null, ratio: 0.5, note: "ünï 😀" }, "key with space": "" };
    const toolCalls = [
      { id: "c1", name: "read_file", arguments: objectArgs },
      { id: "c2", name: "grep", arguments: '{"pattern":"a\\\\b","flags":"i"}' },
      { id: "c3", name: "bash", arguments: "not json at all {" },
      { id: "c4", name: "noop", arguments: {} },
      { id: "c5", name: "empty", arguments: "" },
      { name: "no_id_no_args" },
    ];
    const { id } = await ingest(
      key,
      sessionBody({
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: "", toolCalls, reasoning: "I should read the file first.\nThen grep." },
          { role: "tool", toolCallId: "c1", toolName: "read_file", content: "file body" },
        ],
      }),
    );
    const { body: s } = await getSession(key, id);
    expect(s.messages[1].toolCalls).toEqual(toolCalls);
    expect(typeof s.messages[1].toolCalls[0].arguments).toBe("object");
    expect(typeof s.messages[1].toolCalls[1].arguments).toBe("string");
    expect(s.messages[1].toolCalls[1].arguments).toBe('{"pattern":"a\\\\b","flags":"i"}');
    expect(s.messages[1].reasoning).toBe("I should read the file first.\nThen grep.");
    expect(s.messages[0]).toMatchObject({ toolCalls: null, reasoning: null, toolCallId: null });
    expect(s.messages[2]).toMatchObject({ toolCallId: "c1", toolName: "read_file" });
  });

  it("returns the full session shape with messages in conversation order", async () => {
    const key = await makeKey("get-shape");
    const body = sessionBody({
      messages: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "q", createdAt: 1764147600000 },
        { role: "assistant", content: "a", model: "m-1", promptTokens: 10, completionTokens: 2 },
      ],
    });
    const { id } = await ingest(key, body);
    const { body: s } = await getSession(key, id);
    expect(s.messages).toEqual([
      { seq: 0, externalId: null, role: "system", content: "You are helpful.", toolCalls: null, toolCallId: null, toolName: null, reasoning: null, model: null, promptTokens: null, completionTokens: null, createdAt: null },
      { seq: 1, externalId: null, role: "user", content: "q", toolCalls: null, toolCallId: null, toolName: null, reasoning: null, model: null, promptTokens: null, completionTokens: null, createdAt: 1764147600000 },
      { seq: 2, externalId: null, role: "assistant", content: "a", toolCalls: null, toolCallId: null, toolName: null, reasoning: null, model: "m-1", promptTokens: 10, completionTokens: 2, createdAt: null },
    ]);
  });
});

describe("GET /api/sessions/:id — ETag", () => {
  it("sends a strong ETag that survives identical resends and changes with any change", async () => {
    const key = await makeKey("get-etag");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const e1 = (await getSession(key, id)).etag!;
    expect(e1).toMatch(/^"[^"]+"$/);
    expect((await getSession(key, id)).etag).toBe(e1);
    await ingest(key, body);
    expect((await getSession(key, id)).etag).toBe(e1);

    await ingest(key, { ...body, cost: 0.09 });
    const e2 = (await getSession(key, id)).etag!;
    expect(e2).not.toBe(e1);

    await call(`/api/sessions/${id}/messages`, { method: "POST", key, json: { messages: [{ role: "user", content: "more" }] } });
    const e3 = (await getSession(key, id)).etag!;
    expect([e1, e2]).not.toContain(e3);

    await ingest(key, { ...body, cost: 0.09, messages: body.messages.map((m: any, i: number) => (i === 0 ? { ...m, content: "edited" } : m)) });
    const e4 = (await getSession(key, id)).etag!;
    expect([e1, e2, e3]).not.toContain(e4);

    await ingest(key, { ...body, cost: 0.09, evalTags: ["x"] });
    expect([e1, e2, e3, e4]).not.toContain((await getSession(key, id)).etag);
  });
});

describe("GET /api/sessions/:id — errors, auth and tenancy", () => {
  it("an unknown id is a 404 not_found", async () => {
    const key = await makeKey("get-404");
    const body = await expectError(await call(`/api/sessions/${UNKNOWN_ID}`, { key }), 404, "not_found");
    expect(body.error.details).toBeUndefined();
    await expectError(await call("/api/sessions/anything-at-all", { key }), 404, "not_found");
  });

  it("an id longer than any real id is a 400 naming id", async () => {
    const key = await makeKey("get-long");
    const res = await call(`/api/sessions/${"x".repeat(129)}`, { key });
    const body = await expectError(res, 400, "invalid_request");
    expect(body.error.details!.map((d) => d.path)).toContain("id");
  });

  it("refuses bad keys (401) and a key without sessions:read (403)", async () => {
    const key = await makeKey("get-auth");
    const { id } = await ingest(key);
    await expectKeyRefusals("get-auth", "sessions:read", (authorization) => call(`/api/sessions/${id}`, { headers: authorization ? { authorization } : {} }));
  });

  it("another workspace's session id answers 404 exactly like an unknown id (status, body, no ETag)", async () => {
    const keyA = await makeKey("get-ten-a");
    const keyB = await makeKey("get-ten-b");
    const { id: idB } = await ingest(keyB);
    const foreign = await call(`/api/sessions/${idB}`, { key: keyA });
    const unknown = await call(`/api/sessions/${UNKNOWN_ID}`, { key: keyA });
    expect(foreign.headers.get("etag")).toBeNull();
    expect(unknown.headers.get("etag")).toBeNull();
    expect(await expectError(foreign, 404, "not_found")).toEqual(await expectError(unknown, 404, "not_found"));
    expect((await getSession(keyB, idB)).body.id).toBe(idB);
  });
});

describe("DELETE /api/sessions/:id", () => {
  it("answers 204 with no body; the session, its messages and tags are gone", async () => {
    const ws = "del-happy";
    const key = await makeKey(ws);
    const keep = await ingest(key);
    const body = sessionBody({ evalTags: ["a", "b"] });
    const { id } = await ingest(key, body);
    const res = await call(`/api/sessions/${id}`, { method: "DELETE", key });
    expect(res.status).toBe(204);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.text()).toBe("");
    await expectError(await call(`/api/sessions/${id}`, { key }), 404, "not_found");
    expect((await call("/api/sessions", { key }).then((r) => r.json<any>())).sessions.map((s: any) => s.id)).toEqual([keep.id]);
    expect(await storedMessageCount(id)).toBe(0);
    expect(await db().select().from(sessionTags).where(eq(sessionTags.sessionId, id))).toEqual([]);
    expect(await storedMessageCount(keep.id)).toBe(4);
    expect(await workspaceSessionCount(ws)).toBe(1);
  });

  it("deleting again is a 404; re-ingesting the externalId creates a new session", async () => {
    const key = await makeKey("del-again");
    const body = sessionBody();
    const { id } = await ingest(key, body);
    expect((await call(`/api/sessions/${id}`, { method: "DELETE", key })).status).toBe(204);
    await expectError(await call(`/api/sessions/${id}`, { method: "DELETE", key }), 404, "not_found");
    const again = await ingest(key, body);
    expect(again).toMatchObject({ created: true, messageCount: 4 });
    expect(again.id).not.toBe(id);
    // appending to the deleted id is a 404 too
    await expectError(
      await call(`/api/sessions/${id}/messages`, { method: "POST", key, json: { messages: [{ role: "user", content: "x" }] } }),
      404,
      "not_found",
    );
  });

  it("refuses bad keys (401) and a key without sessions:write (403), deleting nothing", async () => {
    const ws = "del-auth";
    const key = await makeKey(ws);
    const { id } = await ingest(key);
    await expectKeyRefusals(ws, "sessions:write", (authorization) =>
      call(`/api/sessions/${id}`, { method: "DELETE", headers: authorization ? { authorization } : {} }),
    );
    expect((await getSession(key, id)).body.messageCount).toBe(4);
  });

  it("another workspace's session id answers 404 exactly like an unknown id, and deletes nothing", async () => {
    const keyA = await makeKey("del-ten-a");
    const keyB = await makeKey("del-ten-b");
    const { id: idB } = await ingest(keyB);
    const foreign = await expectError(await call(`/api/sessions/${idB}`, { method: "DELETE", key: keyA }), 404, "not_found");
    const unknown = await expectError(await call(`/api/sessions/${UNKNOWN_ID}`, { method: "DELETE", key: keyA }), 404, "not_found");
    expect(foreign).toEqual(unknown);
    expect((await getSession(keyB, idB)).body.messageCount).toBe(4);
    expect(await storedMessageCount(idB)).toBe(4);
    expect(await db().select({ seq: messages.seq }).from(messages).where(eq(messages.sessionId, idB))).toHaveLength(4);
  });
});
