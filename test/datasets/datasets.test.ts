import { beforeAll, describe, expect, it } from "vitest";
import { splitOf } from "../../src/export/split";
import { call, makeKey } from "../helpers";
import { bodyText, expectError, expectInvalid, ingestMany, jsonLines, readyBody, workspaceKey, type Json } from "../export-route/support";

const FORMATS = ["deepeval", "deepeval-jsonl", "deepeval-conversational", "openai", "promptfoo", "text"] as const;

const create = (key: string | undefined, json: unknown) => call("/api/datasets", { method: "POST", key, json });
const exportOf = (key: string | undefined, id: string, query = "") => call(`/api/datasets/${id}/export${query ? `?${query}` : ""}`, { key });

async function createOk(key: string, json: Record<string, unknown>): Promise<Json> {
  const res = await create(key, json);
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as Json;
}

async function exportText(key: string, id: string, query = ""): Promise<{ res: Response; body: string }> {
  const res = await exportOf(key, id, query);
  const body = await bodyText(res);
  expect(res.status, body.slice(0, 300)).toBe(200);
  return { res, body };
}

/** Sessions with two exchanges, tool calls, notes and an expected output: every format has something to show. */
function labelled(i: number) {
  return readyBody({
    title: `Session ${i}`,
    evalNotes: `note ${i}`,
    expectedOutput: `gold ${i}`,
    evalTags: ["auth"],
    createdAt: 1_760_000_000_000 + i * 1000,
    messages: [
      { externalId: "m1", role: "system", content: "be brief" },
      { externalId: "m2", role: "user", content: `q${i}` },
      { externalId: "m3", role: "assistant", content: "", toolCalls: [{ id: "c1", name: "read_file", arguments: { path: "a.ts" } }] },
      { externalId: "m4", role: "tool", toolCallId: "c1", content: `file ${i}` },
      { externalId: "m5", role: "assistant", content: `a${i}` },
      { externalId: "m6", role: "user", content: `q${i} again` },
      { externalId: "m7", role: "assistant", content: `a${i} again` },
    ],
  });
}

describe("a frozen dataset's export", () => {
  let key: string;
  let ids: string[];
  let datasetId: string;
  const before: Record<string, string> = {};

  beforeAll(async () => {
    ({ key } = await workspaceKey("ds"));
    ids = await ingestMany(key, Array.from({ length: 5 }, (_, i) => labelled(i)));
    const ds = await createOk(key, { name: "regression set", description: "five sessions", tag: ["auth"] });
    expect(ds).toMatchObject({ name: "regression set", description: "five sessions", sessionCount: 5, filters: { tag: ["auth"] } });
    datasetId = ds.id as string;
    for (const f of FORMATS) before[f] = (await exportText(key, datasetId, `format=${f}`)).body;
  });

  it("is byte-identical after relabel, append and unmark, in every format", async () => {
    const patch = await call(`/api/sessions/${ids[0]}/eval`, {
      method: "PATCH",
      key,
      json: { evalStatus: "incorrect", evalTags: ["other"], evalNotes: "changed", expectedOutput: "new gold" },
    });
    expect(patch.status, await patch.text()).toBe(200);
    const append = await call(`/api/sessions/${ids[1]}/messages`, {
      method: "POST",
      key,
      json: { messages: [{ externalId: "m8", role: "user", content: "later" }, { externalId: "m9", role: "assistant", content: "later reply" }] },
    });
    expect(append.status, await append.text()).toBe(200);
    const unmark = await call("/api/evals/ready", { method: "POST", key, json: { sessionIds: [ids[2]], ready: false } });
    expect(unmark.status).toBe(200);
    // The live export did change, so the dataset's sameness is not an accident of the test.
    const live = await bodyText(await call("/api/export?format=deepeval-jsonl", { key }));
    expect(live).not.toBe(before["deepeval-jsonl"]);
    for (const f of FORMATS) {
      const { res, body } = await exportText(key, datasetId, `format=${f}`);
      expect(body, f).toBe(before[f]);
      expect(res.headers.get("x-export-sessions")).toBe("5");
    }
  });

  it("leaves out a session deleted since, and only it", async () => {
    const del = await call(`/api/sessions/${ids[3]}`, { method: "DELETE", key });
    expect(del.status).toBe(204);
    const { res, body } = await exportText(key, datasetId, "format=deepeval-jsonl");
    expect(res.headers.get("x-export-sessions")).toBe("4");
    const expected = jsonLines(before["deepeval-jsonl"]!).filter((c) => c.additional_metadata.session_id !== ids[3]);
    expect(jsonLines(body)).toEqual(expected);
    const got = (await (await call(`/api/datasets/${datasetId}`, { key })).json()) as Json;
    expect(got.sessionIds).toEqual(ids.filter((id) => id !== ids[3]));
    const name = res.headers.get("content-disposition") ?? "";
    expect(name).toMatch(/^attachment; filename="evalport-regression_set-deepeval-jsonl-\d{4}-\d{2}-\d{2}\.jsonl"$/);
  });

  it("pages with limit and after like the live export", async () => {
    const first = await exportText(key, datasetId, "format=openai&limit=2");
    const last = first.res.headers.get("x-export-last-session")!;
    expect(first.res.headers.get("x-export-first-session")).toBe(ids[0]);
    const rest = await exportText(key, datasetId, `format=openai&after=${last}`);
    const all = await exportText(key, datasetId, "format=openai");
    expect(first.body + rest.body).toBe(all.body);
  });
});

describe("datasets: create, list, read, delete", () => {
  it("lists newest first and deletes", async () => {
    const { key } = await workspaceKey("dsl");
    await ingestMany(key, [labelled(1), labelled(2)]);
    const a = await createOk(key, { name: "a" });
    const b = await createOk(key, { name: "b", status: ["golden"] });
    const list = (await (await call("/api/datasets", { key })).json()) as { datasets: Json[] };
    expect(list.datasets.map((d) => d.id)).toEqual([b.id, a.id]);
    expect(list.datasets[0]).toEqual({ id: b.id, name: "b", description: null, sessionCount: 2, createdAt: b.createdAt, filters: { status: ["golden"] } });
    expect((await call(`/api/datasets/${a.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectError(await call(`/api/datasets/${a.id}`, { key }), 404, "not_found");
    await expectError(await call(`/api/datasets/${a.id}`, { method: "DELETE", key }), 404, "not_found");
  });

  it("freezes only eval-ready sessions matching the filters; an empty dataset exports as empty", async () => {
    const { key } = await workspaceKey("dsf");
    const ids = await ingestMany(key, [labelled(1), readyBody({ evalStatus: "incorrect" }), readyBody({ evalReady: false })]);
    const golden = await createOk(key, { name: "g", status: ["golden"] });
    expect(golden.sessionCount).toBe(1);
    expect(((await (await call(`/api/datasets/${golden.id}`, { key })).json()) as Json).sessionIds).toEqual([ids[0]]);
    const none = await createOk(key, { name: "n", tag: ["nope"] });
    expect(none.sessionCount).toBe(0);
    expect((await exportText(key, none.id as string)).body).toBe("[]");
    expect((await exportText(key, none.id as string, "format=openai")).body).toBe("");
  });

  it("freezes one side of a split, and every record names it", async () => {
    const { key } = await workspaceKey("dss");
    const ids = await ingestMany(key, Array.from({ length: 30 }, (_, i) => labelled(i)));
    const ds = await createOk(key, { name: "test side", split: "test", testFraction: 0.5, seed: "s1" });
    expect(ds.filters).toEqual({ split: "test", testFraction: 0.5, seed: "s1" });
    const expected: string[] = [];
    for (const id of ids) if ((await splitOf(id, 0.5, "s1")) === "test") expected.push(id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);
    const got = (await (await call(`/api/datasets/${ds.id}`, { key })).json()) as Json;
    expect(got.sessionIds).toEqual(expected);
    const cases = jsonLines((await exportText(key, ds.id as string, "format=deepeval-jsonl")).body);
    expect(new Set(cases.map((c) => c.additional_metadata.split))).toEqual(new Set(["test"]));
  });
});

describe("datasets: bad requests change nothing", () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await workspaceKey("dsb"));
  });

  it.each([
    [{}, "name"],
    [{ name: "  " }, "name"],
    [{ name: "x", status: ["gold"] }, "status"],
    [{ name: "x", testFraction: 0.3 }, "testFraction"],
    [{ name: "x", split: "test", testFraction: 1 }, "testFraction"],
    [{ name: "x", split: "validation" }, "split"],
    [{ name: "x", id: Array.from({ length: 501 }, (_, i) => `ses_${i}`) }, "id"],
  ])("%j → 400 naming %s", async (body, field) => {
    await expectInvalid(await create(key, body), field);
    const list = (await (await call("/api/datasets", { key })).json()) as { datasets: Json[] };
    expect(list.datasets).toEqual([]);
  });

  it("an unknown field is a 400", async () => {
    const res = await create(key, { name: "x", formats: "openai" });
    expect(res.status).toBe(400);
  });

  it("export parameters are checked before any byte", async () => {
    await ingestMany(key, [labelled(1)]);
    const ds = await createOk(key, { name: "p" });
    await expectInvalid(await exportOf(key, ds.id as string, "format=csv"), "format");
    await expectInvalid(await exportOf(key, ds.id as string, "contextMessages=100001"), "contextMessages");
    await expectInvalid(await exportOf(key, ds.id as string, "redact=everything"), "redact");
    await expectInvalid(await exportOf(key, ds.id as string, "status=golden"), "status");
    await expectInvalid(await exportOf(key, ds.id as string, "after=ses_unknown"), "after");
  });
});

describe("datasets: keys and workspaces", () => {
  let key: string;
  let datasetId: string;
  beforeAll(async () => {
    ({ key } = await workspaceKey("dsk"));
    await ingestMany(key, [labelled(1)]);
    datasetId = (await createOk(key, { name: "mine" })).id as string;
  });

  it("no key: 401 on every route", async () => {
    await expectError(await create(undefined, { name: "x" }), 401, "unauthorized");
    await expectError(await call("/api/datasets"), 401, "unauthorized");
    await expectError(await call(`/api/datasets/${datasetId}`), 401, "unauthorized");
    await expectError(await exportOf(undefined, datasetId), 401, "unauthorized");
    await expectError(await call(`/api/datasets/${datasetId}`, { method: "DELETE" }), 401, "unauthorized");
  });

  it("a key without export:read: 403", async () => {
    const ws = `dsk-${crypto.randomUUID().slice(0, 8)}`;
    const weak = await makeKey(ws, ["sessions:read", "sessions:write", "evals:write"]);
    await expectError(await create(weak, { name: "x" }), 403, "forbidden");
    await expectError(await call("/api/datasets", { key: weak }), 403, "forbidden");
    await expectError(await exportOf(weak, datasetId), 403, "forbidden");
  });

  it("another workspace's dataset is a 404, and is not listed", async () => {
    const { key: other } = await workspaceKey("dsk-other");
    await expectError(await call(`/api/datasets/${datasetId}`, { key: other }), 404, "not_found");
    await expectError(await exportOf(other, datasetId), 404, "not_found");
    await expectError(await call(`/api/datasets/${datasetId}`, { method: "DELETE", key: other }), 404, "not_found");
    expect(((await (await call("/api/datasets", { key: other })).json()) as { datasets: Json[] }).datasets).toEqual([]);
    // Still there for its owner.
    expect((await call(`/api/datasets/${datasetId}`, { key })).status).toBe(200);
  });

  it("another workspace's session ids freeze nothing", async () => {
    const { key: other } = await workspaceKey("dsk-other2");
    const mine = (await (await call(`/api/datasets/${datasetId}`, { key })).json()) as Json;
    const ds = await createOk(other, { name: "theirs", id: mine.sessionIds });
    expect(ds.sessionCount).toBe(0);
  });
});
