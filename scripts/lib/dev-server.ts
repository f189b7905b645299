/**
 * A throwaway `wrangler dev` for the browser tests and the screenshot script: a free port, its own fresh
 * persistence directory under .wrangler/ (migrated before the start), a random ADMIN_TOKEN passed as a --var,
 * no telemetry. It runs in its own process group, so stop() ends wrangler and every workerd it started.
 *
 * Node-only and self-contained (no imports from src/), so it runs under plain Node/tsx and vitest's Node pool.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CONFIG_PATH = join(ROOT, "wrangler.toml");

export interface DevServer {
  /** e.g. http://127.0.0.1:41234 (a local host name, so the session cookie is not Secure) */
  url: string;
  port: number;
  adminToken: string;
  persistDir: string;
  /** The last part of wrangler's output, for error messages. */
  output(): string;
  /** Ends the whole process group (wrangler, esbuild, workerd) and removes the state directory. */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** A label for the state directory: .wrangler/<name>-<random>. */
  name?: string;
  /** Keep the state directory after stop() (for debugging). */
  keepState?: boolean;
  /** How long to wait for GET /health to answer 200. */
  startTimeoutMs?: number;
  /** Echo wrangler's output to this process's stderr as it comes. */
  echo?: boolean;
}

const wranglerBin = () => {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
};

const childEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CI: "true", // no interactive prompts (migrations apply asks for confirmation otherwise)
  NO_COLOR: "1",
  FORCE_COLOR: "0",
});

/** A TCP port that was free a moment ago on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

function run(args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [wranglerBin(), ...args], { cwd: ROOT, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolveRun(out) : reject(new Error(`wrangler ${args.join(" ")} failed (exit ${code}):\n${out}`))));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Whether any process of the group still exists (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const name = options.name ?? "dev";
  const persistDir = join(ROOT, ".wrangler", `${name}-${randomBytes(4).toString("hex")}`);
  mkdirSync(persistDir, { recursive: true });
  const adminToken = randomBytes(24).toString("base64url");
  const removeState = () => {
    if (!options.keepState) rmSync(persistDir, { recursive: true, force: true });
  };

  try {
    await run(["d1", "migrations", "apply", "DB", "--local", "--config", CONFIG_PATH, "--persist-to", persistDir]);
  } catch (err) {
    removeState();
    throw err;
  }

  const port = await freePort();
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      wranglerBin(),
      "dev",
      "--config", CONFIG_PATH,
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", persistDir,
      "--var", `ADMIN_TOKEN:${adminToken}`,
      "--show-interactive-dev-session=false",
    ],
    // detached: its own process group, so one kill reaches workerd too.
    { cwd: ROOT, env: childEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const pgid = child.pid!;
  let out = "";
  const collect = (d: Buffer) => {
    const s = d.toString();
    if (options.echo) process.stderr.write(s);
    out = (out + s).slice(-20_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);

  // A last resort if the caller dies without stop(): end the group on the way out.
  const onExit = () => killGroup(pgid, "SIGKILL");
  process.on("exit", onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(pgid, "SIGTERM");
    for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
    if (groupAlive(pgid)) {
      killGroup(pgid, "SIGKILL");
      for (let i = 0; i < 30 && groupAlive(pgid); i++) await sleep(100);
    }
    process.off("exit", onExit);
    removeState();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (!alive(child)) {
      await stop();
      throw new Error(`wrangler dev exited before it was ready:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer ${url}/health in time:\n${out}`);
    }
    await sleep(250);
  }

  return { url, port, adminToken, persistDir, output: () => out, stop };
}

/** Creates an API key through the admin route (all four scopes unless told otherwise). */
export async function createKey(server: Pick<DevServer, "url" | "adminToken">, workspace: string, scopes?: string[]): Promise<{ id: string; key: string }> {
  const res = await fetch(`${server.url}/api/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ workspace, name: "browser tests", ...(scopes ? { scopes } : {}) }),
  });
  if (res.status !== 201) throw new Error(`POST /api/admin/keys answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

/** Loads sessions through POST /api/sessions/batch (up to 100 at a time). */
export async function loadSessions(server: Pick<DevServer, "url">, key: string, sessions: unknown[]): Promise<{ id: string; externalId: string }[]> {
  const res = await fetch(`${server.url}/api/sessions/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ sessions }),
  });
  if (res.status !== 200) throw new Error(`POST /api/sessions/batch answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: { id: string; externalId: string }[] }).results;
}
