/**
 * The review workbench in a real browser (Debian's Chromium through playwright-core) against `wrangler dev`:
 * a 20-session queue labelled by keyboard alone, the three ways typed input used to be lost (a validation error,
 * leaving with unsaved edits, an expired sign-in), and messages full of hostile markdown/HTML.
 *
 * Its own workspace (its own key), its own sessions (externalIds `wb-…`), its own browser contexts: it shares the
 * dev server with the other e2e files but none of their data. Screenshots go to test-output/e2e-workbench/.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey, loadSessions, ROOT } from "../scripts/lib/dev-server";
import { launchChromium } from "../scripts/e2e-browser";
import { apiClient } from "./api";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");
const SHOTS = join(ROOT, "test-output", "e2e-workbench");
const WORKSPACE = "e2e-workbench";
const KEY_NAME = "browser tests"; // createKey's name: what reviewedBy says after a web save
/** The sessions are loaded (with their first labels) by another key of the workspace, so a web save shows. */
const LOADER_NAME = "workbench loader";

const STATUSES = ["golden", "correct", "incorrect", "needs_review"] as const;
const QUEUE_TAG = "kbq";
const QUEUE_SIZE = 20;
const LOSS_TAG = "loss";

const at = (i: number) => Date.parse("2026-01-10T12:00:00Z") - i * 60_000;

/** Twenty eval-ready sessions tagged `kbq`, newest first in the order of their number. */
const queueSessions = Array.from({ length: QUEUE_SIZE }, (_, i) => ({
  externalId: `wb-queue-${String(i).padStart(2, "0")}`,
  title: `Queue ${String(i + 1).padStart(2, "0")}: rename the ${["parser", "router", "cache", "logger", "mailer"][i % 5]} module`,
  source: "claude-code",
  model: "claude-sonnet-4-20250514",
  createdAt: at(i),
  evalReady: true,
  evalTags: [QUEUE_TAG],
  messages: [
    { role: "user", content: `Please rename module ${i} and update its imports.` },
    { role: "assistant", content: `Renamed module ${i}; **3 imports** updated.\n\n\`\`\`ts\nexport const moduleName = "m${i}";\n\`\`\`` },
  ],
}));

const lossSessions = ["validation", "leave", "leave-next", "expired", "resave", "resave-next"].map((name, i) => ({
  externalId: `wb-loss-${name}`,
  title: `Loss ${name}`,
  source: "codex",
  model: "gpt-5-codex",
  createdAt: Date.parse("2026-01-05T12:00:00Z") - i * 60_000,
  evalReady: true,
  evalTags: [LOSS_TAG],
  messages: [
    { role: "user", content: `Check the ${name} path.` },
    { role: "assistant", content: `The ${name} path is fine.` },
  ],
}));

const HUGE_TABLE = [
  `| ${Array.from({ length: 14 }, (_, c) => `column_${c}_with_a_long_header_name`).join(" | ")} |`,
  `|${Array.from({ length: 14 }, () => "---").join("|")}|`,
  ...Array.from({ length: 400 }, (_, r) => `| ${Array.from({ length: 14 }, (_, c) => (c === 0 ? `<b onmouseover=alert(${r})>row ${r}</b>` : `value_${r}_${c}_aaaaaaaaaaaaaaaa`)).join(" | ")} |`),
].join("\n");

const HOSTILE = [
  "Raw HTML follows.",
  "",
  "<script>window.__pwned = 'script'; alert('script')</script>",
  "",
  "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">",
  "",
  "<iframe src=\"javascript:alert('iframe')\"></iframe> <object data=\"x\"></object> <embed src=\"x\">",
  "",
  "<a href=\"javascript:alert('anchor')\">raw anchor</a> <svg onload=alert('svg')></svg> <details open ontoggle=alert('toggle')>d</details>",
  "",
  "<style>body{display:none}</style> <form action=\"https://evil.example/\"><input name=q></form> <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
  "",
  "Markdown links: [js link](javascript:alert('mdlink')) [JS upper](JaVaScRiPt:alert(1)) [entity](java&#x73;cript:alert(1))",
  "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vbscript](vbscript:msgbox(1)) [file](file:///etc/passwd)",
  "[ftp link](ftp://example.com/file) [relative](/api/admin/keys) [protocol-relative](//evil.example/x) <javascript:alert('autolink')>",
  "",
  "Images: ![js image](javascript:alert('img2')) ![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![remote](https://evil.example/p.png)",
  "",
  "Good ones: [the docs](https://example.com/docs?a=1&b=2 \"Docs\") and [plain http](http://example.org/) and [mail me](mailto:someone@example.com).",
  "",
  "Quotes in addresses: [quoted](https://example.com/q\"onmouseover=\"alert(1) \"t\\\"onclick=alert(2)\") and <https://example.com/a\"onmouseover=\"alert(3)>",
  "",
  "A textarea breaker: </textarea><script>alert('textarea')</script> and \"><script>alert('attr')</script>",
  "",
  "```html",
  "<script>alert('fenced')</script>",
  "<img src=x onerror=alert('fenced-img')>",
  "```",
  "",
  "```__proto__",
  "a fence named after Object.prototype",
  "```",
  "",
  "```constructor",
  "another one",
  "```",
  "",
  "```ts",
  "export function total(xs: number[]): number {",
  "  return xs.reduce((a, b) => a + b, 0); // sum",
  "}",
  "```",
].join("\n");

const UNCLOSED = ["Here is a fence that never closes:", "", "```js", "const y = 2;", "<script>alert('unclosed')</script>", "<img src=x onerror=alert('unclosed-img')>"].join("\n");

const TEXTAREA_BREAKER = "</textarea><script>alert('expected')</script><img src=x onerror=alert('expected-img')>";

const hostileSession = {
  externalId: "wb-hostile",
  title: "Hostile <script>alert('title')</script> markdown",
  source: "claude-code",
  model: "claude-sonnet-4-20250514",
  createdAt: Date.parse("2026-01-01T12:00:00Z"),
  messages: [
    { role: "user", content: "Show me everything </textarea><script>alert('user')</script>" },
    {
      role: "assistant",
      content: HOSTILE,
      toolCalls: [{ id: "call_h", name: "Read", arguments: { path: "</textarea><script>alert('args')</script>" } }],
    },
    { role: "tool", toolCallId: "call_h", toolName: "Read", content: "<script>alert('tool')</script><img src=x onerror=alert('tool-img')>" },
    { role: "assistant", content: UNCLOSED },
    { role: "user", content: "After the fence: **bold again** and a [link](https://example.net/after)." },
    { role: "assistant", content: `A big table:\n\n${HUGE_TABLE}\n\nEnd of table.` },
  ],
};

let key = "";
const idOf = new Map<string, string>(); // externalId → server id
let browser: Browser;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

const api = apiClient(BASE, () => key);

async function apiSession(id: string): Promise<Record<string, any>> {
  const res = await api(`/api/sessions/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

/** A fresh browser context (its own cookies and localStorage) with one page whose errors are collected. */
async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

function watch(page: Page) {
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
}

/**
 * Dialogs: a beforeunload (the leave guard) is answered by `leave.answer` and counted; anything else (an alert
 * from injected script) is recorded as a failure and dismissed.
 */
function handleDialogs(page: Page, leave: { answer: "accept" | "dismiss"; asked: number }) {
  page.on("dialog", (d: Dialog) => {
    if (d.type() === "beforeunload") {
      leave.asked++;
      void (leave.answer === "accept" ? d.accept() : d.dismiss());
      return;
    }
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
}

async function signIn(page: Page) {
  await page.goto(`${BASE}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${BASE}/sessions`);
}

const reviewPath = (externalId: string, query: string) => `/review/${idOf.get(externalId)}?${query}`;

const formValues = (page: Page) =>
  page.evaluate(() => {
    const form = document.querySelector("form.label-form") as HTMLFormElement;
    const checked = form.querySelector("input[name=evalStatus]:checked") as HTMLInputElement | null;
    return {
      evalStatus: checked?.value ?? "",
      evalReady: (form.querySelector("input[name=evalReady]") as HTMLInputElement).checked,
      evalTags: [...form.querySelectorAll<HTMLInputElement>("input[name=evalTags]")].map((i) => i.value).filter((v) => v.trim() !== ""),
      evalNotes: (form.querySelector("textarea[name=evalNotes]") as HTMLTextAreaElement).value,
      expectedOutput: (form.querySelector("textarea[name=expectedOutput]") as HTMLTextAreaElement).value,
    };
  });

async function snap(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * Makes every pointer and form-filling API of playwright throw for this page (page methods, its mouse and
 * touchscreen, and every Locator/ElementHandle of any page, for as long as the guard is on), so the keyboard run
 * provably uses `page.keyboard` alone. Returns the function that lifts it.
 */
async function forbidPointer(page: Page): Promise<() => void> {
  const restores: (() => void)[] = [];
  const forbid = (obj: any, names: string[], label: string) => {
    for (const name of names) {
      if (typeof obj[name] !== "function") continue;
      const original = obj[name];
      obj[name] = () => {
        throw new Error(`${label}.${name} used during the keyboard-only run`);
      };
      restores.push(() => (obj[name] = original));
    }
  };
  const pointer = ["click", "dblclick", "tap", "check", "uncheck", "setChecked", "hover", "fill", "selectOption", "dragTo", "dragAndDrop", "setInputFiles", "selectText"];
  forbid(page, pointer, "page");
  forbid(page.mouse, ["click", "dblclick", "down", "up", "move", "wheel"], "page.mouse");
  forbid(page.touchscreen, ["tap"], "page.touchscreen");
  forbid(Object.getPrototypeOf(page.locator("body")), pointer, "locator");
  const handle = await page.$("html");
  if (handle) {
    forbid(Object.getPrototypeOf(handle), pointer, "elementHandle");
    await handle.dispose();
  }
  return () => restores.reverse().forEach((r) => r());
}

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  ({ key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, WORKSPACE));
  const loader = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ workspace: WORKSPACE, name: LOADER_NAME }),
  });
  expect(loader.status).toBe(201);
  const all = [...queueSessions, ...lossSessions, hostileSession];
  const results = await loadSessions({ url: BASE }, ((await loader.json()) as { key: string }).key, all);
  all.forEach((s, i) => idOf.set(s.externalId, results[i]!.id));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

describe.sequential("the review workbench", () => {
  it("labels a 20-session queue by keyboard alone, from one goto to the Queue done page", { timeout: 300_000 }, async () => {
    const { page } = await newPage();
    const leave = { answer: "dismiss" as const, asked: 0 };
    handleDialogs(page, leave);
    // Counts every pointer event the page sees, across its navigations (keyboard activation fires none of these).
    await page.addInitScript(() => {
      const bump = (ev: Event) => {
        if (ev.type === "click" && (ev as MouseEvent).detail === 0) return; // a click made by a key (Enter/Space)
        const seen = sessionStorage.getItem("e2e:pointer");
        sessionStorage.setItem("e2e:pointer", seen ? `${seen} ${ev.type}` : ev.type);
      };
      for (const t of ["pointerdown", "pointerup", "mousedown", "mouseup", "click", "dblclick", "touchstart", "contextmenu"]) window.addEventListener(t, bump, true);
    });

    // The queue, newest first, as the API lists it.
    const listed = (await (await api(`/api/evals?tag=${QUEUE_TAG}&limit=50`)).json()) as { sessions: { id: string; title: string }[] };
    const order = listed.sessions.map((s) => s.id);
    expect(order).toEqual(queueSessions.map((s) => idOf.get(s.externalId)));
    const before = new Map<string, number | null>();
    for (const id of order) {
      const s = await apiSession(id!);
      expect(s.reviewedBy).not.toBe(KEY_NAME);
      before.set(id!, s.reviewedAt);
    }
    const query = `view=evals&tag=${QUEUE_TAG}`;
    const onSession = (i: number) => (u: URL) => u.pathname === `/review/${order[i]}`;
    const heading = () => page.locator("h1").textContent();

    const lift = await forbidPointer(page);
    try {
      expect(() => page.locator("body").click()).toThrow(/used during the keyboard-only run/);
      expect(() => page.mouse.click(1, 1)).toThrow(/used during the keyboard-only run/);
      // Not signed in yet: the deep link goes through sign-in and comes back.
      await page.goto(`${BASE}/review/${order[0]}?${query}`);
      await page.waitForURL((u) => u.pathname === "/" && u.searchParams.get("next") === `/review/${order[0]}?${query}`);
      for (let n = 0; n < 10 && !(await page.evaluate(() => document.activeElement?.getAttribute("name") === "key")); n++) await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("key");
      await page.keyboard.type(key);
      await page.keyboard.press("Enter");
      await page.waitForURL(onSession(0));
      expect(new URL(page.url()).search).toBe(`?${query}`);

      const expected: { status: string; tags: string[]; expectedOutput: string | null; notes: string | null; ready: boolean }[] = [];
      for (let i = 0; i < QUEUE_SIZE; i++) {
        expect(await heading()).toBe(queueSessions[i]!.title);
        // Session 6 (index 5) is unmarked eval-ready below, so it leaves the queue once saved.
        const total = i <= 5 ? QUEUE_SIZE : QUEUE_SIZE - 1;
        const index = i <= 5 ? i + 1 : i;
        expect(await page.locator(".position strong").textContent()).toBe(`${index} of ${total}`);

        if (i === 1) {
          // Every shortcut has a visible hint beside its control (not only in the help overlay).
          const hints = await page.evaluate(() =>
            [...document.querySelectorAll("kbd")].filter((k) => !k.closest("#help") && k.getClientRects().length > 0 && getComputedStyle(k).visibility === "visible").map((k) => k.textContent),
          );
          expect(hints).toEqual(expect.arrayContaining(["1", "2", "3", "4", "r", "t", "n", "e", "j", "k", "?", "Ctrl/⌘ + Enter", "Shift + Enter"]));
        }
        if (i === 3) {
          // The help overlay: ? opens it, Escape closes it, ? twice toggles it; keys do nothing while it is open.
          const help = page.locator("#help");
          await page.keyboard.press("?");
          expect(await help.isVisible()).toBe(true);
          expect(await help.textContent()).toContain("save and go to the next session");
          await snap(page, "keyboard-help");
          await page.keyboard.press("j");
          expect(page.url()).toContain(order[3]);
          await page.keyboard.press("Escape");
          expect(await help.isVisible()).toBe(false);
          await page.keyboard.press("?");
          expect(await help.isVisible()).toBe(true);
          await page.keyboard.press("?");
          expect(await help.isVisible()).toBe(false);
        }
        if (i === 10) {
          // k goes back one (the session before, as saved), j returns.
          await page.keyboard.press("k");
          await page.waitForURL(onSession(9));
          expect(await heading()).toBe(queueSessions[9]!.title);
          expect((await formValues(page)).evalStatus).toBe(expected[9]!.status);
          await page.keyboard.press("j");
          await page.waitForURL(onSession(10));
          expect(await heading()).toBe(queueSessions[10]!.title);
        }

        const status = STATUSES[i % 4]!;
        await page.keyboard.press(String((i % 4) + 1));
        const tags = [QUEUE_TAG, `kb-${i}`];
        await page.keyboard.press("t");
        await page.keyboard.type(`kb-${i}`);
        if (i % 3 === 0) {
          // The field after the one just filled appeared as it was typed in: Tab reaches it.
          await page.keyboard.press("Tab");
          await page.keyboard.type(`extra ${i}, with a comma`);
          tags.push(`extra ${i}, with a comma`);
        }
        await page.keyboard.press("Escape");
        let expectedOutput: string | null = null;
        if (i % 2 === 0) {
          expectedOutput = `Rename module ${i} and update the 3 imports.`;
          await page.keyboard.press("e");
          await page.keyboard.type(expectedOutput);
          await page.keyboard.press("Escape");
        }
        let notes: string | null = null;
        if (i % 5 === 1) {
          // Letters that are shortcuts elsewhere stay text inside a field.
          notes = `Notes ${i}: j1 k2 t e n r ? 3 4 done`;
          await page.keyboard.press("n");
          await page.keyboard.type(notes);
          expect(page.url()).toContain(order[i]);
          expect((await formValues(page)).evalStatus).toBe(status);
          await page.keyboard.press("Escape");
        }
        let ready = true;
        if (i === 5) {
          await page.keyboard.press("r");
          ready = false;
        }
        expect(await formValues(page)).toEqual({ evalStatus: status, evalReady: ready, evalTags: tags, evalNotes: notes ?? "", expectedOutput: expectedOutput ?? "" });
        expected.push({ status, tags, expectedOutput, notes, ready });
        if (i === 0) await snap(page, "keyboard-labelled");

        if (i === 7) {
          // Save and stay, then j to the next one: nothing unsaved, so no leave prompt.
          await page.keyboard.press("Control+Enter");
          await page.waitForURL((u) => onSession(7)(u) && u.searchParams.get("saved") === "1");
          expect(await page.getByRole("status").first().textContent()).toBe("Saved.");
          await page.keyboard.press("j");
        } else if (i === 12) {
          // Shift+Enter from inside a tag field (single-line) saves and moves on too.
          await page.keyboard.press("t");
          await page.keyboard.press("Shift+Enter");
        } else {
          await page.keyboard.press("Shift+Enter");
        }
        if (i < QUEUE_SIZE - 1) await page.waitForURL(onSession(i + 1));
      }
      await page.waitForURL((u) => u.pathname === "/queue-done");
      expect(await heading()).toBe("Queue done");
      expect(await page.getByRole("status").textContent()).toBe("Saved.");
      await snap(page, "keyboard-queue-done");

      const pointerEvents = await page.evaluate(() => sessionStorage.getItem("e2e:pointer"));
      expect(pointerEvents).toBeNull();
      expect(leave.asked).toBe(0);

      // Every label, through the API.
      for (let i = 0; i < QUEUE_SIZE; i++) {
        const s = await apiSession(order[i]!);
        const e = expected[i]!;
        expect({ i, ...s }).toMatchObject({ i, evalStatus: e.status, evalTags: e.tags, expectedOutput: e.expectedOutput, evalNotes: e.notes, evalReady: e.ready, reviewedBy: KEY_NAME });
        expect(s.reviewedAt).toBeGreaterThan(before.get(order[i]!) ?? 0);
      }
    } finally {
      lift();
    }
    // The pointer counter is real: one mouse click, now that the guard is lifted, shows in it.
    await page.getByRole("link", { name: "Back to the list" }).click();
    await page.waitForURL((u) => u.pathname === "/evals");
    expect(await page.evaluate(() => sessionStorage.getItem("e2e:pointer"))).toMatch(/^pointerdown .*click/);
  });

  it("n and e on a field that has text already add to its end; Shift+Enter there is a line break; Tab stays in the help overlay", async () => {
    const { page } = await newPage();
    handleDialogs(page, { answer: "accept", asked: 0 });
    await signIn(page);
    const id = idOf.get("wb-loss-leave-next")!;
    const patch = await api(`/api/sessions/${id}/eval`, { method: "PATCH", body: JSON.stringify({ evalNotes: "First line of notes", expectedOutput: "Existing answer" }) });
    expect(patch.status).toBe(200);
    await page.goto(`${BASE}/review/${id}?view=evals&tag=${LOSS_TAG}`);
    await page.keyboard.press("n");
    await page.keyboard.type(" + more");
    await page.keyboard.press("Escape");
    await page.keyboard.press("e");
    await page.keyboard.type(", extended");
    await page.keyboard.press("Escape");
    expect(await formValues(page)).toMatchObject({ evalNotes: "First line of notes + more", expectedOutput: "Existing answer, extended" });
    // Inside a textarea Shift+Enter is a line break, not "save and next"; Ctrl+Enter still saves from there.
    await page.keyboard.press("n");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    expect((await formValues(page)).evalNotes).toBe("First line of notes + more\nsecond line");
    expect(new URL(page.url()).pathname).toBe(`/review/${id}`);
    await page.keyboard.press("Control+Enter");
    await page.waitForURL(/saved=1/);
    expect(await apiSession(id)).toMatchObject({ evalNotes: "First line of notes + more\nsecond line", expectedOutput: "Existing answer, extended", reviewedBy: KEY_NAME });
    // The help overlay keeps the focus while open (it is a modal dialog): Tab does not reach the page behind it.
    await page.keyboard.press("?");
    for (let n = 0; n < 4; n++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest("#help"))).toBe(true);
    }
    await page.keyboard.press("Escape");
    expect(await page.locator("#help").isVisible()).toBe(false);
  });

  it("a validation error (a 70-character tag) re-renders everything typed, the error beside the tag field", async () => {
    const { page } = await newPage();
    handleDialogs(page, { answer: "dismiss", asked: 0 });
    await signIn(page);
    const path = reviewPath("wb-loss-validation", `view=evals&tag=${LOSS_TAG}`);
    const loaded = await apiSession(idOf.get("wb-loss-validation")!);
    await page.goto(`${BASE}${path}`);
    const longTag = "x".repeat(70);
    await page.getByRole("radio", { name: /^Incorrect/ }).check();
    await page.getByLabel("New tag", { exact: true }).last().fill(longTag);
    await page.getByLabel("New tag", { exact: true }).last().fill("short-one");
    await page.locator("#evalNotes").fill("Notes typed before the error\nsecond line");
    await page.locator("#expectedOutput").fill("  Expected output typed before the error  ");
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Save", exact: true }).click()]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(path.split("?")[0]);

    expect(await page.locator("#form-errors").textContent()).toContain("Everything you typed is still here.");
    const error = page.locator("#err-evalTags");
    expect(await error.textContent()).toBe(`The tag “${"x".repeat(40)}…” is 70 characters long; a tag can have at most 64.`);
    // Next to the tag fields (same field group), and the offending field says it is the one.
    expect(await page.locator(".field:has([data-tags]) #err-evalTags").count()).toBe(1);
    const bad = page.locator(`input[name=evalTags][aria-invalid=true]`);
    expect(await bad.count()).toBe(1);
    expect(await bad.inputValue()).toBe(longTag);
    expect(await bad.getAttribute("aria-describedby")).toBe("err-evalTags");
    // The caret is in that field, so the fix can be typed straight away.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-invalid"))).toBe("true");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value.length)).toBe(70);
    expect(await formValues(page)).toEqual({
      evalStatus: "incorrect",
      evalReady: true,
      evalTags: [LOSS_TAG, longTag, "short-one"],
      evalNotes: "Notes typed before the error\nsecond line",
      expectedOutput: "  Expected output typed before the error  ",
    });
    // One empty field to add a tag (the blank one that was sent is not shown twice).
    expect(await page.locator("input[name=evalTags]").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([LOSS_TAG, longTag, "short-one", ""]);
    // The label panel keeps its width (a long unbroken tag in the error wraps) and its hints sit beside their labels.
    const layout = await page.evaluate(() => {
      const panel = document.querySelector(".panel")!;
      const ready = document.querySelector("label.inline")!.getBoundingClientRect();
      const box = document.querySelector("input[name=evalReady]")!.getBoundingClientRect();
      return {
        panelOverflow: panel.scrollWidth - panel.clientWidth,
        hintWidths: [...document.querySelectorAll(".label-form .field > label > kbd, .label-form label.inline > kbd")].map((k) => Math.round(k.getBoundingClientRect().width)),
        // One line: the checkbox, its text and its hint side by side (not stacked in a column).
        checkboxBesideText: ready.height < 2 * box.height + 12 && box.left - ready.left < 10,
      };
    });
    expect(layout.panelOverflow).toBe(0);
    for (const w of layout.hintWidths) expect(w).toBeLessThan(40);
    expect(layout.checkboxBesideText).toBe(true);
    await snap(page, "loss-validation");
    // Nothing was stored.
    expect(await apiSession(idOf.get("wb-loss-validation")!)).toEqual(loaded);

    // Shorten the tag and save: all of it is stored.
    await bad.fill("x".repeat(64));
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/saved=1/);
    const after = await apiSession(idOf.get("wb-loss-validation")!);
    expect(after).toMatchObject({
      evalStatus: "incorrect",
      evalTags: [LOSS_TAG, "x".repeat(64), "short-one"],
      evalNotes: "Notes typed before the error\nsecond line",
      expectedOutput: "  Expected output typed before the error  ",
      reviewedBy: KEY_NAME,
    });
  });

  it("leaving with unsaved edits (Next, j, Back to the list) asks first; staying keeps them, leaving keeps a draft", async () => {
    const { page } = await newPage();
    const leave = { answer: "dismiss" as "accept" | "dismiss", asked: 0 };
    handleDialogs(page, leave);
    await signIn(page);
    const query = `view=evals&tag=${LOSS_TAG}`;
    const path = reviewPath("wb-loss-leave", query);
    await page.goto(`${BASE}${path}`);
    await page.getByRole("radio", { name: /^Golden/ }).check();
    await page.locator("#evalNotes").click();
    await page.keyboard.type("Unsaved notes, typed"); // real keystrokes: browsers only ask after a user gesture
    const typed = await formValues(page);
    expect(typed).toMatchObject({ evalStatus: "golden", evalNotes: "Unsaved notes, typed" });
    const stay = async (label: string, act: () => Promise<void>) => {
      const asked = leave.asked;
      await act();
      await expect.poll(() => leave.asked, { message: label }).toBe(asked + 1);
      await page.waitForLoadState();
      expect(page.url(), label).toBe(`${BASE}${path}`);
      expect(await formValues(page), label).toEqual(typed);
    };
    await stay("Next link", () => page.locator("a[rel=next]").click());
    await stay("j", async () => {
      await page.keyboard.press("Escape");
      await page.keyboard.press("j");
    });
    await stay("Back to the list", () => page.getByRole("link", { name: "← Back to the list" }).click());
    await snap(page, "loss-leave-stayed");

    // Accepting leaves; coming back offers the edits again.
    leave.answer = "accept";
    await page.locator("a[rel=next]").click();
    await page.waitForURL((u) => u.pathname === `/review/${idOf.get("wb-loss-leave-next")}`);
    expect(leave.asked).toBe(4);
    expect((await apiSession(idOf.get("wb-loss-leave")!)).evalNotes).toBeNull();
    await page.keyboard.press("k");
    await page.waitForURL(`${BASE}${path}`);
    const banner = page.locator("#draft-banner");
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("You have unsaved changes to this session");
    expect((await formValues(page)).evalNotes).toBe("");
    await page.getByRole("button", { name: "Restore them" }).click();
    expect(await formValues(page)).toEqual(typed);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/saved=1/);
    expect(await apiSession(idOf.get("wb-loss-leave")!)).toMatchObject({ evalStatus: "golden", evalNotes: "Unsaved notes, typed", reviewedBy: KEY_NAME });
    // Saved: the draft is gone and is not offered again.
    await page.goto(`${BASE}${path}`);
    expect(await page.locator("#draft-banner").isVisible()).toBe(false);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("evalport:draft:")))).toEqual([]);
  });

  it("an expired sign-in: Save goes to sign in, then back to the same review page, where the edits are restored and saved", async () => {
    const { context, page } = await newPage();
    handleDialogs(page, { answer: "dismiss", asked: 0 });
    await signIn(page);
    const query = `view=evals&tag=${LOSS_TAG}`;
    const path = reviewPath("wb-loss-expired", query);
    const loaded = await apiSession(idOf.get("wb-loss-expired")!);
    await page.goto(`${BASE}${path}`);
    await page.getByRole("radio", { name: /^Correct/ }).check();
    await page.getByLabel("New tag", { exact: true }).last().fill("after-expiry");
    await page.locator("#evalNotes").fill("Typed while the sign-in ran out");
    await page.locator("#expectedOutput").fill("The answer typed before signing in again");
    const typed = await formValues(page);

    // The sign-in ends elsewhere: signed out in another tab of the same browser.
    const other = await context.newPage();
    watch(other);
    await other.goto(`${BASE}/sessions`);
    await other.getByRole("button", { name: "Sign out" }).click();
    await other.waitForURL(`${BASE}/`);
    await other.close();

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/" && u.searchParams.get("next") === path);
    expect(await page.getByRole("heading", { name: "Sign in to evalport" }).isVisible()).toBe(true);
    expect(await page.locator(".signin .notice").textContent()).toContain("anything you were typing on a review page is kept");
    expect(await apiSession(idOf.get("wb-loss-expired")!)).toMatchObject({ evalStatus: "needs_review", evalNotes: null, reviewedAt: loaded.reviewedAt });
    await snap(page, "loss-expired-signin");

    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${BASE}${path}`);
    const banner = page.locator("#draft-banner");
    expect(await banner.isVisible()).toBe(true);
    await snap(page, "loss-expired-draft");
    await page.getByRole("button", { name: "Restore them" }).click();
    expect(await formValues(page)).toEqual(typed);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/saved=1/);
    expect(await apiSession(idOf.get("wb-loss-expired")!)).toMatchObject({
      evalStatus: "correct",
      evalTags: [LOSS_TAG, "after-expiry"],
      evalNotes: "Typed while the sign-in ran out",
      expectedOutput: "The answer typed before signing in again",
      reviewedBy: KEY_NAME,
    });
  });

  it("edits made after a save survive a reload and an expired sign-in on the page whose address says saved", async () => {
    const { context, page: first } = await newPage();
    let page = first;
    handleDialogs(page, { answer: "accept", asked: 0 });
    await signIn(page);
    /** The same address in a fresh tab of this browser: what a reload or a restored tab after a crash sees. */
    const reopen = async (url: string) => {
      const fresh = await context.newPage();
      watch(fresh);
      handleDialogs(fresh, { answer: "accept", asked: 0 });
      await fresh.goto(url);
      return fresh;
    };
    const id = idOf.get("wb-loss-resave")!;
    const query = `view=evals&tag=${LOSS_TAG}`;
    await page.goto(`${BASE}/review/${id}?${query}`);
    await page.getByRole("radio", { name: /^Golden/ }).check();
    await page.keyboard.press("Control+Enter");
    await page.waitForURL(/saved=1/);
    const savedUrl = page.url();
    // More edits on the saved version, then the tab is reopened at the same address, which still says saved=1.
    await page.locator("#evalNotes").click();
    await page.keyboard.type("Typed after the first save");
    page = await reopen(savedUrl);
    expect(await page.locator("#draft-banner").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Restore them" }).click();
    expect((await formValues(page)).evalNotes).toBe("Typed after the first save");

    // Then the sign-in ends and Save goes through sign-in back to that same address.
    await context.clearCookies({ name: "evalport_session" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/");
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(savedUrl);
    expect(await page.locator("#draft-banner").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Restore them" }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/saved=1/);
    expect(await apiSession(id)).toMatchObject({ evalStatus: "golden", evalNotes: "Typed after the first save", reviewedBy: KEY_NAME });
    // Now the draft is gone: the save covered it.
    page = await reopen(page.url());
    expect(await page.locator("#draft-banner").isVisible()).toBe(false);

    // Save and next, back to the saved one with k, edit it; then the "next" address that says it was saved opens again.
    await page.keyboard.press("Shift+Enter");
    const next = idOf.get("wb-loss-resave-next")!;
    await page.waitForURL((u) => u.pathname === `/review/${next}` && u.searchParams.get("saved") === id);
    const nextUrl = page.url();
    await page.keyboard.press("k");
    await page.waitForURL((u) => u.pathname === `/review/${id}`);
    await page.locator("#expectedOutput").click();
    await page.keyboard.type("Expected, typed after save and next");
    page = await reopen(nextUrl);
    await page.keyboard.press("k");
    await page.waitForURL((u) => u.pathname === `/review/${id}`);
    expect(await page.locator("#draft-banner").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Restore them" }).click();
    expect((await formValues(page)).expectedOutput).toBe("Expected, typed after save and next");
  });

  it("an expired cookie on a plain visit keeps the deep link too", async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await context.clearCookies({ name: "evalport_session" });
    const path = reviewPath("wb-loss-expired", `view=evals&tag=${LOSS_TAG}&status=needs_review&status=correct`);
    await page.goto(`${BASE}${path}`);
    expect(page.url()).toBe(`${BASE}/?next=${encodeURIComponent(path)}`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${BASE}${path}`);
    expect(await page.locator(".position").textContent()).toContain("Evals · needs review or correct · tag loss");
  });

  it("hostile markdown and HTML in messages render as text: no dialog, no injected element, only safe links", async () => {
    const { page } = await newPage();
    handleDialogs(page, { answer: "dismiss", asked: 0 });
    await signIn(page);
    const id = idOf.get("wb-hostile")!;
    // The label fields hold a textarea breaker too.
    const patch = await api(`/api/sessions/${id}/eval`, { method: "PATCH", body: JSON.stringify({ expectedOutput: TEXTAREA_BREAKER, evalNotes: `\n${TEXTAREA_BREAKER}`, evalTags: ["</textarea>", "<b>x</b>"] }) });
    expect(patch.status).toBe(200);
    const dialogsBefore = dialogs.length;
    await page.goto(`${BASE}/review/${id}`);
    for (const summary of await page.locator("summary").all()) await summary.click();
    await snap(page, "hostile");

    const dom = await page.evaluate(() => {
      const all = [...document.querySelectorAll("*")];
      return {
        pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
        scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
        injected: document.querySelectorAll("iframe, img, object, embed, svg:not([role=img]), style, meta[http-equiv], .conversation form, .conversation input:not(.fold-toggle), .conversation details:not(.reasoning):not(.call)").length,
        handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
        links: [...document.querySelectorAll(".conversation a")].map((a) => ({ href: a.getAttribute("href"), rel: a.getAttribute("rel") })),
        forms: document.querySelectorAll("form").length,
        textareas: [...document.querySelectorAll("textarea")].map((t) => (t as HTMLTextAreaElement).value),
        tagValues: [...document.querySelectorAll<HTMLInputElement>("input[name=evalTags]")].map((i) => i.value),
        title: document.querySelector("h1")?.textContent,
        bodyVisible: getComputedStyle(document.body).display !== "none",
        pageWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      };
    });
    expect(dom.pwned).toBeNull();
    expect(dom.scripts).toEqual(["/assets/app.js"]);
    expect(dom.injected).toBe(0);
    expect(dom.handlers).toEqual([]);
    expect(dom.bodyVisible).toBe(true);
    expect(dom.title).toBe("Hostile <script>alert('title')</script> markdown");
    // The sign-out form in the header and the label form: nothing else.
    expect(dom.forms).toBe(2);
    // Links: only the good ones, http(s)/mailto, each rel=noopener.
    expect(dom.links.map((l) => l.href)).toEqual([
      "https://example.com/docs?a=1&b=2",
      "http://example.org/",
      "mailto:someone@example.com",
      // A quote in an address is percent-encoded: it cannot end the attribute.
      "https://example.com/q%22onmouseover=%22alert(1)",
      "https://example.com/a%22onmouseover=%22alert(3)",
      "https://example.net/after",
    ]);
    for (const l of dom.links) expect(l.rel?.split(" ")).toEqual(expect.arrayContaining(["noopener", "noreferrer"]));
    // The refused ones are still there, as text.
    const text = (await page.locator(".conversation").textContent())!;
    for (const s of [
      "<script>window.__pwned = 'script'; alert('script')</script>",
      "[js link](javascript:alert('mdlink'))",
      "[ftp link](ftp://example.com/file)",
      "[relative](/api/admin/keys)",
      "</textarea><script>alert('textarea')</script>",
      "![js image](javascript:alert('img2'))",
      "[image: remote https://evil.example/p.png]",
    ]) expect(text).toContain(s);
    // The label fields show the breaker as their value, and the form is whole.
    expect(dom.textareas).toEqual([`\n${TEXTAREA_BREAKER}`, TEXTAREA_BREAKER]);
    expect(dom.tagValues.slice(0, 2)).toEqual(["</textarea>", "<b>x</b>"]);
    expect(await page.getByRole("button", { name: "Save", exact: true }).isVisible()).toBe(true);

    // Code: fenced HTML is text in a code block; TypeScript is highlighted; all in a monospace font.
    const fencedHtml = page.locator("pre.code code.language-xml");
    expect(await fencedHtml.textContent()).toContain("<script>alert('fenced')</script>");
    const ts = page.locator("pre.code code.hljs.language-typescript").filter({ hasText: "function total" });
    expect(await ts.locator(".hljs-keyword").first().textContent()).toBe("export");
    expect(await ts.locator(".hljs-comment").textContent()).toBe("// sum");
    expect(await ts.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/monospace/);
    // Fences named after Object.prototype keys are plain code (they used to fail the whole page).
    expect(await page.locator("pre.code").filter({ hasText: "a fence named after Object.prototype" }).count()).toBe(1);
    expect(await page.locator("pre.code").filter({ hasText: "another one" }).count()).toBe(1);
    // The unclosed fence runs to the end of its own message only; the next message renders as markdown.
    const unclosed = page.locator("article.msg").filter({ hasText: "a fence that never closes" });
    expect(await unclosed.locator("pre.code").textContent()).toContain("<script>alert('unclosed')</script>");
    const after = page.locator("article.msg").filter({ hasText: "After the fence" });
    expect(await after.locator("strong").textContent()).toBe("bold again");
    // The huge table scrolls inside its own box; the page does not widen.
    const table = page.locator(".md-table");
    expect(await table.locator("tbody tr").count()).toBe(400);
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === "auto")).toBe(true);
    expect(dom.pageWidth).toBeLessThanOrEqual(dom.viewport);
    // At phone width too (the panel goes above the conversation; the table still scrolls in its own box).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(dialogs.slice(dialogsBefore)).toEqual([]);
  });

  it("ran without dialogs, script errors or CSP violations", () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    // The only console error is the browser noting the 400 of the re-rendered form.
    expect(consoleErrors.filter((e) => !/status of 400 \(Bad Request\) @ .*\/review\//.test(e))).toEqual([]);
  });
});
