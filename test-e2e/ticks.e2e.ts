/**
 * Ticks that survive paging, in a real browser (Debian's Chromium through playwright-core) against `wrangler dev`:
 * rows ticked on two pages of the Evals list are kept in sessionStorage, counted on the selection line, carried
 * by a bulk action (checked through the API) and by Export, cleared after the action's notice or by "Clear
 * selection"; without the script the boxes still work per page. Also the list's touch targets at phone width.
 *
 * Its own workspace (its own key), its own sessions (externalIds `tk-…`), its own browser contexts. Screenshots go
 * to test-output/e2e-ticks/.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey, loadSessions, ROOT } from "../scripts/lib/dev-server";
import { launchChromium } from "../scripts/e2e-browser";
import { apiClient } from "./api";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");
const SHOTS = join(ROOT, "test-output", "e2e-ticks");
const WORKSPACE = "e2e-ticks";
const TAG = "tk";
const COUNT = 30; // two pages of 25

/** Thirty eval-ready sessions tagged `tk`, newest first in the order of their number. */
const sessions = Array.from({ length: COUNT }, (_, i) => ({
  externalId: `tk-${String(i).padStart(2, "0")}`,
  title: `Tick ${String(i).padStart(2, "0")}`,
  source: "claude-code",
  model: "claude-sonnet-4-20250514",
  createdAt: Date.parse("2026-02-01T12:00:00Z") - i * 60_000,
  evalReady: true,
  evalStatus: i % 2 === 0 ? "correct" : "needs_review",
  evalTags: [TAG],
  messages: [
    { role: "user", content: `Question ${i}` },
    { role: "assistant", content: `Answer ${i}` },
  ],
}));

let key = "";
const idOf = new Map<string, string>(); // title → server id
let browser: Browser;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

const api = apiClient(BASE, () => key);

/** Ids of the workspace's sessions with a tag, through the API. */
async function taggedIds(tag: string): Promise<Set<string>> {
  const res = await api(`/api/sessions?tag=${encodeURIComponent(tag)}&limit=200`);
  expect(res.status).toBe(200);
  return new Set(((await res.json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id));
}

async function newPage(options: { javaScriptEnabled?: boolean; width?: number; dark?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    colorScheme: options.dark ? "dark" : "light",
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${BASE}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${BASE}/sessions`);
  return page;
}

const LIST = `/evals?tag=${TAG}&size=25`;
const box = (page: Page, n: number) => page.getByRole("checkbox", { name: `Select Tick ${String(n).padStart(2, "0")}`, exact: true });
const line = (page: Page) => page.locator("[data-selection-count]").textContent();
const checkedOnPage = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>("form[data-selection] input[type=checkbox][name=id]:checked")].map((b) => b.getAttribute("aria-label")));
const stored = (page: Page) =>
  page.evaluate(() => {
    const form = document.querySelector("form[data-selection]")!;
    return JSON.parse(sessionStorage.getItem(`evalport:ticks:${form.getAttribute("data-ticks-key")}`) ?? "null") as string[] | null;
  });
const master = (page: Page) =>
  page.evaluate(() => {
    const m = document.querySelector<HTMLInputElement>("input[data-select-all]")!;
    return { checked: m.checked, indeterminate: m.indeterminate, hidden: m.hidden };
  });
const ids = (...ns: number[]) => ns.map((n) => idOf.get(`Tick ${String(n).padStart(2, "0")}`)!);

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  ({ key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, WORKSPACE));
  const results = await loadSessions({ url: BASE }, key, sessions);
  sessions.forEach((s, i) => idOf.set(s.title, results[i]!.id));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

describe.sequential("ticks across pages", () => {
  let page: Page;

  it("ticks on page 1 and page 2 are kept, counted on the selection line, and survive a reload and a new sort", async () => {
    page = await newPage();
    await page.goto(`${BASE}${LIST}`);
    expect(await page.locator("table tbody tr").count()).toBe(25);
    expect(await line(page)).toBe("Nothing selected");
    expect(await page.getByRole("button", { name: "Clear selection" }).isVisible()).toBe(false);
    expect(await stored(page)).toBeNull(); // an untouched list writes nothing

    await box(page, 0).check();
    await box(page, 3).check();
    expect(await line(page)).toBe("2 selected");
    expect(await master(page)).toEqual({ checked: false, indeterminate: true, hidden: false });
    expect(await stored(page)).toEqual(ids(0, 3));

    await page.getByRole("link", { name: "Next page »" }).click();
    await page.waitForURL((u) => u.searchParams.get("page") === "2");
    expect(await page.locator("table tbody tr").count()).toBe(5);
    expect(await line(page)).toBe("2 selected (2 on other pages)");
    expect(await master(page)).toEqual({ checked: false, indeterminate: false, hidden: false }); // the page only
    await box(page, 26).check();
    await box(page, 28).check();
    expect(await line(page)).toBe("4 selected (2 on other pages)");
    expect(await master(page)).toMatchObject({ checked: false, indeterminate: true });
    // Select all takes this page's five, and unticking it drops only those.
    await page.getByRole("checkbox", { name: "Select all on this page" }).check();
    expect(await line(page)).toBe("7 selected (2 on other pages)");
    expect(await master(page)).toMatchObject({ checked: true, indeterminate: false });
    await page.getByRole("checkbox", { name: "Select all on this page" }).uncheck();
    expect(await line(page)).toBe("2 selected (2 on other pages)");
    await box(page, 26).check();
    await box(page, 28).check();
    await page.screenshot({ path: join(SHOTS, "page-2-ticked.png") });

    await page.reload();
    expect(await checkedOnPage(page)).toEqual(["Select Tick 26", "Select Tick 28"]);
    expect(await line(page)).toBe("4 selected (2 on other pages)");

    await page.getByRole("link", { name: "« Previous page" }).click();
    await page.waitForURL((u) => !u.searchParams.has("page"));
    expect(await checkedOnPage(page)).toEqual(["Select Tick 00", "Select Tick 03"]);
    expect(await line(page)).toBe("4 selected (2 on other pages)");
    expect(await master(page)).toMatchObject({ checked: false, indeterminate: true });

    // Sorting by title (a new order, the same filters) keeps the same key: the ticks stay.
    await page.locator("th a.sort", { hasText: "Title" }).click();
    await page.waitForURL((u) => u.searchParams.get("sort") === "title");
    expect(await checkedOnPage(page)).toEqual(["Select Tick 00", "Select Tick 03"]);
    expect(await line(page)).toBe("4 selected (2 on other pages)");
    // Another filter is another selection.
    await page.goto(`${BASE}/evals?tag=${TAG}&status=correct&size=25`);
    expect(await line(page)).toBe("Nothing selected");
    expect(await checkedOnPage(page)).toEqual([]);
  });

  it("Export posts every tick, the other pages' as hidden id fields", async () => {
    await page.goto(`${BASE}${LIST}&page=2`);
    await page.getByRole("button", { name: "Export", exact: true }).click();
    await page.waitForURL(`${BASE}/export/confirm`);
    expect(await page.locator("[data-export-count]").textContent()).toMatch(/^4 sessions: .* \(the 4 ticked sessions\)\.$/);
    const posted = await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>("input[type=hidden][name=id]")].map((i) => i.value));
    expect(new Set(posted)).toEqual(new Set(ids(0, 3, 26, 28)));
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL((u) => u.pathname === "/evals");
    // Cancel is no action: the ticks stay.
    expect(await line(page)).toMatch(/^4 selected/);
  });

  it("a bulk action from page 2 (Add tag, through its confirmation) changes exactly the ticked sessions of both pages; the ticks are cleared after", async () => {
    await page.goto(`${BASE}${LIST}&page=2`);
    expect(await line(page)).toBe("4 selected (2 on other pages)");
    await page.getByRole("textbox", { name: "Tag" }).fill("picked");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.waitForURL((u) => u.pathname === "/evals/bulk");
    expect(await page.locator("[data-confirm-count]").getAttribute("data-confirm-count")).toBe("4");
    expect(await page.locator(".confirm-line").textContent()).toBe("Add the tag “picked” on 4 sessions (the 4 ticked sessions).");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL((u) => u.pathname === "/evals" && u.searchParams.get("done") !== null);
    expect(await page.locator("p.notice[role=status]:not(.undo)").textContent()).toMatch(/^4 sessions: /);
    expect(await taggedIds("picked")).toEqual(new Set(ids(0, 3, 26, 28)));

    // Cleared: on this page, in storage, and on the other page.
    expect(await line(page)).toBe("Nothing selected");
    expect(await checkedOnPage(page)).toEqual([]);
    expect(await stored(page)).toBeNull();
    await page.goto(`${BASE}${LIST}&page=2`);
    expect(await checkedOnPage(page)).toEqual([]);
    expect(await line(page)).toBe("Nothing selected");
  });

  it("after an action (its Undo offered), Enter in the Tag field means Add tag, not Undo", async () => {
    await page.goto(`${BASE}${LIST}`);
    expect(await page.locator("p.notice.undo").count()).toBe(1);
    await box(page, 5).check();
    await page.getByRole("textbox", { name: "Tag" }).fill("entered");
    await page.getByRole("textbox", { name: "Tag" }).press("Enter");
    await page.waitForURL((u) => u.pathname === "/evals/bulk");
    expect(await page.locator(".confirm-line").textContent()).toBe("Add the tag “entered” on 1 session (the ticked session).");
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL((u) => u.pathname === "/evals");
    // Nothing was undone: the four still have their tag.
    expect(await taggedIds("picked")).toEqual(new Set(ids(0, 3, 26, 28)));
  });

  it("Clear selection unticks every page; a reload keeps what is ticked", async () => {
    await page.goto(`${BASE}${LIST}`);
    expect(await checkedOnPage(page)).toEqual(["Select Tick 05"]); // still ticked after Cancel
    await page.getByRole("link", { name: "Next page »" }).click();
    await page.waitForURL((u) => u.searchParams.get("page") === "2");
    await box(page, 29).check();
    expect(await line(page)).toBe("2 selected (1 on other pages)");
    await page.reload();
    expect(await line(page)).toBe("2 selected (1 on other pages)");
    const clear = page.getByRole("button", { name: "Clear selection" });
    expect(await clear.isVisible()).toBe(true);
    await clear.click();
    expect(await line(page)).toBe("Nothing selected");
    expect(await checkedOnPage(page)).toEqual([]);
    expect(await clear.isVisible()).toBe(false);
    expect(await stored(page)).toBeNull();
    await page.getByRole("link", { name: "« Previous page" }).click();
    await page.waitForURL((u) => !u.searchParams.has("page"));
    expect(await checkedOnPage(page)).toEqual([]);
  });

  it("stored ids of the wrong shape never reach the page or a post", async () => {
    await page.goto(`${BASE}${LIST}&page=2`);
    await page.evaluate((good) => {
      const form = document.querySelector("form[data-selection]")!;
      sessionStorage.setItem(`evalport:ticks:${form.getAttribute("data-ticks-key")}`, JSON.stringify([good, '"><img src=x onerror="window.__pwned=1">', "a b", 7]));
    }, ids(1)[0]);
    await page.reload();
    expect(await line(page)).toBe("1 selected (1 on other pages)");
    await page.getByRole("button", { name: "Export", exact: true }).click();
    await page.waitForURL(`${BASE}/export/confirm`);
    const posted = await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>("input[type=hidden][name=id]")].map((i) => i.value));
    expect(posted).toEqual(ids(1));
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL((u) => u.pathname === "/evals");
    await page.getByRole("button", { name: "Clear selection" }).click();
  });

  it("without the script, ticks work per page as a plain form", async () => {
    const plain = await newPage({ javaScriptEnabled: false });
    await plain.goto(`${BASE}${LIST}`);
    expect(await plain.getByRole("button", { name: "Clear selection" }).isVisible()).toBe(false);
    await box(plain, 10).check();
    await box(plain, 11).check();
    await plain.getByRole("textbox", { name: "Tag" }).fill("plain");
    await plain.getByRole("button", { name: "Add tag" }).click();
    await plain.waitForURL((u) => u.pathname === "/evals/bulk");
    await plain.getByRole("button", { name: "Confirm" }).click();
    await plain.waitForURL((u) => u.pathname === "/evals" && u.searchParams.get("done") !== null);
    expect(await taggedIds("plain")).toEqual(new Set(ids(10, 11)));
  });

  it("at phone width the list's links and controls are 44 px touch targets", async () => {
    const phone = await newPage({ width: 390 });
    await phone.goto(`${BASE}${LIST}&status=correct&status=needs_review`);
    await phone.getByRole("checkbox", { name: "Select Tick 00", exact: true }).check();
    await phone.screenshot({ path: join(SHOTS, "phone.png"), fullPage: true });
    const sizes = await phone.evaluate(() => {
      const measure = (sel: string) =>
        [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).map((e) => {
          const r = e.getBoundingClientRect();
          return { sel, w: Math.round(r.width), h: Math.round(r.height) };
        });
      return [
        ...measure(".chart svg a.bar"),
        ...measure("a.tag"),
        ...measure("th a.sort"),
        ...measure(".pager > a"),
        ...measure(".pager .page-size select, .pager .page-size button"),
        ...measure("[data-ticks-clear]"),
        ...measure("td label.tick"),
        ...measure("form[data-selection] button"),
      ];
    });
    const kinds = new Set(sizes.map((s) => s.sel));
    expect(kinds.size).toBe(8); // every kind is on the page
    for (const s of sizes) expect(s.h, JSON.stringify(s)).toBeGreaterThanOrEqual(44);
    const scroll = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(scroll).toBe(0);
  });

  it("in dark mode, a chart bar reached by keyboard shows its focus ring; the active bar and sort column are marked", async () => {
    const dark = await newPage({ dark: true });
    await dark.goto(`${BASE}${LIST}&status=correct&sort=title&dir=asc`);
    const styles = await dark.evaluate(() => {
      const css = (el: Element | null, prop: string) => (el ? getComputedStyle(el).getPropertyValue(prop) : "missing");
      const on = document.querySelector(".chart svg a.bar.on rect.hit");
      return {
        bg: css(document.body, "background-color"),
        onFill: css(on, "fill"),
        onWeight: css(document.querySelector(".chart svg a.bar.on text"), "font-weight"),
        plainFill: css(document.querySelector(".chart svg rect.fill.plain"), "fill"),
        sortActive: css(document.querySelector("th[aria-sort] a.sort"), "color"),
        matchCount: css(document.querySelector(".match-count"), "color"),
      };
    });
    expect(styles).toEqual({ bg: "rgb(13, 17, 23)", onFill: "rgb(22, 27, 34)", onWeight: "700", plainFill: "rgb(76, 154, 255)", sortActive: "rgb(76, 154, 255)", matchCount: "rgb(154, 164, 175)" });
    // Tab to the first bar (a link in the SVG): its hit area gets the focus colour.
    for (let n = 0; n < 40 && !(await dark.evaluate(() => document.activeElement?.matches(".chart svg a.bar") ?? false)); n++) await dark.keyboard.press("Tab");
    const focused = await dark.evaluate(() => {
      const a = document.activeElement!;
      return { label: a.getAttribute("aria-label"), stroke: getComputedStyle(a.querySelector("rect.hit")!).stroke, width: getComputedStyle(a.querySelector("rect.hit")!).strokeWidth };
    });
    expect(focused).toEqual({ label: "Golden: 0 sessions", stroke: "rgb(76, 154, 255)", width: "3px" });
    await dark.screenshot({ path: join(SHOTS, "dark-focus.png") });
  });

  it("ran without dialogs, script errors or CSP violations", () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
