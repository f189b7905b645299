/**
 * `npm start`: from a fresh clone to a running local evalport in one command.
 *  1. applies the D1 migrations to the local database (.wrangler/state);
 *  2. creates .dev.vars with a random ADMIN_TOKEN when there is none (an existing file is never touched);
 *  3. makes sure workspace `local` has a working API key, kept in .evalport/local-key (a new one when the
 *     saved key is missing, revoked, or the local state was wiped), and prints it with a curl line;
 *  4. runs `wrangler dev` on $PORT (default 8787) until stopped; SIGINT/SIGTERM are passed on to it.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { dirname } from "node:path";
import { createKey, lookupKey } from "../src/auth/keys";
import {
  applyLocalMigrations,
  CONFIG_PATH,
  DEV_VARS_PATH,
  LOCAL_KEY_PATH,
  LOCAL_WORKSPACE,
  PERSIST_DIR,
  spawnWrangler,
  withLocalStores,
} from "./lib/local";

const port = process.env.PORT || "8787";

function ensureDevVars(): void {
  if (existsSync(DEV_VARS_PATH)) {
    if (!/^\s*ADMIN_TOKEN\s*=/m.test(readFileSync(DEV_VARS_PATH, "utf8"))) {
      console.warn("! .dev.vars has no ADMIN_TOKEN: the admin routes (/api/admin/*) will answer 404.");
    }
    return;
  }
  const token = randomBytes(32).toString("base64url");
  writeFileSync(DEV_VARS_PATH, `# Local secrets for wrangler dev (git-ignored). Created by npm start.\nADMIN_TOKEN=${token}\n`, {
    mode: 0o600,
  });
  console.log("• Wrote .dev.vars with a new random ADMIN_TOKEN (admin routes: Authorization: Bearer <ADMIN_TOKEN>).");
}

/** Returns the saved local key when it still authenticates, else creates and saves a new one. */
async function ensureLocalKey(): Promise<{ key: string; created: boolean }> {
  const saved = existsSync(LOCAL_KEY_PATH) ? readFileSync(LOCAL_KEY_PATH, "utf8").trim() : "";
  return withLocalStores(async (stores) => {
    const record = saved ? await lookupKey(stores.kv, saved, stores.pepper) : null;
    if (record && record.workspace === LOCAL_WORKSPACE) return { key: saved, created: false };
    const { key } = await createKey(stores, { workspace: LOCAL_WORKSPACE, name: "npm start" });
    mkdirSync(dirname(LOCAL_KEY_PATH), { recursive: true });
    writeFileSync(LOCAL_KEY_PATH, key + "\n", { mode: 0o600 });
    return { key, created: true };
  });
}

async function main(): Promise<void> {
  console.log("• Applying D1 migrations to the local database…");
  await applyLocalMigrations();
  ensureDevVars();
  const { key, created } = await ensureLocalKey();

  const base = `http://localhost:${port}`;
  console.log(
    [
      "",
      created
        ? `• Created an API key for workspace "${LOCAL_WORKSPACE}" (saved in .evalport/local-key):`
        : `• API key for workspace "${LOCAL_WORKSPACE}" (from .evalport/local-key):`,
      `    ${key}`,
      "  Try it once the server is up:",
      `    curl -H "Authorization: Bearer ${key}" ${base}/api/sessions`,
      "  Demo data: npm run seed   ·   more keys: npm run keys -- help",
      "",
    ].join("\n"),
  );

  const dev = spawnWrangler(["dev", "--config", CONFIG_PATH, "--port", port, "--persist-to", PERSIST_DIR]);
  const stop = (signal: NodeJS.Signals) => {
    if (dev.exitCode === null && dev.signalCode === null) dev.kill(signal);
  };
  // Importing wrangler (getPlatformProxy, now disposed) left handlers that exit at once; ours wait for wrangler dev.
  process.removeAllListeners("SIGINT").removeAllListeners("SIGTERM");
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // `kill <npm pid>` stops npm's `sh -c` without passing the signal on; notice being orphaned and stop too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop("SIGTERM"), 1000).unref();
  dev.on("error", (err) => {
    console.error(`Could not start wrangler dev: ${err.message}`);
    process.exit(1);
  });
  dev.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
