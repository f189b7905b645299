/** POST /export from the Evals view: the ticked sessions, or the whole filtered view when none is ticked. */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { signedIn } from "./_support";

const T0 = Date.UTC(2025, 10, 1);

async function setup(name: string) {
  const { key, browser } = await signedIn(name);
  const res = await call("/api/sessions/batch", {
    method: "POST",
    key,
    json: {
      sessions: [
        sessionBody({ title: "G1", createdAt: T0 + 1, evalReady: true, evalStatus: "golden", evalTags: ["auth"], expectedOutput: "EXPECTED-G1" }),
        sessionBody({ title: "C1", createdAt: T0 + 2, evalReady: true, evalStatus: "correct", evalTags: ["auth", "sql"] }),
        sessionBody({ title: "I1", createdAt: T0 + 3, evalReady: true, evalStatus: "incorrect", evalTags: ["sql"] }),
        sessionBody({ title: "G2", createdAt: T0 + 4, evalReady: true, evalStatus: "golden" }),
        sessionBody({ title: "Not ready", createdAt: T0 + 5, evalReady: false, evalStatus: "golden", evalTags: ["auth"] }),
      ],
    },
  });
  expect(res.status).toBe(200);
  const [g1, c1, i1, g2, notReady] = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id) as [string, string, string, string, string];
  const token = await browser.csrf("/evals");
  return { key, browser, token, g1, c1, i1, g2, notReady };
}

/** The session ids of a DeepEval export, in file order, one per session. */
const sessionsOf = (body: string) => [...new Set((JSON.parse(body) as { additional_metadata: { session_id: string } }[]).map((o) => o.additional_metadata.session_id))];

const today = () => new Date().toISOString().slice(0, 10);

describe("POST /export", () => {
  it("exports exactly the ticked sessions (eval-ready ones only) as an attachment", async () => {
    const w = await setup("export-ids");
    const res = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", id: [w.g2, w.c1, w.notReady, "unknown-id"] });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="evalport-deepeval-${today()}.json"`);
    expect(res.headers.get("x-export-sessions")).toBe("2");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // Export order: createdAt ascending.
    expect(sessionsOf(res.text)).toEqual([w.c1, w.g2]);

    // The same file as the API gives for the same selection.
    const api = await call(`/api/export?format=deepeval&id=${w.g2}&id=${w.c1}&id=${w.notReady}`, { key: w.key });
    expect(res.text).toBe(await api.text());
  });

  it("without ticked sessions exports the filtered view (statuses any of, tags all of)", async () => {
    const w = await setup("export-view");
    const all = await w.browser.post("/export", { _csrf: w.token, format: "deepeval" });
    expect(sessionsOf(all.text)).toEqual([w.g1, w.c1, w.i1, w.g2]);
    expect(all.headers.get("x-export-sessions")).toBe("4");

    const golden = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_status: "golden" });
    expect(sessionsOf(golden.text)).toEqual([w.g1, w.g2]);
    // The golden session with an expected output carries it on its last object.
    const objs = JSON.parse(golden.text) as { expected_output: string | null; additional_metadata: { session_id: string } }[];
    expect(objs.filter((o) => o.additional_metadata.session_id === w.g1).at(-1)!.expected_output).toBe("EXPECTED-G1");

    const two = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_status: ["golden", "incorrect"] });
    expect(sessionsOf(two.text)).toEqual([w.g1, w.i1, w.g2]);

    const tagged = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_tag: "auth" });
    expect(sessionsOf(tagged.text)).toEqual([w.g1, w.c1]);
    const both = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_tag: ["auth", "sql"] });
    expect(sessionsOf(both.text)).toEqual([w.c1]);
    const mixed = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_tag: "sql", f_status: "incorrect" });
    expect(sessionsOf(mixed.text)).toEqual([w.i1]);

    // "Every session in this filtered view" ticked: the view, whatever rows are ticked too.
    const allBox = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", id: [w.c1], f_status: "golden" });
    expect(sessionsOf(allBox.text)).toEqual([w.g1, w.g2]);

    const none = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_tag: "nothing-has-this" });
    expect(none.status).toBe(200);
    expect(none.text).toBe("[]");
    expect(none.headers.get("x-export-sessions")).toBe("0");
  });

  it("the Evals page's own form posts the filters it shows", async () => {
    const w = await setup("export-form");
    const page = await w.browser.get("/evals?status=golden&status=incorrect");
    const hidden = [...page.text.matchAll(/<input type="hidden" name="(f_[a-z]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]);
    expect(hidden).toEqual([
      ["f_status", "golden"],
      ["f_status", "incorrect"],
    ]);
    expect(page.text).toMatch(/<button[^>]*type="submit"[^>]*formaction="\/export"[^>]*>Export<\/button>/);
    const res = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_status: ["golden", "incorrect"] });
    expect(sessionsOf(res.text)).toEqual([w.g1, w.i1, w.g2]);
  });

  it("every format downloads with its type and file name", async () => {
    const w = await setup("export-formats");
    const cases = [
      ["deepeval-jsonl", /^application\/x-ndjson/, "jsonl"],
      ["openai", /^application\/x-ndjson/, "jsonl"],
      ["text", /^text\/plain; charset=utf-8/, "txt"],
    ] as const;
    for (const [format, type, ext] of cases) {
      const res = await w.browser.post("/export", { _csrf: w.token, format, id: [w.g1, w.i1] });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="evalport-${format}-${today()}.${ext}"`);
      expect(res.headers.get("x-export-sessions")).toBe("2");
    }
    const text = await w.browser.post("/export", { _csrf: w.token, format: "text", id: [w.g1] });
    expect(text.text).toContain("## Session: G1");
    expect(text.text).not.toContain("## Session: I1");
    const openai = await w.browser.post("/export", { _csrf: w.token, format: "openai", id: [w.g1, w.i1] });
    expect(openai.text.trim().split("\n")).toHaveLength(2);
  });

  it("refuses an unknown format or too many ids with a 400 page", async () => {
    const w = await setup("export-bad");
    const bad = await w.browser.post("/export", { _csrf: w.token, format: "csv" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
    expect(bad.headers.get("content-disposition")).toBeNull();
    expect(bad.text).toMatch(/export formats/);
    const many = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", id: Array.from({ length: 501 }, (_, i) => `id-${i}`) });
    expect(many.status).toBe(400);
    expect(many.text).toMatch(/at most 500/);
    const badFilter = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", f_status: "bogus" });
    expect(badFilter.status).toBe(400);
  });
});
