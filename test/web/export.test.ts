/**
 * Export from the Evals view: the dialog (POST /export/confirm) states what the ticked sessions or the filtered view
 * hold, warns for fine-tuning files with unsure answers, offers the masking; its Download posts to /export.
 */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { expectForbiddenPage, signedIn, type FormFields } from "./_support";

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

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const plain = (html: string) => decode(html.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ");

/** What the dialog's Download button posts: its hidden fields plus the checkboxes as they are (or `ticks` overriding them). */
function downloadForm(html: string, ticks?: string[]): FormFields {
  const start = html.indexOf('action="/export"');
  expect(start, "the dialog has a Download form").toBeGreaterThan(-1);
  const body = html.slice(start, html.indexOf("</form>", start));
  const out: Record<string, string[]> = {};
  for (const m of body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)) (out[m[1]!] ??= []).push(decode(m[2]!));
  const checked = [...body.matchAll(/<input type="checkbox" name="mask" value="([a-z]+)"( checked="")?/g)].filter((m) => m[2]).map((m) => m[1]!);
  out.mask = ticks ?? checked;
  return out;
}

describe("the export dialog", () => {
  it("states what the ticked sessions hold, and its Download gives exactly those", async () => {
    const w = await setup("export-dialog-ids");
    const page = await w.browser.post("/export/confirm", { _csrf: w.token, format: "deepeval", id: [w.g1, w.c1, w.g2, w.notReady], f_tag: "x" });
    expect(page.status, page.text).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-disposition")).toBeNull();
    expect(plain(page.text)).toContain("3 sessions: 2 golden, 1 correct (the 4 ticked sessions).");
    expect(plain(page.text)).toContain("1 ticked session is not eval-ready (or not in this workspace) and left out.");
    expect(page.text).not.toContain("data-export-warning");
    expect(page.text).toMatch(/<input type="checkbox" name="mask" value="secrets" checked=""\/>/);
    expect(page.text).toMatch(/<input type="checkbox" name="mask" value="paths"\/>/);
    expect(page.text).toMatch(/<input type="checkbox" name="mask" value="emails"\/>/);
    expect(page.text).toMatch(/<a href="\/evals\?tag=x">Cancel<\/a>/);
    const res = await w.browser.post("/export", downloadForm(page.text));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="evalport-deepeval-${today()}.json"`);
    expect(sessionsOf(res.text)).toEqual([w.g1, w.c1, w.g2]);
  });

  it("for the filtered view: its counts, and a warning when a fine-tuning format would hold incorrect or needs-review sessions", async () => {
    const w = await setup("export-dialog-view");
    const page = await w.browser.post("/export/confirm", { _csrf: w.token, format: "openai", all: "1", f_tag: "sql" });
    expect(plain(page.text)).toContain("2 sessions: 1 correct, 1 incorrect (every session in this filtered view: Evals · tag sql).");
    expect(page.text).toContain("data-export-warning");
    expect(plain(page.text)).toMatch(/fine-tuning format, and 1 of these sessions is not known to be right \(1 incorrect\)/);
    const res = await w.browser.post("/export", downloadForm(page.text));
    expect(res.headers.get("x-export-sessions")).toBe("2");
    expect(res.text.trim().split("\n")).toHaveLength(2);

    // The same view in a format that does not train a model: no warning. Only golden/correct: no warning either.
    const deepeval = await w.browser.post("/export/confirm", { _csrf: w.token, format: "deepeval", all: "1", f_tag: "sql" });
    expect(deepeval.text).not.toContain("data-export-warning");
    const good = await w.browser.post("/export/confirm", { _csrf: w.token, format: "openai", all: "1", f_status: ["golden", "correct"] });
    expect(plain(good.text)).toContain("3 sessions: 2 golden, 1 correct");
    expect(good.text).not.toContain("data-export-warning");
    // The whole view counts every status.
    const all = await w.browser.post("/export/confirm", { _csrf: w.token, format: "openai", all: "1" });
    expect(plain(all.text)).toContain("4 sessions: 2 golden, 1 correct, 1 incorrect");
  });

  it("an empty selection says so instead of offering a download; nothing ticked is a plain notice", async () => {
    const w = await setup("export-dialog-empty");
    const empty = await w.browser.post("/export/confirm", { _csrf: w.token, format: "deepeval", all: "1", f_tag: "nothing-has-this" });
    expect(empty.status).toBe(200);
    expect(plain(empty.text)).toContain("Nothing to export: no eval-ready session is in this filtered view.");
    expect(empty.text).not.toContain('action="/export"');
    const notReady = await w.browser.post("/export/confirm", { _csrf: w.token, format: "deepeval", id: [w.notReady] });
    expect(plain(notReady.text)).toContain("Nothing to export: none of the ticked sessions is eval-ready");
    for (const path of ["/export/confirm", "/export"]) {
      const none = await w.browser.post(path, { _csrf: w.token, format: "deepeval", f_status: "golden" });
      expect(none.status).toBe(200);
      expect(none.headers.get("content-disposition")).toBeNull();
      expect(plain(none.text)).toContain("Nothing was selected, so nothing was exported");
    }
  });

  it("masking: a stored secret is masked by default, kept with Mask secrets unticked; paths and e-mails on request", async () => {
    const { key, browser } = await signedIn("export-dialog-mask");
    const GHP = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    const [id] = ((await (await call("/api/sessions/batch", {
      method: "POST",
      key,
      json: { sessions: [sessionBody({ title: "Leak", evalReady: true, evalStatus: "golden", messages: [{ role: "user", content: `token ${GHP} in /Users/alice/app/.env, mail alice@acme.io` }, { role: "assistant", content: "Revoke it." }] })] },
    })).json()) as { results: { id: string }[] }).results.map((r) => r.id);
    const token = await browser.csrf("/evals");
    const page = await browser.post("/export/confirm", { _csrf: token, format: "text", id: [id!] });

    const masked = await browser.post("/export", downloadForm(page.text));
    expect(masked.text).not.toContain(GHP);
    expect(masked.text).toContain("[REDACTED:github_token#1]");
    expect(masked.text).toContain("/Users/alice/app/.env");
    expect(masked.text).toContain("alice@acme.io");

    const kept = await browser.post("/export", downloadForm(page.text, []));
    expect(kept.text).toContain(GHP);
    // Byte for byte what the API gives with redact=none.
    expect(kept.text).toBe(await (await call(`/api/export?format=text&id=${id}&redact=none`, { key })).text());

    const more = await browser.post("/export", downloadForm(page.text, ["secrets", "paths", "emails"]));
    expect(more.text).not.toContain(GHP);
    expect(more.text).not.toContain("/Users/alice");
    expect(more.text).not.toContain("alice@acme.io");
    expect(more.text).toBe(await (await call(`/api/export?format=text&id=${id}&redact=secrets,paths,emails`, { key })).text());

    const bad = await browser.post("/export", { _csrf: token, format: "text", id: [id!], redact: "everything" });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/masking choice is not valid/);
  });

  it("scopes and CSRF: no export:read or no token is a 403 page for both steps, with no file", async () => {
    const w = await setup("export-dialog-guard");
    const ro = await signedIn("export-dialog-guard", ["sessions:read"]);
    const roToken = await ro.browser.csrf("/evals");
    for (const path of ["/export/confirm", "/export"]) {
      const res = await ro.browser.post(path, { _csrf: roToken, format: "deepeval", id: [w.g1] });
      expectForbiddenPage(res, /lacks the export:read scope/);
      expect(res.headers.get("content-disposition")).toBeNull();
      for (const _csrf of [undefined, "wrong", roToken]) {
        const forged = await w.browser.post(path, { _csrf, format: "deepeval", id: [w.g1] });
        expectForbiddenPage(forged, /CSRF check failed/);
        expect(forged.headers.get("content-disposition")).toBeNull();
      }
    }
    // Another workspace's sessions are not in this one's dialog.
    const other = await signedIn("export-dialog-guard-other");
    const page = await other.browser.post("/export/confirm", { _csrf: await other.browser.csrf("/evals"), format: "deepeval", id: [w.g1, w.c1] });
    expect(plain(page.text)).toContain("Nothing to export: none of the ticked sessions is eval-ready");
    const all = await other.browser.post("/export/confirm", { _csrf: await other.browser.csrf("/evals"), format: "deepeval", all: "1" });
    expect(plain(all.text)).toContain("Nothing to export");
  });
});

describe("POST /export (the dialog's Download)", () => {
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

  it("with “every session in this filtered view” exports the view (statuses any of, tags all of)", async () => {
    const w = await setup("export-view");
    const all = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1" });
    expect(sessionsOf(all.text)).toEqual([w.g1, w.c1, w.i1, w.g2]);
    expect(all.headers.get("x-export-sessions")).toBe("4");

    const golden = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_status: "golden" });
    expect(sessionsOf(golden.text)).toEqual([w.g1, w.g2]);
    // The golden session with an expected output carries it on its last object.
    const objs = JSON.parse(golden.text) as { expected_output: string | null; additional_metadata: { session_id: string } }[];
    expect(objs.filter((o) => o.additional_metadata.session_id === w.g1).at(-1)!.expected_output).toBe("EXPECTED-G1");

    const two = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_status: ["golden", "incorrect"] });
    expect(sessionsOf(two.text)).toEqual([w.g1, w.i1, w.g2]);

    const tagged = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_tag: "auth" });
    expect(sessionsOf(tagged.text)).toEqual([w.g1, w.c1]);
    const both = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_tag: ["auth", "sql"] });
    expect(sessionsOf(both.text)).toEqual([w.c1]);
    const mixed = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_tag: "sql", f_status: "incorrect" });
    expect(sessionsOf(mixed.text)).toEqual([w.i1]);

    // "Every session in this filtered view" ticked: the view, whatever rows are ticked too.
    const allBox = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", id: [w.c1], f_status: "golden" });
    expect(sessionsOf(allBox.text)).toEqual([w.g1, w.g2]);

    // The download itself stays the API's stream (the dialog is where an empty selection is said).
    const none = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_tag: "nothing-has-this" });
    expect(none.status).toBe(200);
    expect(none.text).toBe("[]");
    expect(none.headers.get("x-export-sessions")).toBe("0");
  });

  it("the Evals page's own form posts the filters it shows, and Export goes to the dialog first", async () => {
    const w = await setup("export-form");
    const page = await w.browser.get("/evals?status=golden&status=incorrect");
    const hidden = [...page.text.matchAll(/<input type="hidden" name="(f_[a-z]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]);
    expect(hidden).toEqual([
      ["f_status", "golden"],
      ["f_status", "incorrect"],
    ]);
    expect(page.text).toMatch(/<button[^>]*type="submit"[^>]*formaction="\/export\/confirm"[^>]*>Export<\/button>/);
    expect(page.text).toMatch(/<button type="submit" formaction="\/datasets\/new">Save as dataset<\/button>/);
    const dialog = await w.browser.post("/export/confirm", { _csrf: w.token, format: "deepeval", all: "1", f_status: ["golden", "incorrect"] });
    expect(plain(dialog.text)).toContain("3 sessions: 2 golden, 1 incorrect");
    const res = await w.browser.post("/export", downloadForm(dialog.text));
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
    const badFilter = await w.browser.post("/export", { _csrf: w.token, format: "deepeval", all: "1", f_status: "bogus" });
    expect(badFilter.status).toBe(400);
  });
});
