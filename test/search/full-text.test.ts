import { describe, expect, it } from "vitest";
import { call, ingest, makeKey, sessionBody } from "../helpers";
import { expectInvalid } from "../routes/_support";

/** `q` on GET /api/sessions and /api/evals: FTS5 over titles and message content, kept in step by triggers. */

const msgs = (...contents: string[]) => contents.map((content, i) => ({ externalId: `m${i}`, role: i % 2 ? "assistant" : "user", content }));

async function ids(key: string, path: string): Promise<string[]> {
  const res = await call(path, { key });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return (JSON.parse(text) as { sessions: { id: string }[] }).sessions.map((s) => s.id).sort();
}
const q = (s: string) => `/api/sessions?q=${encodeURIComponent(s)}`;

describe("full-text q", () => {
  it("matches words in titles and in message content, case-insensitively, every word required", async () => {
    const key = await makeKey("fts-basic");
    const a = await ingest(key, sessionBody({ title: "Flaky CI", messages: msgs("The Webpack build fails on Windows", "Use path.posix here") }));
    const b = await ingest(key, sessionBody({ title: "Webpack upgrade", messages: msgs("bump to v5", "done") }));
    const c = await ingest(key, sessionBody({ title: null, messages: msgs("nothing about bundlers", "Résumé parsing with naïve regex") }));
    expect(await ids(key, q("webpack"))).toEqual([a.id, b.id].sort());
    expect(await ids(key, q("WEBPACK windows"))).toEqual([a.id]); // both words in one message
    expect(await ids(key, q("flaky posix"))).toEqual([a.id]); // one word in the title, one in a message
    expect(await ids(key, q("webpack bundlers"))).toEqual([]); // each word somewhere, but not in one session
    expect(await ids(key, q("resume naive"))).toEqual([c.id]); // diacritics folded
    expect(await ids(key, q("webpac"))).toEqual([]); // words, not substrings
  });

  it('"a phrase" matches the words next to each other, in one title or message', async () => {
    const key = await makeKey("fts-phrase");
    const a = await ingest(key, sessionBody({ title: "t", messages: msgs("the build fails on Windows") }));
    const b = await ingest(key, sessionBody({ title: "t", messages: msgs("Windows is fine, the build fails elsewhere") }));
    expect(await ids(key, q('"fails on windows"'))).toEqual([a.id]);
    expect(await ids(key, q("fails windows"))).toEqual([a.id, b.id].sort());
    expect(await ids(key, q('"build fails" elsewhere'))).toEqual([b.id]);
  });

  it("follows every change: a new title, an edited message, appended messages, a deleted session", async () => {
    const key = await makeKey("fts-changes");
    const body = sessionBody({ title: "old title", messages: msgs("original words") });
    const s = await ingest(key, body);
    expect(await ids(key, q("original"))).toEqual([s.id]);
    await ingest(key, { ...body, title: "new heading", messages: msgs("replacement text") });
    expect(await ids(key, q("old"))).toEqual([]);
    expect(await ids(key, q("original"))).toEqual([]);
    expect(await ids(key, q("heading replacement"))).toEqual([s.id]);
    const appended = await call(`/api/sessions/${s.id}/messages`, { method: "POST", key, json: { messages: [{ role: "user", content: "later addition" }] } });
    expect(appended.status).toBe(200);
    expect(await ids(key, q("addition"))).toEqual([s.id]);
    expect((await call(`/api/sessions/${s.id}`, { method: "DELETE", key })).status).toBe(204);
    expect(await ids(key, q("addition"))).toEqual([]);
    // a new session reusing the freed rowid does not inherit the deleted one's words
    const t = await ingest(key, sessionBody({ title: "fresh", messages: msgs("unrelated") }));
    expect(await ids(key, q("heading"))).toEqual([]);
    expect(await ids(key, q("fresh unrelated"))).toEqual([t.id]);
  });

  it("never matches another workspace's sessions", async () => {
    const keyA = await makeKey("fts-ten-a");
    const keyB = await makeKey("fts-ten-b");
    const a = await ingest(keyA, sessionBody({ title: "shared secretword", messages: msgs("shared secretword") }));
    await ingest(keyB, sessionBody({ title: "shared secretword", messages: msgs("shared secretword") }));
    expect(await ids(keyA, q("secretword"))).toEqual([a.id]);
    const res = await call(q("secretword"), { key: keyA });
    expect((await res.json<{ total: number }>()).total).toBe(1);
  });

  it("GET /api/evals takes q and reviewed too, with total", async () => {
    const key = await makeKey("fts-evals");
    const a = await ingest(key, sessionBody({ title: "zebra case", evalReady: true }));
    const b = await ingest(key, sessionBody({ title: "zebra other", evalReady: true, evalStatus: "golden" }));
    await ingest(key, sessionBody({ title: "zebra not ready" }));
    expect(await ids(key, "/api/evals?q=zebra")).toEqual([a.id, b.id].sort());
    expect(await ids(key, "/api/evals?q=zebra&reviewed=true")).toEqual([b.id]);
    expect(await ids(key, "/api/evals?q=zebra&reviewed=false")).toEqual([a.id]);
    const page = await (await call("/api/evals?q=zebra&limit=1", { key })).json<{ total: number; nextCursor: string | null }>();
    expect(page.total).toBe(2);
    expect(page.nextCursor).not.toBeNull();
    await expectInvalid(await call("/api/evals?q=%25%25", { key }), "q");
    await expectInvalid(await call("/api/evals?reviewed=maybe", { key }), "reviewed");
  });
});
