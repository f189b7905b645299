/**
 * Shared by the scripts: where the local state lives, how to run wrangler, and how to reach the local D1/KV
 * from Node (wrangler's getPlatformProxy) with the same persistence directory `wrangler dev` uses.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { KeyStores } from "../../src/auth/keys";
import { createDb } from "../../src/db/client";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CONFIG_PATH = join(ROOT, "wrangler.toml");
/** `wrangler dev` and `wrangler d1 … --local` keep their data under `<persist-to>/v3`; getPlatformProxy takes the v3 path. */
export const PERSIST_DIR = join(ROOT, ".wrangler", "state");
export const DEV_VARS_PATH = join(ROOT, ".dev.vars");
export const LOCAL_KEY_PATH = join(ROOT, ".evalport", "local-key");
export const LOCAL_WORKSPACE = "local";

/** The environment every wrangler child gets: no telemetry prompts or sends. */
export const wranglerEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  ...extra,
});

/** Spawns the project's own wrangler with Node directly (no shell, no npx), so signals reach it. */
export function spawnWrangler(args: string[], options: SpawnOptions = {}) {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  return spawn(process.execPath, [bin, ...args], { cwd: ROOT, stdio: "inherit", env: wranglerEnv(), ...options });
}

/** Runs a wrangler command to completion; rejects with its output when it fails. */
export function runWrangler(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnWrangler(args, { stdio: ["ignore", "pipe", "pipe"], env: wranglerEnv(extraEnv) });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`wrangler ${args.join(" ")} failed (exit ${code}):\n${output}`)),
    );
  });
}

/** Applies the D1 migrations to the local database, without prompting. Returns wrangler's output. */
export const applyLocalMigrations = () =>
  runWrangler(["d1", "migrations", "apply", "DB", "--local", "--config", CONFIG_PATH, "--persist-to", PERSIST_DIR], {
    CI: "true",
  });

/**
 * Opens the local D1/KV (the same files `wrangler dev` serves), runs `fn` with the key stores, then disposes the
 * proxy, also on error. The pepper comes from .dev.vars (KEY_PEPPER), as it does for `wrangler dev`.
 */
export async function withLocalStores<T>(fn: (stores: KeyStores) => Promise<T>): Promise<T> {
  const { getPlatformProxy } = await import("wrangler"); // loaded on demand: wrangler is big, seed does not need it
  const logLevel = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = logLevel ?? "error"; // no "Using secrets defined in .dev.vars" on every command
  const proxy = await getPlatformProxy<{ DB: D1Database; KV: KVNamespace; KEY_PEPPER?: string }>({
    configPath: CONFIG_PATH,
    persist: { path: join(PERSIST_DIR, "v3") },
    remoteBindings: false,
  }).finally(() => {
    // Restored so that a later `wrangler dev` child (npm start) logs as usual.
    if (logLevel === undefined) delete process.env.WRANGLER_LOG;
  });
  try {
    return await fn({ db: createDb(proxy.env.DB), kv: proxy.env.KV, pepper: proxy.env.KEY_PEPPER || undefined });
  } catch (err) {
    if (/no such table/i.test(String((err as Error)?.message) + String((err as Error)?.cause))) {
      throw new Error("The local database has no tables yet: run `npm start` or `npm run db:migrate:local` first.");
    }
    throw err;
  } finally {
    await proxy.dispose();
  }
}
