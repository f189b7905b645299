import { beforeAll, describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import {
  exportOk,
  exportOrder,
  ingestMany,
  jsonLines,
  parseDeepEval,
  parseDeepEvalJsonl,
  parseOpenAi,
  readyBody,
  sessionIdsOf,
  smallSessions,
  workspaceKey,
} from "./support";

/** The session ids a deepeval-jsonl export lists, and its X-Export-Sessions. */
async function exported(key: string, query: string): Promise<{ ids: string[]; count: number }> {
  const { res, body } = await exportOk(key, `format=deepeval-jsonl${query ? `&${query}` : ""}`);
  return { ids: sessionIdsOf("deepeval-jsonl", body), count: Number(res.headers.get("x-export-sessions")) };
}

describe("which sessions an export holds", () => {
  /**
   * A labelled workspace: eval-ready sessions of every status with tag sets, unready twins that would match every
   * filter, and another workspace whose ready sessions match them too. createdAt ascends with the letter.
   */
  let key: string;
  let otherKey: string;
  const T = Date.UTC(2025, 0, 1);
  const id: Record<string, string> = {};
  let otherIds: string[] = [];
  const spec: [name: string, over: Record<string, unknown>][] = [
    ["a", { evalStatus: "golden", evalTags: ["auth", "ui"] }],
    ["b", { evalStatus: "correct", evalTags: ["auth"] }],
    ["unreadyGolden", { evalReady: false, evalStatus: "golden", evalTags: ["auth", "ui"] }],
    ["c", { evalStatus: "incorrect", evalTags: ["ui"] }],
    ["d", { evalStatus: "needs_review", evalTags: [] }],
    ["unreadyDefault", { evalReady: undefined, evalStatus: undefined, evalTags: ["auth"] }],
    ["e", { evalStatus: "golden", evalTags: ["ui", "auth", "perf"] }],
    ["f", { evalStatus: "correct", evalTags: ["Auth"] }],
  ];

  beforeAll(async () => {
    ({ key } = await workspaceKey("sel"));
    const bodies = spec.map(([, over], i) => readyBody({ createdAt: T + i * 1000, ...over }));
    const got = await ingestMany(key, bodies);
    spec.forEach(([name], i) => (id[name] = got[i]!));
    ({ key: otherKey } = await workspaceKey("other"));
    otherIds = await ingestMany(otherKey, [readyBody({ createdAt: T, evalTags: ["auth", "ui"] }), readyBody({ createdAt: T + 2500 })]);
  });

  const names = (...n: string[]) => n.map((x) => id[x]!);

  it("holds only the eval-ready sessions of the key's workspace, in createdAt order", async () => {
    expect(await exported(key, "")).toEqual({ ids: names("a", "b", "c", "d", "e", "f"), count: 6 });
    expect(await exported(otherKey, "")).toEqual({ ids: otherIds, count: 2 });
  });

  it("never lists another workspace's session, also when asked for it by id", async () => {
    expect(await exported(key, `id=${otherIds[0]}`)).toEqual({ ids: [], count: 0 });
    expect(await exported(key, `id=${otherIds[0]}&id=${id.b}`)).toEqual({ ids: names("b"), count: 1 });
    const { body } = await exportOk(key, `id=${otherIds[0]}&id=${otherIds[1]}`);
    expect(body).toBe("[]");
  });

  it("status: any of, repeatable or comma-separated", async () => {
    expect(await exported(key, "status=golden")).toEqual({ ids: names("a", "e"), count: 2 });
    expect(await exported(key, "status=golden&status=incorrect")).toEqual({ ids: names("a", "c", "e"), count: 3 });
    expect(await exported(key, "status=golden,incorrect")).toEqual({ ids: names("a", "c", "e"), count: 3 });
    expect(await exported(key, "status=needs_review,correct&status=golden")).toEqual({ ids: names("a", "b", "d", "e", "f"), count: 5 });
    expect(await exported(key, "status=needs_review")).toEqual({ ids: names("d"), count: 1 });
  });

  it("tag: the session carries all of them, case-sensitively", async () => {
    expect(await exported(key, "tag=auth")).toEqual({ ids: names("a", "b", "e"), count: 3 });
    expect(await exported(key, "tag=auth&tag=ui")).toEqual({ ids: names("a", "e"), count: 2 });
    expect(await exported(key, "tag=auth&tag=ui&tag=perf")).toEqual({ ids: names("e"), count: 1 });
    expect(await exported(key, "tag=Auth")).toEqual({ ids: names("f"), count: 1 });
    expect(await exported(key, "tag=nope")).toEqual({ ids: [], count: 0 });
    expect(await exported(key, "tag=auth&status=correct")).toEqual({ ids: names("b"), count: 1 });
  });

  it("limit: the first sessions in export order", async () => {
    expect(await exported(key, "limit=1")).toEqual({ ids: names("a"), count: 1 });
    expect(await exported(key, "limit=4")).toEqual({ ids: names("a", "b", "c", "d"), count: 4 });
    expect(await exported(key, "limit=2&tag=ui")).toEqual({ ids: names("a", "c"), count: 2 });
  });

  it("after: only sessions after that one in export order, combined with the filters", async () => {
    expect(await exported(key, `after=${id.c}`)).toEqual({ ids: names("d", "e", "f"), count: 3 });
    expect(await exported(key, `after=${id.c}&limit=2`)).toEqual({ ids: names("d", "e"), count: 2 });
    expect(await exported(key, `after=${id.a}&status=golden`)).toEqual({ ids: names("e"), count: 1 });
    expect(await exported(key, `after=${id.f}`)).toEqual({ ids: [], count: 0 });
    // `after` names a position, so a session that is not (or no longer) eval-ready still resumes after it.
    expect(await exported(key, `after=${id.unreadyGolden}`)).toEqual({ ids: names("c", "d", "e", "f"), count: 4 });
    expect(await exported(key, `after=${id.unreadyGolden}&limit=1`)).toEqual({ ids: names("c"), count: 1 });
  });

  it("id: only those sessions, still eval-ready only and still filtered, in export order", async () => {
    expect(await exported(key, `id=${id.e}&id=${id.a}`)).toEqual({ ids: names("a", "e"), count: 2 });
    expect(await exported(key, `id=${id.e}&id=${id.a}&id=${id.a}`)).toEqual({ ids: names("a", "e"), count: 2 });
    expect(await exported(key, `id=${id.unreadyGolden}&id=${id.unreadyDefault}`)).toEqual({ ids: [], count: 0 });
    expect(await exported(key, `id=${id.a}&id=${id.b}&status=correct`)).toEqual({ ids: names("b"), count: 1 });
    expect(await exported(key, `id=${id.a}&id=${id.e}&after=${id.a}`)).toEqual({ ids: names("e"), count: 1 });
    expect(await exported(key, "id=ses_unknown")).toEqual({ ids: [], count: 0 });
  });

  it("takes 500 ids", async () => {
    const many = [id.d!, ...Array.from({ length: 498 }, (_, i) => `ses_${String(i).padStart(26, "0")}`), id.b!];
    expect(many).toHaveLength(500);
    expect(await exported(key, many.map((x) => `id=${x}`).join("&"))).toEqual({ ids: names("b", "d"), count: 2 });
  });
});

describe("export order", () => {
  it("is createdAt then id ascending, whatever the ingest order", async () => {
    const { key } = await workspaceKey("order");
    // One batch shares one clock, so ids differ only in their random part: id order is not insertion order.
    const createdAt = [5, 1, 3, 3, 3, 3, 3, 3, 1, 9, 3, 3, 0, 3, 3, 3, 3, 1, 3, 3].map((n) => Date.UTC(2025, 5, 1) + n * 60_000);
    const got = await ingestMany(key, smallSessions(createdAt.length, (i) => ({ createdAt: createdAt[i] })));
    const expected = exportOrder(got.map((id, i) => ({ id, createdAt: createdAt[i]! }))).map((r) => r.id);
    const { body } = await exportOk(key, "format=deepeval");
    expect(sessionIdsOf("deepeval", body)).toEqual(expected);
    // The same order in every format (text and openai show the contents, which carry the input index).
    const index = new Map(got.map((id, i) => [id, i]));
    const openai = parseOpenAi((await exportOk(key, "format=openai")).body).map((l) => l.messages[0]!.content);
    expect(openai).toEqual(expected.map((id) => `question ${index.get(id)}`));
    const text = (await exportOk(key, "format=text")).body;
    expect([...text.matchAll(/^\*\*User:\*\* (.*)$/gm)].map((m) => m[1])).toEqual(expected.map((id) => `question ${index.get(id)}`));
  });

  it("keeps messages in conversation order, also after resends and appends", async () => {
    const { key } = await workspaceKey("msgs");
    const messages = Array.from({ length: 120 }, (_, i) => ({
      externalId: `m${i}`,
      role: i % 2 === 0 ? "user" : "assistant",
      content: `message ${i}`,
    }));
    const body = readyBody({ messages: messages.slice(0, 60) });
    const [id] = await ingestMany(key, [body]);
    // A resend with more messages appends; an append adds the rest.
    await ingestMany(key, [{ ...body, messages: messages.slice(0, 90) }]);
    const res = await call(`/api/sessions/${id}/messages`, { method: "POST", key, json: { messages: messages.slice(90) } });
    expect(res.status).toBe(200);
    const [line] = parseOpenAi((await exportOk(key, "format=openai")).body);
    expect(line!.messages.map((m) => m.content)).toEqual(messages.map((m) => m.content));
    const cases = parseDeepEval((await exportOk(key)).body);
    expect(cases.map((c) => c.input)).toEqual(messages.filter((_, i) => i % 2 === 0).map((m) => m.content));
    expect(cases.at(-1)!.context).toHaveLength(118);
  });
});

describe("long sessions", () => {
  it("sessions of thousands of messages come whole and in order, however the reader groups them", async () => {
    const { key } = await workspaceKey("long");
    const conversation = (tag: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `${tag} ${i}` }));
    // Message groups stop growing past 2,000 messages: these land in groups of their own or with neighbours.
    const sizes = [1500, 1, 1200, 2500, 3, 0, 2];
    const ids = await ingestMany(
      key,
      sizes.map((n, i) => readyBody({ createdAt: Date.UTC(2025, 7, 1) + i, messages: conversation(`s${i}`, n) })),
    );
    const { res, body } = await exportOk(key, "format=openai");
    expect(res.headers.get("x-export-sessions")).toBe(String(sizes.length));
    const lines = parseOpenAi(body);
    const withAssistant = sizes.map((n, i) => [n, i] as const).filter(([n]) => n >= 2);
    expect(lines.map((l) => l.messages.length)).toEqual(withAssistant.map(([n]) => n));
    lines.forEach((l, k) => expect(l.messages.map((m) => m.content)).toEqual(conversation(`s${withAssistant[k]![1]}`, withAssistant[k]![0]).map((m) => m.content)));
    const text = (await exportOk(key, "format=text")).body;
    expect(text.match(/^## Session: /gm)).toHaveLength(ids.length);
    expect(text.match(/^\*\*(User|Assistant):\*\* /gm)).toHaveLength(sizes.reduce((a, b) => a + b, 0));
  });
});

describe("paging with limit and after", () => {
  /** 250 sessions: more than one keyset page (198) and several message groups (99); createdAt ties. */
  let key: string;
  let expected: string[];
  beforeAll(async () => {
    ({ key } = await workspaceKey("paging"));
    const n = 250;
    // Shuffled createdAt with ties (groups of three share a millisecond), and a few unready sessions between.
    const createdAt = Array.from({ length: n }, (_, i) => Date.UTC(2025, 2, 1) + Math.floor(((i * 97) % n) / 3) * 10);
    const got = await ingestMany(key, [
      ...smallSessions(n, (i) => ({ createdAt: createdAt[i], messages: conversation(i) })),
      ...Array.from({ length: 5 }, (_, i) => sessionBody({ createdAt: createdAt[i * 40], evalReady: false })),
    ]);
    expected = exportOrder(got.slice(0, n).map((id, i) => ({ id, createdAt: createdAt[i]! }))).map((r) => r.id);
  });

  /** i % 4 messages after the opening exchange, so groups carry unequal message counts. */
  const conversation = (i: number) => [
    { role: "user", content: `question ${i}` },
    { role: "assistant", content: `answer ${i}` },
    ...Array.from({ length: i % 4 }, (_, j) => ({ role: j % 2 === 0 ? "user" : "assistant", content: `more ${i}.${j}` })),
  ];

  it("one export lists all 250 in order, every session once", async () => {
    const all = await exported(key, "");
    expect(all.count).toBe(250);
    expect(all.ids).toEqual(expected);
    const lines = jsonLines((await exportOk(key, "format=openai")).body);
    expect(lines).toHaveLength(250);
    const text = (await exportOk(key, "format=text")).body;
    expect(text.match(/^## Session: /gm)).toHaveLength(250);
  });

  it("pages of varying sizes visit every session exactly once, in order", async () => {
    const sizes = [220, 7, 33, 34, 1, 200];
    const seen: string[] = [];
    let after: string | undefined;
    for (let step = 0; ; step++) {
      const limit = sizes[step % sizes.length]!;
      const page = await exported(key, `limit=${limit}${after ? `&after=${after}` : ""}`);
      expect(page.count).toBe(Math.min(limit, 250 - seen.length));
      expect(page.ids).toHaveLength(page.count);
      if (page.ids.length === 0) break;
      seen.push(...page.ids);
      after = page.ids.at(-1);
      expect(step).toBeLessThan(50);
    }
    expect(seen).toEqual(expected);
  });

  it("deepeval pages concatenate to the whole deepeval export", async () => {
    const whole = parseDeepEval((await exportOk(key, "format=deepeval")).body);
    const pages: unknown[] = [];
    let after: string | undefined;
    for (;;) {
      const { body } = await exportOk(key, `format=deepeval&limit=60${after ? `&after=${after}` : ""}`);
      const page = parseDeepEval(body);
      if (page.length === 0) break;
      pages.push(...page);
      after = page.at(-1)!.additional_metadata.session_id;
    }
    expect(pages).toEqual(whole);
    expect(parseDeepEvalJsonl((await exportOk(key, "format=deepeval-jsonl")).body)).toEqual(whole);
  });
});
