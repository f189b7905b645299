/**
 * The web view's datasets (issue 13.1): "Save as dataset" from the Evals view's selection form (ticked rows or the
 * filtered view), the Datasets page with its export menu and delete step — through the same freeze and export code
 * as /api/datasets.
 */
import { describe, expect, it } from "vitest";
import { evalsViewSchema } from "../../src/web/filters";
import { fake } from "../redact/corpus/fake";
import { call, sessionBody } from "../helpers";
import { Browser, expectForbiddenPage, inputValue, signedIn, type Page } from "./_support";

const T0 = Date.UTC(2025, 10, 1);
const GHP = "ghp_" + fake(36, 913);
const today = () => new Date().toISOString().slice(0, 10);

async function setup(workspace: string, scopes?: Parameters<typeof signedIn>[1]) {
  const { key, browser } = await signedIn(workspace, scopes);
  const adminKey = scopes ? (await signedIn(workspace)).key : key;
  const res = await call("/api/sessions/batch", {
    method: "POST",
    key: adminKey,
    json: {
      sessions: [
        sessionBody({ title: "Login loop G1", createdAt: T0 + 1, evalReady: true, evalStatus: "golden", evalTags: ["auth"], expectedOutput: "EXPECTED-G1" }),
        sessionBody({ title: "Login token C1", createdAt: T0 + 2, evalReady: true, evalStatus: "correct", evalTags: ["auth", "sql"] }),
        sessionBody({ title: "Query I1", createdAt: T0 + 3, evalReady: true, evalStatus: "incorrect", evalTags: ["sql"] }),
        sessionBody({
          title: "Secrets G2",
          createdAt: T0 + 4,
          evalReady: true,
          evalStatus: "golden",
          messages: [
            { externalId: "m1", role: "user", content: `My token is ${GHP}, mail alice@acme-robotics.io if it breaks.` },
            { externalId: "m2", role: "assistant", content: "Rotate that token now." },
          ],
        }),
        sessionBody({ title: "Not ready", createdAt: T0 + 5, evalReady: false, evalStatus: "golden", evalTags: ["auth"] }),
      ],
    },
  });
  expect(res.status).toBe(200);
  const [g1, c1, i1, g2, notReady] = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id) as [string, string, string, string, string];
  const token = await browser.csrf(scopes && !scopes.includes("sessions:read") ? "/datasets" : "/evals");
  return { key, adminKey, browser, token, g1, c1, i1, g2, notReady };
}

type Dataset = { id: string; name: string; description: string | null; sessionCount: number; filters: Record<string, unknown>; sessionIds: string[] };

async function apiDatasets(key: string): Promise<Dataset[]> {
  const res = await call("/api/datasets", { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { datasets: Dataset[] }).datasets;
}

async function apiDataset(key: string, id: string): Promise<Dataset> {
  const res = await call(`/api/datasets/${id}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Dataset;
}

/** Every hidden input of a page, as name → values. */
function hidden(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? "";
    if (name && name !== "_csrf") (out[name] ??= []).push(value);
  }
  return out;
}

/** The save form's hidden fields plus what a person types, posted to /datasets. */
function saveFrom(form: Page, token: string, typed: Record<string, string>) {
  return { _csrf: token, ...hidden(form.text), ...typed };
}

/** Session ids of a DeepEval export, in file order. */
const sessionsOf = (body: string) => [...new Set((JSON.parse(body) as { additional_metadata: { session_id: string } }[]).map((o) => o.additional_metadata.session_id))];

const savedId = (page: Page) => {
  expect(page.status, page.text).toBe(303);
  const m = /^\/datasets\?saved=(.+)$/.exec(page.location ?? "");
  expect(m, page.location ?? "").not.toBeNull();
  return decodeURIComponent(m![1]!);
};

describe("Save as dataset", () => {
  it("from ticked rows: states the count, freezes exactly the eval-ready ticked sessions, and the list says so", async () => {
    const w = await setup("ds-ticked");
    const form = await w.browser.post("/datasets/new", { _csrf: w.token, f_status: "golden", id: [w.g2, w.c1, w.notReady, "unknown-id"] });
    expect(form.status, form.text).toBe(200);
    expect(form.text).toContain("Save as dataset");
    expect(form.text).toMatch(/data-freeze-count="2"/);
    expect(form.text).toContain("2 sessions</strong> of the ticked sessions will be frozen");
    // Cancel goes back to the same Evals view.
    expect(form.text).toContain('href="/evals?status=golden"');
    expect(hidden(form.text).by).toEqual(["ticked"]);

    const saved = await w.browser.post("/datasets", saveFrom(form, w.token, { name: "Ticked pair", description: "Two sessions\r\nfrom the list" }));
    const id = savedId(saved);
    const d = await apiDataset(w.key, id);
    expect(d.name).toBe("Ticked pair");
    expect(d.description).toBe("Two sessions\nfrom the list");
    expect(d.sessionCount).toBe(2);
    expect(d.sessionIds).toEqual([w.c1, w.g2]);

    const list = await w.browser.get(saved.location!);
    expect(list.status).toBe(200);
    expect(list.text).toContain("Saved “Ticked pair”: 2 sessions.");
    expect(list.text).toContain("picked by id (4 ids)");

    // The dataset's file holds those sessions, as the API's dataset export gives it.
    const file = await w.browser.get(`/datasets/${id}/export?format=deepeval&redact=none&redact=secrets`);
    expect(file.status).toBe(200);
    expect(sessionsOf(file.text)).toEqual([w.c1, w.g2]);
    const api = await call(`/api/datasets/${id}/export?format=deepeval`, { key: w.key });
    expect(file.text).toBe(await api.text());
  });

  it("from the filtered view (no ticks): freezes by status and tag filters, set-based, and stays frozen", async () => {
    const w = await setup("ds-view");
    const form = await w.browser.post("/datasets/new", { _csrf: w.token, f_status: ["golden", "correct"], f_tag: "auth" });
    expect(form.status, form.text).toBe(200);
    expect(form.text).toMatch(/data-freeze-count="2"/);
    expect(form.text).toContain("of this filtered view will be frozen");
    expect(hidden(form.text)).toMatchObject({ by: ["filters"], status: ["golden", "correct"], tag: ["auth"] });
    expect(hidden(form.text).id).toBeUndefined();

    const id = savedId(await w.browser.post("/datasets", saveFrom(form, w.token, { name: "Auth goldens" })));
    const d = await apiDataset(w.key, id);
    expect(d.filters).toEqual({ status: ["golden", "correct"], tag: ["auth"] });
    expect(d.sessionIds).toEqual([w.g1, w.c1]);

    // Relabelled since: the dataset keeps what it froze.
    const relabel = await call(`/api/sessions/${w.c1}/eval`, { method: "PATCH", key: w.key, json: { evalStatus: "incorrect" } });
    expect(relabel.status).toBeLessThan(300);
    const file = await w.browser.get(`/datasets/${id}/export?format=deepeval-conversational`);
    expect(file.status).toBe(200);
    expect(file.text).toContain("Login token C1");
    expect(file.headers.get("x-export-sessions")).toBe("2");

    // "Every session in this filtered view" wins over ticked rows.
    const all = await w.browser.post("/datasets/new", { _csrf: w.token, all: "1", id: [w.i1], f_status: "golden" });
    expect(all.text).toMatch(/data-freeze-count="2"/);
    expect(hidden(all.text)).toMatchObject({ by: ["filters"], status: ["golden"] });

    // With a split: only that side, and the settings are kept with the dataset.
    const split = savedId(await w.browser.post("/datasets", saveFrom(all, w.token, { name: "Golden test side", split: "test", testFraction: "0.5", seed: "s1" })));
    const sd = await apiDataset(w.key, split);
    expect(sd.filters).toEqual({ status: ["golden"], split: "test", testFraction: 0.5, seed: "s1" });
    const live = await call(`/api/export?format=deepeval&status=golden&split=test&testFraction=0.5&seed=s1`, { key: w.key });
    expect(sd.sessionCount).toBe(Number(live.headers.get("x-export-sessions")));
    await live.body?.cancel();
    const page = await w.browser.get("/datasets");
    expect(page.text).toContain("Test side (test share 50%, seed “s1”)");
  });

  it.skipIf(!("q" in evalsViewSchema.shape))("a view searched by text freezes the view's resolved ids", async () => {
    const w = await setup("ds-search");
    const form = await w.browser.post("/datasets/new", { _csrf: w.token, f_q: "login" });
    expect(form.status, form.text).toBe(200);
    expect(hidden(form.text).by).toEqual(["ids"]);
    expect(new Set(hidden(form.text).id)).toEqual(new Set([w.g1, w.c1]));
    const id = savedId(await w.browser.post("/datasets", saveFrom(form, w.token, { name: "Login" })));
    expect((await apiDataset(w.key, id)).sessionIds).toEqual([w.g1, w.c1]);
  });

  it("a searched view over the id cap saves its newest 500 and says so; a status view of any size saves every session", async () => {
    const { key, browser } = await signedIn("ds-cap");
    const ids: string[] = [];
    for (let b = 0; b < 6; b++) {
      const n = b < 5 ? 100 : 1;
      const res = await call("/api/sessions/batch", {
        method: "POST",
        key,
        json: { sessions: Array.from({ length: n }, (_, i) => sessionBody({ title: `Capword ${b * 100 + i}`, createdAt: T0 + b * 100 + i, evalReady: true, evalStatus: "correct" })) },
      });
      expect(res.status).toBe(200);
      ids.push(...((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id));
    }
    const token = await browser.csrf("/evals");
    const byStatus = await browser.post("/datasets/new", { _csrf: token, f_status: "correct" });
    expect(byStatus.text).toMatch(/data-freeze-count="501"/);
    expect(byStatus.text).not.toContain("keeps at most");
    expect((await apiDataset(key, savedId(await browser.post("/datasets", saveFrom(byStatus, token, { name: "All 501" }))))).sessionCount).toBe(501);

    if (!("q" in evalsViewSchema.shape)) return;
    const searched = await browser.post("/datasets/new", { _csrf: token, f_q: "capword" });
    expect(searched.status, searched.text).toBe(200);
    expect(searched.text).toMatch(/data-freeze-count="500"/);
    expect(searched.text).toContain("This view holds 501 sessions");
    expect(searched.text).toContain("only the 500 newest are saved");
    expect(hidden(searched.text).id).toHaveLength(500);
    const d = await apiDataset(key, savedId(await browser.post("/datasets", saveFrom(searched, token, { name: "Newest 500" }))));
    expect(d.sessionCount).toBe(500);
    expect(d.sessionIds).toEqual(ids.slice(1));
  });

  it("nothing to save (empty view, or no ticked session eval-ready) says so in plain words and makes nothing", async () => {
    const w = await setup("ds-empty");
    const empty = await w.browser.post("/datasets/new", { _csrf: w.token, f_tag: "nothing-has-this" });
    expect(empty.status).toBe(400);
    expect(empty.headers.get("content-type")).toMatch(/^text\/html/);
    expect(empty.text).toContain("This filtered view has no sessions, so there is nothing to save");
    const notReady = await w.browser.post("/datasets/new", { _csrf: w.token, id: [w.notReady] });
    expect(notReady.status).toBe(400);
    expect(notReady.text).toContain("None of the ticked sessions is eval-ready");
    // A tampered form that names ids but carries none is refused, not read as "every session".
    const tampered = await w.browser.post("/datasets", { _csrf: w.token, by: "ids", name: "All of it" });
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain("Nothing was saved");
    expect(await apiDatasets(w.key)).toEqual([]);
  });

  it("validation errors show the form again with what was typed and the error by its field", async () => {
    const w = await setup("ds-invalid");
    const form = await w.browser.post("/datasets/new", { _csrf: w.token, id: [w.g1, w.c1] });
    const bad = await w.browser.post("/datasets", saveFrom(form, w.token, { name: "   ", description: "Keep <this> text", split: "test", testFraction: "1.5", seed: "my-seed" }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
    expect(bad.text).toMatch(/id="err-name"[^>]*>Give the dataset a name/);
    expect(bad.text).toMatch(/id="err-testFraction"[^>]*>The test share is a number between 0 and 1/);
    expect(bad.text).toContain("Keep &lt;this&gt; text");
    expect(inputValue(bad.text, "testFraction")).toBe("1.5");
    expect(inputValue(bad.text, "seed")).toBe("my-seed");
    expect(bad.text).toMatch(/<option value="test" selected/);
    // The selection is still carried, so fixing the name saves the same sessions.
    expect(hidden(bad.text).id).toEqual([w.g1, w.c1]);
    expect(bad.text).toMatch(/data-freeze-count="2"/);

    const long = await w.browser.post("/datasets", saveFrom(form, w.token, { name: "x".repeat(129) }));
    expect(long.status).toBe(400);
    expect(long.text).toContain("A name can have at most 128 characters; this one has 129 characters.");
    expect(inputValue(long.text, "name")).toBe("x".repeat(129));

    const noSplit = await w.browser.post("/datasets", saveFrom(form, w.token, { name: "ok", testFraction: "0.3" }));
    expect(noSplit.status).toBe(400);
    expect(noSplit.text).toContain("A test share only applies with a split");

    expect(await apiDatasets(w.key)).toEqual([]);
    const fixed = await w.browser.post("/datasets", saveFrom(bad, w.token, { name: "Fixed", description: "Keep <this> text", split: "test", testFraction: "0.25", seed: "my-seed" }));
    const d = await apiDataset(w.key, savedId(fixed));
    expect(d.description).toBe("Keep <this> text");
    expect(d.filters).toMatchObject({ id: [w.g1, w.c1], split: "test", testFraction: 0.25, seed: "my-seed" });
  });
});

describe("the Datasets page", () => {
  it("lists the workspace's datasets newest first with counts, filters, split and an export menu; empty state first", async () => {
    const w = await setup("ds-list");
    const none = await w.browser.get("/datasets");
    expect(none.status).toBe(200);
    expect(none.text).toContain("No datasets yet.");
    expect(none.text).toContain("Save as dataset");
    expect(none.text).toMatch(/<a href="\/datasets" aria-current="page">Datasets<\/a>/);

    const a = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "Older", description: "First one", status: ["golden"] } });
    expect(a.status).toBe(201);
    const b = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "Newer", tag: ["auth", "sql"], split: "train" } });
    expect(b.status).toBe(201);
    const page = await w.browser.get("/datasets");
    expect(page.status).toBe(200);
    expect(page.text.indexOf("Newer")).toBeLessThan(page.text.indexOf("Older"));
    expect(page.text).toContain("First one");
    expect(page.text).toContain("Golden");
    expect(page.text).toContain("tags auth, sql");
    expect(page.text).toContain("Train side (test share 20%, seed “evalport”)");
    expect(page.text).toMatch(/data-session-count[^>]*>2</);
    for (const f of ["deepeval", "deepeval-jsonl", "deepeval-conversational", "openai", "promptfoo", "text"]) expect(page.text).toContain(`<option value="${f}">`);
    expect(page.text).toMatch(/<input type="checkbox" name="redact" value="secrets" checked/);
    expect(page.text).toMatch(/<input type="checkbox" name="redact" value="paths"\s*\/?>/);
    expect(page.text).toContain("Yes, delete “Older”");

    // Names and descriptions are text, never markup.
    const xss = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "<img src=x onerror=alert(1)>", description: "</dd><script>alert(2)</script>" } });
    expect(xss.status).toBe(201);
    const escaped = await w.browser.get("/datasets");
    expect(escaped.text).not.toContain("<img src=x");
    expect(escaped.text).not.toContain("<script>alert");
    expect(escaped.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("export downloads the dataset's file by name, as the API gives it, and honours the masking boxes", async () => {
    const w = await setup("ds-export");
    const made = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "Secret set", id: [w.g2] } });
    const { id } = (await made.json()) as { id: string };

    const promptfoo = await w.browser.get(`/datasets/${id}/export?format=promptfoo&redact=none&redact=secrets`);
    expect(promptfoo.status).toBe(200);
    expect(promptfoo.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(promptfoo.headers.get("content-disposition")).toBe(`attachment; filename="evalport-Secret_set-promptfoo-${today()}.jsonl"`);
    expect(promptfoo.text).not.toContain(GHP);
    expect(promptfoo.text).toContain("[REDACTED:");
    expect(promptfoo.text).toContain("alice@acme-robotics.io");
    const api = await call(`/api/datasets/${id}/export?format=promptfoo&redact=secrets`, { key: w.key });
    expect(promptfoo.text).toBe(await api.text());

    // Every box unticked: nothing masked; secrets and e-mails ticked: both masked; a bare link keeps the default.
    const plain = await w.browser.get(`/datasets/${id}/export?format=text&redact=none`);
    expect(plain.text).toContain(GHP);
    const both = await w.browser.get(`/datasets/${id}/export?format=text&redact=none&redact=secrets&redact=emails`);
    expect(both.text).not.toContain(GHP);
    expect(both.text).not.toContain("alice@acme-robotics.io");
    const bare = await w.browser.get(`/datasets/${id}/export`);
    expect(bare.headers.get("content-disposition")).toContain("-deepeval-");
    expect(bare.text).not.toContain(GHP);

    const badFormat = await w.browser.get(`/datasets/${id}/export?format=csv`);
    expect(badFormat.status).toBe(400);
    expect(badFormat.headers.get("content-type")).toMatch(/^text\/html/);
    const badMask = await w.browser.get(`/datasets/${id}/export?redact=everything`);
    expect(badMask.status).toBe(400);
  });

  it("delete goes through a confirmation step, then removes the dataset and keeps its sessions", async () => {
    const w = await setup("ds-delete");
    const made = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "Doomed", status: ["golden"] } });
    const { id } = (await made.json()) as { id: string };
    const page = await w.browser.get("/datasets");
    expect(page.text).toMatch(/<details class="confirm-delete"><summary>Delete…<\/summary><form method="post" action="\/datasets\/[^"]+\/delete">/);
    const gone = await w.browser.post(`/datasets/${id}/delete`, { _csrf: w.token });
    expect(gone.status).toBe(303);
    expect(gone.location).toBe("/datasets?deleted=1");
    expect((await call(`/api/datasets/${id}`, { key: w.key })).status).toBe(404);
    expect((await call(`/api/sessions/${w.g1}`, { key: w.key })).status).toBe(200);
    const after = await w.browser.get(gone.location!);
    expect(after.text).toContain("Deleted the dataset; its sessions are still there.");
    expect(after.text).not.toContain("Doomed");
    // Deleting again: the web 404 page.
    const again = await w.browser.post(`/datasets/${id}/delete`, { _csrf: w.token });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toMatch(/^text\/html/);
  });
});

describe("datasets: security", () => {
  it("posts without the CSRF token, or from another origin, are refused and change nothing", async () => {
    const w = await setup("ds-csrf");
    const made = await call("/api/datasets", { method: "POST", key: w.key, json: { name: "Kept" } });
    const { id } = (await made.json()) as { id: string };
    expectForbiddenPage(await w.browser.post("/datasets/new", { id: [w.g1] }), /CSRF/);
    expectForbiddenPage(await w.browser.post("/datasets", { by: "filters", name: "Sneaky" }), /CSRF/);
    expectForbiddenPage(await w.browser.post("/datasets", { _csrf: w.token, by: "filters", name: "Sneaky" }, { origin: "https://evil.example" }), /CSRF/);
    expectForbiddenPage(await w.browser.post(`/datasets/${id}/delete`, {}), /CSRF/);
    expectForbiddenPage(await w.browser.post(`/datasets/${id}/delete`, { _csrf: "wrong" }), /CSRF/);
    expect((await apiDatasets(w.key)).map((d) => d.name)).toEqual(["Kept"]);
  });

  it("not signed in: the page and its actions go to sign-in", async () => {
    const b = new Browser();
    const page = await b.get("/datasets");
    expect(page.status).toBe(302);
    expect(page.location).toBe("/?next=%2Fdatasets");
    const post = await b.post("/datasets", { name: "x", by: "filters" });
    expect(post.status).toBe(303);
    expect(post.location?.startsWith("/")).toBe(true);
    const file = await b.get("/datasets/ds_whatever/export?format=deepeval");
    expect(file.status).toBe(302);
    expect(file.headers.get("content-disposition")).toBeNull();
  });

  it("a key without export:read sees why, not the datasets (as the API); the actions refuse", async () => {
    const w = await setup("ds-scope", ["sessions:read", "sessions:write", "evals:write"]);
    const made = await call("/api/datasets", { method: "POST", key: w.adminKey, json: { name: "Theirs" } });
    const { id } = (await made.json()) as { id: string };
    const page = await w.browser.get("/datasets");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("Theirs");
    expect(page.text).not.toContain(id);
    expect(page.text).toContain("lacks the export:read scope");
    expect(page.text).not.toContain(`action="/datasets/${id}/delete"`);
    expectForbiddenPage(await w.browser.post("/datasets/new", { _csrf: w.token, id: [w.g1] }), /export:read/);
    expectForbiddenPage(await w.browser.post("/datasets", { _csrf: w.token, by: "filters", name: "Nope" }), /export:read/);
    expectForbiddenPage(await w.browser.get(`/datasets/${id}/export?format=deepeval`), /export:read/);
    expectForbiddenPage(await w.browser.post(`/datasets/${id}/delete`, { _csrf: w.token }), /export:read/);
    expect((await apiDatasets(w.adminKey)).map((d) => d.name)).toEqual(["Theirs"]);
  });

  it("another workspace's dataset is not listed, and its export and delete answer the web 404 page", async () => {
    const a = await setup("ds-tenant-a");
    const b = await setup("ds-tenant-b");
    const made = await call("/api/datasets", { method: "POST", key: a.key, json: { name: "Workspace A only" } });
    const { id } = (await made.json()) as { id: string };
    const page = await b.browser.get("/datasets");
    expect(page.text).not.toContain("Workspace A only");
    expect(page.text).toContain("No datasets yet.");
    const file = await b.browser.get(`/datasets/${id}/export?format=deepeval`);
    expect(file.status).toBe(404);
    expect(file.headers.get("content-type")).toMatch(/^text\/html/);
    expect(file.headers.get("content-disposition")).toBeNull();
    const unknown = await b.browser.get(`/datasets/ds_unknown/export?format=deepeval`);
    expect(unknown.status).toBe(404);
    expect(unknown.text.replace(/ds_unknown/g, "")).toBe(file.text.replace(new RegExp(id, "g"), ""));
    const del = await b.browser.post(`/datasets/${id}/delete`, { _csrf: b.token });
    expect(del.status).toBe(404);
    expect((await apiDatasets(a.key)).map((d) => d.name)).toEqual(["Workspace A only"]);
    // Ticking another workspace's sessions saves nothing of them.
    const foreign = await b.browser.post("/datasets/new", { _csrf: b.token, id: [a.g1, a.c1] });
    expect(foreign.status).toBe(400);
    expect(await apiDatasets(b.key)).toEqual([]);
  });
});
