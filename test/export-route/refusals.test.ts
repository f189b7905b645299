import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/db/schema";
import { call, makeKey, sessionBody } from "../helpers";
import { bodyText, CONTENT_TYPES, exportCall, expectError, expectInvalid, FORMATS, paramOf, ingestMany, readyBody, workspaceKey } from "./support";

let key: string;
let ws: string;
let sessionId: string;
let otherWorkspaceSession: string;

beforeAll(async () => {
  ({ ws, key } = await workspaceKey("ref"));
  sessionId = (await ingestMany(key, [readyBody()]))[0]!;
  otherWorkspaceSession = (await ingestMany((await workspaceKey("ref-other")).key, [readyBody()]))[0]!;
});

describe("invalid parameters answer 400 before any byte of a dataset", () => {
  const cases: [query: string, path: string][] = [
    ["format=xml", "format"],
    ["format=DEEPEVAL", "format"],
    ["format=", "format"],
    ["format=openai&format=text", "format"],
    ["status=great", "status"],
    ["status=golden,great", "status"],
    ["status=golden&status=great", "status"],
    ["limit=0", "limit"],
    ["limit=1000001", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=-1", "limit"],
    ["limit=", "limit"],
    ["limit=1&limit=2", "limit"],
    ["tag=", "tag"],
    ["tag=%20%20", "tag"],
    ["tag=auth&tag=", "tag"],
    [`tag=${"x".repeat(65)}`, "tag"],
    [Array.from({ length: 21 }, (_, i) => `tag=t${i}`).join("&"), "tag"],
    ["id=", "id"],
    ["after=", "after"],
    ["after=ses_unknown", "after"],
  ];

  it.each(cases)("%s", async (query, path) => {
    await expectInvalid(await exportCall(key, query), path);
  });

  it("an unknown parameter, named in details", async () => {
    const body = await expectInvalid(await exportCall(key, "format=openai&formats=text"), "formats");
    expect(body.error.message).toContain("formats");
    await expectInvalid(await exportCall(key, "ids=ses_1"), "ids");
  });

  it("after= naming another workspace's session, as for an unknown id", async () => {
    const res = await exportCall(key, `after=${otherWorkspaceSession}`);
    const body = await expectInvalid(res, "after");
    const unknown = await expectInvalid(await exportCall(key, "after=ses_01ZZZZZZZZZZZZZZZZZZZZZZZZ"), "after");
    expect(body.error.message).toBe(unknown.error.message);
  });

  it("501 ids; 500 are fine", async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `id=ses_${i}`);
    await expectInvalid(await exportCall(key, ids.join("&")), "id");
    const ok = await exportCall(key, ids.slice(0, 500).join("&"));
    expect(ok.status).toBe(200);
    expect(await bodyText(ok)).toBe("[]");
  });

  it("several bad parameters are all named", async () => {
    const body = await expectError(await exportCall(key, "format=xml&limit=0&status=great"), 400, "invalid_request");
    expect((body.error.details ?? []).map((d) => paramOf(d.path)).sort()).toEqual(["format", "limit", "status"]);
  });
});

describe("keys", () => {
  it("no key, a malformed or an unknown key: 401", async () => {
    await expectError(await exportCall(undefined), 401, "unauthorized");
    await expectError(await exportCall(undefined, "format=xml"), 401, "unauthorized");
    await expectError(await call("/api/export", { headers: { authorization: "Bearer nope" } }), 401, "unauthorized");
    await expectError(await exportCall(`osk_${"A".repeat(40)}`), 401, "unauthorized");
  });

  it("a key without export:read: 403, also with otherwise bad parameters", async () => {
    const lacking = await makeKey(ws, SCOPES.filter((s) => s !== "export:read"));
    await expectError(await exportCall(lacking), 403, "forbidden");
    await expectError(await exportCall(lacking, "format=xml"), 403, "forbidden");
  });

  it("a key with only export:read exports", async () => {
    const only = await makeKey(ws, ["export:read"]);
    const res = await exportCall(only, "format=openai");
    expect(res.status).toBe(200);
    expect(await bodyText(res)).toContain("redirect loop");
  });

  it("export is GET only", async () => {
    const res = await call("/api/export", { method: "POST", key, json: {} });
    await expectError(res, 405, "method_not_allowed");
  });
});

describe("an export with nothing to hold", () => {
  const emptyBody: Record<string, string> = { deepeval: "[]", "deepeval-jsonl": "", openai: "", text: "" };

  it.each(FORMATS)("%s: 200, its headers, X-Export-Sessions 0 and the empty dataset", async (format) => {
    const { key: empty } = await workspaceKey("empty");
    // Sessions exist, but none is eval-ready.
    await ingestMany(empty, [sessionBody(), sessionBody()]);
    const res = await exportCall(empty, `format=${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(CONTENT_TYPES[format]);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="evalport-${format}-\\d{4}-\\d{2}-\\d{2}\\.`));
    expect(res.headers.get("x-export-sessions")).toBe("0");
    expect(await bodyText(res)).toBe(emptyBody[format]);
  });

  it("filters that match nothing give the same empty dataset", async () => {
    for (const [query, body] of [
      ["status=incorrect", "[]"],
      ["tag=none", "[]"],
      [`after=${sessionId}`, "[]"],
      ["format=openai&status=incorrect", ""],
      ["format=text&tag=none", ""],
    ] as const) {
      const res = await exportCall(key, query);
      expect(res.status, query).toBe(200);
      expect(res.headers.get("x-export-sessions")).toBe("0");
      expect(await bodyText(res)).toBe(body);
    }
  });

  it("sessions that emit nothing in a format give its empty dataset, while X-Export-Sessions counts them", async () => {
    const { key: k } = await workspaceKey("silent");
    await ingestMany(k, [readyBody({ messages: [{ role: "user", content: "hello?" }] }), readyBody({ messages: [] })]);
    for (const [format, body] of [
      ["deepeval", "[]"],
      ["deepeval-jsonl", ""],
      ["openai", ""],
    ] as const) {
      const res = await exportCall(k, `format=${format}`);
      expect(res.headers.get("x-export-sessions")).toBe("2");
      expect(await bodyText(res)).toBe(body);
    }
    const text = await bodyText(await exportCall(k, "format=text"));
    expect(text.match(/^## Session: /gm)).toHaveLength(2);
  });
});
