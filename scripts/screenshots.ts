/**
 * `npm run screenshots`: the README's pictures of the web view. Starts its own throwaway `wrangler dev` (fresh local
 * state, random admin token), loads the demo sessions, and saves PNGs of the sign-in page, the Sessions view, the
 * Evals view with its chart, the review workbench (being labelled by keyboard, its shortcut help, a draft offered
 * back after an expired sign-in; desktop, 1280 wide) and the Evals view on a phone (390 wide) into
 * docs/screenshots/. Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { demoSessions } from "./demo-sessions";
import { launchChromium } from "./e2e-browser";
import { createKey, loadSessions, ROOT, startDevServer } from "./lib/dev-server";

const OUT = join(ROOT, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log("• Starting wrangler dev with fresh local state…");
  const server = await startDevServer({ name: "screenshots" });
  const browser = await launchChromium().catch(async (err) => {
    await server.stop();
    throw err;
  });
  const saved: string[] = [];
  const save = async (page: Page, name: string, fullPage = true) => {
    const path = join(OUT, `${name}.png`);
    await page.screenshot({ path, fullPage, animations: "disabled", caret: "hide" });
    saved.push(`${path.slice(ROOT.length + 1)} (${Math.round(statSync(path).size / 1024)} KiB)`);
  };
  try {
    const { key } = await createKey(server, "demo");
    const results = await loadSessions(server, key, demoSessions);
    const idOf = (title: string) => results[demoSessions.findIndex((s) => s.title === title)]!.id;

    const desktop = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
    const page = await desktop.newPage();
    await page.goto(`${server.url}/`);
    await save(page, "sign-in", false);

    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/sessions`);
    // Two rows ticked, as a reviewer would before marking them.
    for (const title of ["Add an index on events.user_id", "Explain the flaky test in payments.spec.ts"]) {
      await page.getByRole("checkbox", { name: `Select ${title}`, exact: true }).check();
    }
    await save(page, "sessions");

    await page.goto(`${server.url}/evals`);
    await save(page, "evals");

    // The workbench mid-review, reached from the filtered queue and labelled with the keyboard shortcuts.
    const queue = `view=evals&status=needs_review`;
    const docker = `${server.url}/review/${idOf("Why is the Docker build so slow?")}?${queue}`;
    await page.goto(docker);
    await page.keyboard.press("2"); // status: correct
    await page.keyboard.press("t");
    await page.keyboard.type("build-cache");
    await page.keyboard.press("Escape");
    await page.keyboard.press("e");
    await page.keyboard.type("Copy package.json and the lockfile before `npm ci`, and add a .dockerignore for node_modules and .git.");
    await page.keyboard.press("Escape");
    await page.evaluate(() => [document.scrollingElement, document.querySelector(".panel")].forEach((el) => el?.scrollTo(0, 0)));
    await save(page, "review", false);

    // The shortcut overlay (?).
    await page.keyboard.press("?");
    await save(page, "review-help", false);
    await page.keyboard.press("Escape");

    // The unsaved edit above is kept as a draft: the same page opened again (as after an expired sign-in) offers it.
    const again = await desktop.newPage();
    await again.goto(docker);
    await again.locator("#draft-banner").waitFor({ state: "visible" });
    await save(again, "review-restore", false);
    await again.close();

    const phone = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      storageState: await desktop.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${server.url}/evals`);
    await save(phonePage, "evals-phone");

    await phone.close();
    await desktop.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`• Saved:\n  ${saved.join("\n  ")}`);
}

main().catch((err) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
