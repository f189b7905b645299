import { beforeAll, describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { readSession, sync } from "./_support";
import { claudeCodeSync, droidSync, piOpensync, uid } from "./plugin-payloads";

const WS = "sync-batch";
let key: string;
beforeAll(async () => {
  key = await makeKey(WS);
});

interface BatchAnswer {
  ok: boolean;
  sessions: number;
  messages: number;
  errors: { index: number; kind: string; message: string }[];
}

describe("POST /sync/batch", () => {
  it("droid-sync's Stop: session then its new messages (texts and separate tool messages), in order", async () => {
    const sid = uid("droid");
    await sync("/sync/session", key, droidSync.session(sid));
    const res = await sync<BatchAnswer>("/sync/batch", key, {
      sessions: [],
      messages: [
        droidSync.text(sid, "m1", "user", "move the invoice totals into one module"),
        droidSync.text(sid, "m2", "assistant", "I'll search for the totals first."),
        droidSync.tool(sid, "m2", "call_a", "Grep", { pattern: "invoiceTotal" }),
        droidSync.tool(sid, "m2", "call_b", "Read", { path: "billing.ts" }, "export function invoiceTotal() {}"),
      ],
    });
    expect(res).toEqual({ ok: true, sessions: 0, messages: 4, errors: [] });
    const s = await readSession(key, WS, sid);
    expect(s.messages.map((m) => [m.role, m.externalId, m.toolCallId])).toEqual([
      ["user", "m1", null],
      ["assistant", "m2", null],
      ["assistant", "m2-tool-call_a", null],
      ["assistant", "m2-tool-call_b", null],
      ["tool", "m2-tool-call_b#result-0", "m2-tool-call_b"],
    ]);
    expect(s.messages[2]!.toolCalls).toEqual([{ id: "m2-tool-call_a", name: "Grep", arguments: { pattern: "invoiceTotal" } }]);
  });

  it("sessions and messages of several sessions in one batch; sessions applied first", async () => {
    const a = uid("a");
    const b = uid("b");
    const res = await sync<BatchAnswer>("/sync/batch", key, {
      messages: [piOpensync.user(a, 1, "first", 1764147600000), piOpensync.user(b, 1, "other", 1764147600000), piOpensync.user(a, 2, "second", 1764147601000)],
      sessions: [piOpensync.session(a, "Session A"), piOpensync.session(b, "Session B")],
    });
    expect(res).toEqual({ ok: true, sessions: 2, messages: 3, errors: [] });
    expect(await readSession(key, WS, a)).toMatchObject({ title: "Session A", source: "pi", messageCount: 2 });
    expect((await readSession(key, WS, a)).messages.map((m) => m.content)).toEqual(["first", "second"]);
    expect(await readSession(key, WS, b)).toMatchObject({ title: "Session B", messageCount: 1 });
  });

  it("bad items are reported as {index, kind, message} and the good ones still applied", async () => {
    const sid = uid("mixed");
    const res = await sync<BatchAnswer>("/sync/batch", key, {
      sessions: [{ title: "no id" }, claudeCodeSync.sessionStart(sid), { externalId: uid("neg"), cost: -1 }],
      messages: [
        claudeCodeSync.userPrompt(sid, "ok one"),
        { sessionExternalId: sid, externalId: "x", role: "robot" },
        { sessionExternalId: sid, role: "user", textContent: "no id" },
        claudeCodeSync.assistantText(sid, "u1", "ok two"),
      ],
    });
    expect(res.ok).toBe(true);
    expect(res.sessions).toBe(1);
    expect(res.messages).toBe(2);
    expect(res.errors.map((e) => [e.kind, e.index])).toEqual([["session", 0], ["session", 2], ["message", 1], ["message", 2]]);
    for (const e of res.errors) expect(e.message.length).toBeGreaterThan(0);
    expect(res.errors[0]!.message).toMatch(/externalId/);
    expect(res.errors[2]!.message).toMatch(/role/);
    expect((await readSession(key, WS, sid)).messages.map((m) => m.content)).toEqual(["ok one", "ok two"]);
  });

  it("the same session twice in one batch folds into one update; the slug rule still holds", async () => {
    const sid = uid("twice");
    const res = await sync<BatchAnswer>("/sync/batch", key, {
      sessions: [claudeCodeSync.firstPromptTitle(sid, "Cache the price lookups"), claudeCodeSync.sessionEnd(sid, "lucky-amber-fox", { input: 10, output: 2 })],
    });
    expect(res).toMatchObject({ sessions: 2, errors: [] });
    expect(await readSession(key, WS, sid)).toMatchObject({ title: "Cache the price lookups", promptTokens: 10, completionTokens: 2 });
  });

  it("the same message twice in one batch is stored once", async () => {
    const sid = uid("dup");
    const res = await sync<BatchAnswer>("/sync/batch", key, {
      messages: [claudeCodeSync.assistantText(sid, "u1", "draft"), claudeCodeSync.assistantText(sid, "u1", "final")],
    });
    expect(res).toMatchObject({ messages: 2, errors: [] });
    expect((await readSession(key, WS, sid)).messages.map((m) => m.content)).toEqual(["final"]);
  });

  it("an empty batch is fine; a batch whose lists are not arrays is a 400", async () => {
    expect(await sync<BatchAnswer>("/sync/batch", key, {})).toEqual({ ok: true, sessions: 0, messages: 0, errors: [] });
    const bad = await sync<{ error: { details: { path: string }[] } }>("/sync/batch", key, { sessions: "nope" }, 400);
    expect(bad.error.details.map((d) => d.path)).toContain("sessions");
  });
});

describe("GET /sync/sessions/list", () => {
  it("lists the externalIds of the key's workspace only", async () => {
    const mine = uid("mine");
    await sync("/sync/session", key, { externalId: mine, source: "claude-code" });
    const otherKey = await makeKey("sync-batch-other");
    const theirs = uid("theirs");
    await sync("/sync/session", otherKey, { externalId: theirs });
    const res = await call("/sync/sessions/list", { key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sessionIds: string[] };
    expect(Object.keys(body)).toEqual(["sessionIds"]);
    expect(body.sessionIds).toContain(mine);
    expect(body.sessionIds).not.toContain(theirs);
    const other = (await (await call("/sync/sessions/list", { key: otherKey })).json()) as { sessionIds: string[] };
    expect(other.sessionIds).toEqual([theirs]);
  });
});
