import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call } from "../helpers";
import { bodyText, exportCall, exportOk, expectInvalid, ingestMany, jsonLines, parseDeepEvalJsonl, readyBody, workspaceKey, type Json } from "./support";

/** The contract's formula, written out again here: SHA-256(seed:id), first 8 bytes big-endian, over 2^64. */
async function sideOf(id: string, fraction: number, seed: string): Promise<"train" | "test"> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${seed}:${id}`)));
  const x = new DataView(d.buffer).getBigUint64(0, false);
  return Number(x) / 2 ** 64 < fraction ? "test" : "train";
}

function conversation(i: number, turns: number) {
  const messages: Record<string, unknown>[] = [{ role: "system", content: "sys" }];
  for (let t = 0; t < turns; t++) {
    messages.push({ role: "user", content: `u${i}.${t}` }, { role: "assistant", content: `a${i}.${t}` });
  }
  return readyBody({ evalStatus: i % 2 ? "golden" : "correct", createdAt: 1_770_000_000_000 + i * 1000, messages });
}

describe("splits", () => {
  let key: string;
  let ids: string[];
  beforeAll(async () => {
    ({ key } = await workspaceKey("split"));
    ids = await ingestMany(key, Array.from({ length: 40 }, (_, i) => conversation(i, 2)));
  });

  const sessionsOf = (body: string) => [...new Set(parseDeepEvalJsonl(body).map((c) => c.additional_metadata.session_id))];

  it("train and test are disjoint, cover the export, follow the formula and name themselves in metadata", async () => {
    const train = await exportOk(key, "format=deepeval-jsonl&split=train&testFraction=0.3&seed=abc");
    const test = await exportOk(key, "format=deepeval-jsonl&split=test&testFraction=0.3&seed=abc");
    const a = sessionsOf(train.body);
    const b = sessionsOf(test.body);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    const expectedTest: string[] = [];
    for (const id of ids) if ((await sideOf(id, 0.3, "abc")) === "test") expectedTest.push(id);
    expect(b).toEqual(expectedTest);
    expect(Number(test.res.headers.get("x-export-sessions"))).toBe(expectedTest.length);
    expect(new Set(jsonLines(train.body).map((c) => c.additional_metadata.split))).toEqual(new Set(["train"]));
    expect(new Set(jsonLines(test.body).map((c) => c.additional_metadata.split))).toEqual(new Set(["test"]));
  });

  it("a session's side never changes with filters, order or format", async () => {
    const all = sessionsOf((await exportOk(key, "format=deepeval-jsonl&split=test")).body);
    const golden = sessionsOf((await exportOk(key, "format=deepeval-jsonl&split=test&status=golden")).body);
    expect(golden.every((id) => all.includes(id))).toBe(true);
    const some = ids.slice(5, 25);
    const byId = sessionsOf((await exportOk(key, `format=deepeval-jsonl&split=test&${some.map((id) => `id=${id}`).join("&")}`)).body);
    expect(byId).toEqual(all.filter((id) => some.includes(id)));
    // Other formats: the same sessions, counted by the header and named in the conversational metadata.
    for (const format of ["openai", "text", "promptfoo", "deepeval", "deepeval-conversational"]) {
      const { res } = await exportOk(key, `format=${format}&split=test`);
      expect(res.headers.get("x-export-sessions"), format).toBe(String(all.length));
    }
    const conv = JSON.parse((await exportOk(key, "format=deepeval-conversational&split=test")).body) as Json[];
    expect(conv.map((g) => g.name)).toEqual(all);
    const pf = jsonLines((await exportOk(key, "format=promptfoo&split=test")).body);
    expect([...new Set(pf.map((t) => t.metadata.session_id))]).toEqual(all);
  });

  it("limit and after page within a split", async () => {
    const all = sessionsOf((await exportOk(key, "format=deepeval-jsonl&split=train")).body);
    const first = await exportOk(key, "format=deepeval-jsonl&split=train&limit=5");
    expect(sessionsOf(first.body)).toEqual(all.slice(0, 5));
    expect(first.res.headers.get("x-export-last-session")).toBe(all[4]);
    const rest = await exportOk(key, `format=deepeval-jsonl&split=train&after=${all[4]}`);
    expect(sessionsOf(rest.body)).toEqual(all.slice(5));
  });
});

describe("resuming openai and text exports", () => {
  it("X-Export-First-Session and X-Export-Last-Session name the page's ends; after=<last> gives the next page", async () => {
    const { key } = await workspaceKey("resume");
    const ids = await ingestMany(key, Array.from({ length: 12 }, (_, i) => conversation(i, 1)));
    const pages: string[] = [];
    let after = "";
    for (;;) {
      const { res, body } = await exportOk(key, `format=text&limit=5${after ? `&after=${after}` : ""}`);
      if (res.headers.get("x-export-sessions") === "0") {
        expect(res.headers.get("x-export-first-session")).toBeNull();
        expect(res.headers.get("x-export-last-session")).toBeNull();
        break;
      }
      const index = ids.indexOf(res.headers.get("x-export-first-session")!);
      expect(index).toBe(pages.length * 5);
      after = res.headers.get("x-export-last-session")!;
      expect(after).toBe(ids[Math.min(index + 4, ids.length - 1)]);
      pages.push(body);
    }
    expect(pages).toHaveLength(3);
    expect(pages.join("\n")).toBe((await exportOk(key, "format=text")).body);
  });
});

describe("contextMessages", () => {
  it("keeps only the N messages before each exchange in context, in every DeepEval-shaped format", async () => {
    const { key } = await workspaceKey("ctx");
    await ingestMany(key, [conversation(0, 4)]);
    const full = parseDeepEvalJsonl((await exportOk(key, "format=deepeval-jsonl")).body);
    expect(full.map((c) => c.context.length)).toEqual([1, 3, 5, 7]);
    const two = parseDeepEvalJsonl((await exportOk(key, "format=deepeval-jsonl&contextMessages=2")).body);
    expect(two.map((c) => c.context)).toEqual(full.map((c) => c.context.slice(-2)));
    const zero = z.array(z.unknown()).parse(JSON.parse((await exportOk(key, "format=deepeval&contextMessages=0")).body)) as Json[];
    expect(zero.map((c) => c.context)).toEqual([[], [], [], []]);
    const pf = jsonLines((await exportOk(key, "format=promptfoo&contextMessages=1")).body);
    expect(pf.map((t) => t.vars.context)).toEqual(["system: sys", "assistant: a0.0", "assistant: a0.1", "assistant: a0.2"]);
  });
});

describe("new parameters are checked before any byte", () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await workspaceKey("newparams"));
  });
  it.each([
    ["contextMessages=-1", "contextMessages"],
    ["contextMessages=100001", "contextMessages"],
    ["contextMessages=1.5", "contextMessages"],
    ["redact=passwords", "redact"],
    ["redact=none,secrets", "redact"],
    ["redact=", "redact"],
    ["split=validation", "split"],
    ["split=test&testFraction=0", "testFraction"],
    ["split=test&testFraction=1", "testFraction"],
    ["split=test&testFraction=abc", "testFraction"],
    ["testFraction=0.5", "testFraction"],
    ["seed=x", "seed"],
    ["split=test&seed=", "seed"],
  ])("%s → 400 naming %s", async (query, param) => {
    await expectInvalid(await exportCall(key, query), param);
  });
  it("the accepted values answer 200", async () => {
    for (const q of ["contextMessages=0", "contextMessages=100000", "redact=none", "redact=emails,secrets,paths", "split=train&testFraction=0.5&seed=s"]) {
      const res = await exportCall(key, q);
      expect(res.status, q).toBe(200);
      await bodyText(res);
    }
  });
  it("a dataset route exists beside them in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/datasets", "/api/datasets/{id}", "/api/datasets/{id}/export"]));
  });
});
