import { beforeAll, describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { expectError } from "../routes/_support";
import { readSession, sync } from "./_support";
import { claudeCodeSync, uid } from "./plugin-payloads";

const WS = "sync-sec";
let key: string;
beforeAll(async () => {
  key = await makeKey(WS);
});

const POSTS: [string, (sid: string) => unknown][] = [
  ["/sync/session", (sid) => claudeCodeSync.sessionStart(sid)],
  ["/sync/message", (sid) => claudeCodeSync.userPrompt(sid, "hi")],
  ["/sync/batch", (sid) => ({ sessions: [claudeCodeSync.sessionStart(sid)], messages: [] })],
];

describe("sync routes: security", () => {
  for (const [path, body] of POSTS) {
    it(`${path}: no key or an unknown key is a JSON 401; a read-only key is a JSON 403; nothing stored`, async () => {
      const sid = uid("sec");
      await expectError(await call(path, { method: "POST", json: body(sid) }), 401, "unauthorized");
      await expectError(await call(path, { method: "POST", key: "osk_" + "x".repeat(40), json: body(sid) }), 401, "unauthorized");
      const readOnly = await makeKey(WS, ["sessions:read"]);
      await expectError(await call(path, { method: "POST", key: readOnly, json: body(sid) }), 403, "forbidden");
      const list = (await (await call("/sync/sessions/list", { key })).json()) as { sessionIds: string[] };
      expect(list.sessionIds).not.toContain(sid);
    });
  }

  it("/sync/sessions/list needs sessions:read", async () => {
    await expectError(await call("/sync/sessions/list"), 401, "unauthorized");
    const writeOnly = await makeKey(WS, ["sessions:write"]);
    await expectError(await call("/sync/sessions/list", { key: writeOnly }), 403, "forbidden");
  });

  it("another workspace's session with the same externalId is invisible and untouched", async () => {
    const sid = uid("shared");
    const other = await makeKey("sync-sec-other");
    await sync("/sync/session", other, { ...claudeCodeSync.sessionStart(sid), title: "Theirs" });
    await sync("/sync/message", other, claudeCodeSync.userPrompt(sid, "their prompt"));
    const mine = await sync<{ sessionId: string }>("/sync/session", key, { ...claudeCodeSync.sessionStart(sid), title: "Mine" });
    await sync("/sync/message", key, claudeCodeSync.userPrompt(sid, "my prompt"));
    const theirs = await readSession(other, "sync-sec-other", sid);
    expect(theirs.id).not.toBe(mine.sessionId);
    expect(theirs).toMatchObject({ title: "Theirs", messageCount: 1 });
    expect(theirs.messages[0]!.content).toBe("their prompt");
    // Their session id through my key is a 404, like an unknown one.
    await expectError(await call(`/api/sessions/${theirs.id}`, { key }), 404, "not_found");
    expect((await readSession(key, WS, sid)).messages.map((m) => m.content)).toEqual(["my prompt"]);
  });

  it("a body that is not JSON is a JSON 415 / 400, an unknown sync path a JSON 404, a wrong method a JSON 405", async () => {
    await expectError(await call("/sync/session", { method: "POST", key, body: "x", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    await expectError(await call("/sync/message", { method: "POST", key, body: "{not json", headers: { "content-type": "application/json" } }), 400, "invalid_request");
    await expectError(await call("/sync/nothing", { method: "POST", key, json: {} }), 404, "not_found");
    await expectError(await call("/sync/session", { key }), 405, "method_not_allowed");
  });

  it("a body over 10 MiB is a JSON 413", async () => {
    const big = JSON.stringify({ sessions: [], messages: [{ sessionExternalId: "s", externalId: "m", role: "user", textContent: "x".repeat(10 * 1024 * 1024 + 10) }] });
    await expectError(await call("/sync/batch", { method: "POST", key, body: big, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
  });
});
