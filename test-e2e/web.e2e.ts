/**
 * The web view in a real browser (Debian's Chromium through playwright-core) against a real `wrangler dev`:
 * sign in, mark, filter, label, export, a stored XSS payload, a concurrent edit, sign out. Each step leaves a
 * screenshot in test-output/e2e/ (git-ignored).
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoSessions } from "../scripts/demo-sessions";
import { createKey, loadSessions, ROOT } from "../scripts/lib/dev-server";
import { launchChromium } from "../scripts/e2e-browser";
import { apiClient } from "./api";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");
const SHOTS = join(ROOT, "test-output", "e2e");

const XSS_TITLE = "Stored XSS <script>alert(1)</script> <img src=x onerror=alert(1)>";
const xssSession = {
  externalId: "e2e-xss-1",
  title: XSS_TITLE,
  source: "claude-code",
  model: "claude-sonnet-4-20250514",
  createdAt: Date.parse("2025-11-26T12:00:00Z"),
  messages: [
    { role: "system", content: "System <script>alert('system')</script>" },
    { role: "user", content: "Render this: <img src=x onerror=alert(1)> and <script>alert(1)</script>" },
    {
      role: "assistant",
      content: "Here: <svg onload=alert(2)></svg>",
      reasoning: "<script>alert('reasoning')</script>",
      toolCalls: [{ id: "call_x", name: "Bash", arguments: { command: "echo '<script>alert(3)</script>'" } }],
    },
    { role: "tool", toolCallId: "call_x", toolName: "Bash", content: "<script>alert(3)</script><img src=x onerror=alert(4)>" },
    { role: "assistant", content: "\"><script>alert(5)</script>" },
  ],
};

/** Titles of the demo sessions the walk uses. */
const INDEX = "Add an index on events.user_id";
const FLAKY = "Explain the flaky test in payments.spec.ts";
const DOCKER = "Why is the Docker build so slow?";
const LOGIN = "Fix the login redirect loop after session expiry";

let key = "";
let ids = new Map<string, string>(); // title → server id
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
/** beforeunload prompts accepted while `leaving` is set (the leave-guard of a page with unsaved edits). */
const leavePrompts: string[] = [];
let leaving = false;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
let shot = 0;

async function snap(name: string) {
  shot++;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true });
}

const api = apiClient(BASE, () => key);

async function apiSession(id: string): Promise<Record<string, any>> {
  const res = await api(`/api/sessions/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

const rowCheckbox = (title: string) => page.getByRole("checkbox", { name: `Select ${title}`, exact: true });
const tableRows = () => page.locator("table tbody tr");

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  ({ key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, "e2e"));
  const results = await loadSessions({ url: BASE }, key, [...demoSessions, xssSession]);
  ids = new Map([...demoSessions, xssSession].map((s, i) => [s.title!, results[i]!.id]));

  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on("dialog", (d) => {
    if (leaving && d.type() === "beforeunload") {
      leavePrompts.push(d.type());
      void d.accept();
      return;
    }
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe.sequential("the web view, end to end", () => {
  it("signs in with an API key; the key stays out of the page, URL and storage", async () => {
    const res = await page.goto(`${BASE}/`);
    expect(res!.status()).toBe(200);
    await expect.poll(() => page.getByRole("heading", { name: "Sign in to evalport" }).isVisible()).toBe(true);
    await snap("sign-in");
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${BASE}/sessions`);
    expect(await page.getByRole("heading", { name: "Sessions", level: 1 }).isVisible()).toBe(true);
    expect(await tableRows().count()).toBe(demoSessions.length + 1);

    expect(page.url()).not.toContain(key);
    expect(await page.content()).not.toContain(key);
    const storage = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) }));
    expect(storage).toEqual({ cookie: "", local: "{}", session: "{}" }); // the session cookie is HttpOnly
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "evalport_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });
    expect(session.value).not.toContain(key.slice(4));
    await snap("sessions");
  });

  it("marks three sessions eval-ready with the checkboxes and the button", async () => {
    await page.getByRole("combobox", { name: /^Eval-ready/ }).selectOption("false");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/ready=false/);
    expect(await tableRows().count()).toBe(3);
    for (const title of [INDEX, FLAKY, XSS_TITLE]) await rowCheckbox(title).check();
    expect(await page.locator("[data-selection-count]").textContent()).toBe("3 selected");
    await snap("sessions-selected");
    await page.getByRole("button", { name: "Mark as Eval Ready" }).click();
    // A confirmation page states the count first.
    await page.waitForURL(/\/sessions\/bulk/);
    expect(await page.locator("main").textContent()).toContain("3 sessions");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(/done=marked/);
    expect(await page.locator("p.notice[role=status]:not(.undo)").textContent()).toBe("3 sessions: Marked as eval-ready.");
    // …and offers to undo it.
    expect(await page.locator("p.notice.undo").textContent()).toContain("Last bulk action");
    // They left the "not eval-ready" view.
    expect(await tableRows().count()).toBe(0);
    for (const title of [INDEX, FLAKY, XSS_TITLE]) expect((await apiSession(ids.get(title)!)).evalReady).toBe(true);
    expect((await apiSession(ids.get(DOCKER)!)).evalStatus).toBe("needs_review");
  });

  it("filters the Evals view by status", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evals" }).click();
    await page.waitForURL(`${BASE}/evals`);
    expect(await page.locator("svg[role=group]").count()).toBe(2);
    expect(await page.locator("svg[role=group]").first().getAttribute("aria-label")).toBe("Status (8 eval-ready): Golden 2, Correct 1, Incorrect 1, Needs review 4");
    await snap("evals");
    await page.getByRole("checkbox", { name: "Needs review" }).check();
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=needs_review/);
    const titles = await page.locator("table tbody tr td:nth-child(2) a").allTextContents();
    expect(new Set(titles)).toEqual(new Set([INDEX, FLAKY, XSS_TITLE, DOCKER]));
    await snap("evals-filtered");
  });

  it("opens a session, labels it golden with tags and an expected output, and saves", async () => {
    await page.getByRole("link", { name: INDEX, exact: true }).click();
    await page.waitForURL(/\/review\/.*view=evals.*status=needs_review/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(INDEX);
    // Reasoning is folded away by default; tool calls are folded too.
    for (const d of await page.locator("details:has(> summary:text-is('Reasoning'))").all()) expect(await d.getAttribute("open")).toBeNull();
    await page.getByRole("radio", { name: /^Golden/ }).check();
    // One field per tag: typing in the empty one adds another empty one after it.
    await page.getByLabel("New tag", { exact: true }).last().fill("sql");
    await page.getByLabel("New tag", { exact: true }).last().fill("performance");
    await page.locator("#expectedOutput").fill("Create the index CONCURRENTLY so writes are not blocked.");
    await snap("review-labelled");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/saved=1/);
    expect(await page.getByRole("status").textContent()).toBe("Saved.");
    const s = await apiSession(ids.get(INDEX)!);
    expect(s).toMatchObject({ evalReady: true, evalStatus: "golden", evalTags: ["sql", "performance"], expectedOutput: "Create the index CONCURRENTLY so writes are not blocked." });
    await snap("review-saved");
  });

  it("walks the filtered list with Next and Previous", async () => {
    // The list is still "needs review"; the session just labelled golden left it, so open its first entry.
    await page.goto(`${BASE}/evals?status=needs_review`);
    const titles = await page.locator("table tbody tr td:nth-child(2) a").allTextContents();
    expect(titles).toHaveLength(3);
    await page.getByRole("link", { name: titles[0]!, exact: true }).click();
    expect(await page.locator(".position").textContent()).toContain("1 of 3");
    await page.locator("a[rel=next]").click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(titles[1]);
    await page.locator("a[rel=next]").click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(titles[2]);
    await page.locator("a[rel=prev]").click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(titles[1]);
    await page.locator("a[rel=next]").click();
    // Past the last session of the queue: the "queue done" page.
    await page.locator("a[rel=next]").click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Queue done");
  });

  it("exports the selection as DeepEval through the dialog and downloads exactly those sessions", async () => {
    await page.goto(`${BASE}/evals`);
    await rowCheckbox(INDEX).check();
    await rowCheckbox(LOGIN).check();
    await page.getByLabel("Export as").selectOption("deepeval");
    await snap("export-selection");
    await page.getByRole("button", { name: "Export", exact: true }).click();
    // The dialog first: what will be exported, and the masking (secrets masked unless unticked).
    await page.waitForURL(`${BASE}/export/confirm`);
    expect(await page.locator("[data-export-count]").textContent()).toMatch(/^2 sessions: .*golden.* \(the 2 ticked sessions\)\.$/);
    expect(await page.getByRole("checkbox", { name: /^Mask secrets/ }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "also file paths" }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "also e-mail addresses" }).isChecked()).toBe(false);
    await snap("export-dialog");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download", exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^evalport-deepeval-\d{4}-\d{2}-\d{2}\.json$/);
    const file = readFileSync((await download.path())!, "utf8");
    const objects = JSON.parse(file) as { input: string; expected_output: string | null; additional_metadata: { session_id: string } }[];
    expect(new Set(objects.map((o) => o.additional_metadata.session_id))).toEqual(new Set([ids.get(INDEX), ids.get(LOGIN)]));
    const mine = objects.filter((o) => o.additional_metadata.session_id === ids.get(INDEX));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.at(-1)!.expected_output).toBe("Create the index CONCURRENTLY so writes are not blocked.");
    for (const o of mine.slice(0, -1)) expect(o.expected_output).toBeNull();
    // The dialog stayed where it was; Cancel goes back to the list.
    expect(page.url()).toBe(`${BASE}/export/confirm`);
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL(`${BASE}/evals`);
  });

  it("exports the whole filtered view with “Every session in this filtered view”, counted in the dialog", async () => {
    await page.goto(`${BASE}/evals?status=golden`);
    await page.getByLabel("Export as").selectOption("deepeval-jsonl");
    await page.getByRole("checkbox", { name: "Every session in this filtered view" }).check();
    await page.getByRole("button", { name: "Export", exact: true }).click();
    await page.waitForURL(`${BASE}/export/confirm`);
    expect(await page.locator("[data-export-count]").textContent()).toBe("3 sessions: 3 golden (every session in this filtered view: Evals · golden).");
    expect(await page.locator("[data-export-warning]").count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download", exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
    const lines = readFileSync((await download.path())!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { additional_metadata: { session_id: string } });
    const golden = ((await (await api("/api/evals?status=golden")).json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
    expect(golden).toHaveLength(3);
    expect(new Set(lines.map((l) => l.additional_metadata.session_id))).toEqual(new Set(golden));
  });

  it("shows a stored XSS payload as text: no dialog, no injected element", async () => {
    await page.goto(`${BASE}/evals`);
    await page.getByRole("link", { name: XSS_TITLE, exact: true }).click();
    await page.waitForURL(/\/review\//);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(XSS_TITLE);
    // Open every fold (reasoning, tool calls, tool output) too.
    for (const summary of await page.locator("summary").all()) await summary.click();
    await page.waitForTimeout(300);
    await snap("review-xss");
    const dom = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
      imgs: document.querySelectorAll("img").length,
      svgOnload: document.querySelectorAll("svg[onload]").length,
    }));
    expect(dom).toEqual({ scripts: ["/assets/app.js"], imgs: 0, svgOnload: 0 });
    expect(await page.getByText("<img src=x onerror=alert(4)>", { exact: false }).count()).toBeGreaterThan(0);
    // Also on the lists, where the title and tags show.
    await page.goto(`${BASE}/sessions`);
    await page.goto(`${BASE}/evals`);
    expect(dialogs).toEqual([]);
  });

  it("a concurrent edit: the save shows the conflict and keeps the other edit", async () => {
    const id = ids.get(DOCKER)!;
    await page.goto(`${BASE}/review/${id}?view=evals`);
    await page.locator("#evalNotes").fill("My notes from the browser");
    await page.getByRole("radio", { name: /^Correct/ }).check();

    const patch = await api(`/api/sessions/${id}/eval`, { method: "PATCH", body: JSON.stringify({ evalStatus: "incorrect", evalNotes: "Edited through the API meanwhile" }) });
    expect(patch.status).toBe(200);

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForLoadState();
    const alert = page.locator("#conflict");
    expect(await alert.isVisible()).toBe(true);
    // Who changed it (the API key's name) and how the two versions differ.
    expect(await alert.textContent()).toMatch(/^Changed by .+ while you were reviewing\./);
    expect(await alert.textContent()).toContain("status: theirs Incorrect, yours Correct");
    // Their version is in the form, mine is listed as unsaved.
    expect(await page.locator("#evalNotes").inputValue()).toBe("Edited through the API meanwhile");
    expect(await page.locator("input[name=evalStatus]:checked").inputValue()).toBe("incorrect");
    // Mine are offered back from the draft: "Restore them" puts them in the form, unsaved.
    await page.getByRole("button", { name: "Restore them" }).click();
    expect(await page.locator("#evalNotes").inputValue()).toBe("My notes from the browser");
    expect(await page.locator("input[name=evalStatus]:checked").inputValue()).toBe("correct");
    await snap("review-conflict");
    const s = await apiSession(id);
    expect(s).toMatchObject({ evalStatus: "incorrect", evalNotes: "Edited through the API meanwhile" });
    // My edit is still unsaved, so leaving asks first; accepting it leaves.
    leaving = true;
    try {
      await page.locator("#evalNotes").fill("My notes, typed again"); // a keystroke (browsers ask only after one)
      await page.goto(`${BASE}/sessions`);
    } finally {
      leaving = false;
    }
    expect(leavePrompts).toEqual(["beforeunload"]);
  });

  it("signs out; afterwards the views send you to sign in", async () => {
    await page.goto(`${BASE}/sessions`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${BASE}/`);
    expect(await page.getByRole("heading", { name: "Sign in to evalport" }).isVisible()).toBe(true);
    expect((await context.cookies()).some((c) => c.name === "evalport_session")).toBe(false);
    await page.goto(`${BASE}/sessions`);
    // Sent to sign in, with the page asked for kept for after it.
    expect(page.url()).toBe(`${BASE}/?next=%2Fsessions`);
    expect(await page.getByRole("heading", { name: "Sign in to evalport" }).isVisible()).toBe(true);
    await snap("signed-out");
  });

  it("ran without dialogs, script errors or CSP violations", () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    // The only console error is the browser noting the 409 status of the conflict page.
    expect(consoleErrors.filter((e) => !/status of 409 \(Conflict\) @ .*\/review\//.test(e))).toEqual([]);
  });
});
