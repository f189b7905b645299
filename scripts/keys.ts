/**
 * `npm run keys -- <command>`: create, list and revoke API keys.
 * Works on the local state (.wrangler/state, no server needed) by default, or with --remote on a deployed
 * Worker through its admin API (EVALPORT_URL and ADMIN_TOKEN from the environment).
 * A key's secret is printed only by `create`, once; listings never show it.
 */
import { parseArgs } from "node:util";
import { createKey, listKeys, revokeKey, workspaceSchema } from "../src/auth/keys";
import { createKeyBody } from "../src/routes/admin";
import { withLocalStores } from "./lib/local";

const USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  create --workspace W [--name N] [--scopes a,b]   create a key; its secret is shown this once
  list [--workspace W]                             list keys, newest first (never their secrets)
  revoke <id>                                      revoke a key; it answers 401 from then on

Options:
  --remote   act on a deployed Worker via /api/admin/keys
             (needs EVALPORT_URL, e.g. https://evalport.example.workers.dev, and ADMIN_TOKEN)
  --json     print JSON instead of text
  -h, --help show this help

Scopes: sessions:read, sessions:write, evals:write, export:read (default: all four).
Without --remote the local state under .wrangler/state is used; no server needs to run.`;

class UsageError extends Error {}

type Key = {
  id: string;
  prefix: string;
  workspace: string;
  name: string | null;
  scopes: string[];
  createdAt: number;
  lastUsedAt?: number | null;
  revokedAt?: number | null;
};

/** Calls the admin API of a deployed Worker; turns its error body into a readable message. */
async function remote(method: string, path: string, body?: unknown): Promise<any> {
  const base = process.env.EVALPORT_URL;
  const token = process.env.ADMIN_TOKEN;
  if (!base || !token) throw new UsageError("--remote needs EVALPORT_URL and ADMIN_TOKEN in the environment.");
  const url = new URL(path, base.endsWith("/") ? base : base + "/");
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  }).catch((err) => {
    throw new Error(`Cannot reach ${url.origin}: ${(err as Error).cause ?? (err as Error).message}`);
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = json?.error;
    const details = (err?.details ?? []).map((d: any) => `\n  ${d.path}: ${d.message}`).join("");
    throw new Error(`${method} /${path} answered ${res.status}${err ? ` ${err.code}: ${err.message}${details}` : `: ${text.slice(0, 200)}`}`);
  }
  return json;
}

const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace(/\.\d+Z$/, "Z") : "-");

function printKeys(keys: Key[]): void {
  if (keys.length === 0) return console.log("No keys.");
  const rows = keys.map((k) => [
    k.id,
    k.prefix + "…",
    k.workspace,
    k.name ?? "-",
    k.scopes.join(","),
    when(k.createdAt),
    when(k.lastUsedAt),
    k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active",
  ]);
  const header = ["ID", "PREFIX", "WORKSPACE", "NAME", "SCOPES", "CREATED", "LAST USED", "STATUS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}

/** Zod issues as `field: message` lines, the same checks the API applies. */
const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }, field = "input") =>
  error.issues.map((i) => `  ${i.path.map(String).join(".") || field}: ${i.message}`).join("\n");

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string", short: "w" },
      name: { type: "string", short: "n" },
      scopes: { type: "string", short: "s" },
      remote: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === "help") return console.log(USAGE);
  if (!command) {
    console.error(USAGE);
    process.exit(2);
  }
  const where = values.remote ? `on ${process.env.EVALPORT_URL ?? "(EVALPORT_URL unset)"}` : "in the local state";

  if (command === "create") {
    if (rest.length) throw new UsageError(`Unexpected argument: ${rest[0]}`);
    if (values.workspace === undefined) throw new UsageError("create needs --workspace W.");
    const scopes = values.scopes?.split(",").map((s) => s.trim()).filter(Boolean);
    const parsed = createKeyBody.safeParse({ workspace: values.workspace, name: values.name, scopes });
    if (!parsed.success) throw new UsageError(`Invalid key options:\n${issues(parsed.error)}`);
    const created: Key & { key: string } = values.remote
      ? await remote("POST", "api/admin/keys", parsed.data)
      : await withLocalStores((stores) => createKey(stores, parsed.data));
    if (values.json) return console.log(JSON.stringify(created, null, 2));
    console.log(`Created key ${created.id} for workspace "${created.workspace}" ${where}.`);
    console.log(`  scopes: ${created.scopes.join(", ")}${created.name ? `\n  name:   ${created.name}` : ""}`);
    console.log(`\n  ${created.key}\n\nThis is the only time the secret is shown; store it now.`);
    return;
  }

  if (command === "list") {
    if (rest.length) throw new UsageError(`Unexpected argument: ${rest[0]}`);
    if (values.name !== undefined || values.scopes !== undefined) throw new UsageError("list takes only --workspace.");
    const workspace = values.workspace === undefined ? undefined : workspaceSchema.safeParse(values.workspace);
    if (workspace && !workspace.success) throw new UsageError(`Invalid option:\n${issues(workspace.error, "workspace")}`);
    const keys: Key[] = values.remote
      ? (await remote("GET", `api/admin/keys${workspace ? `?workspace=${workspace.data}` : ""}`)).keys
      : await withLocalStores((stores) => listKeys(stores, workspace?.data));
    return values.json ? console.log(JSON.stringify(keys, null, 2)) : printKeys(keys);
  }

  if (command === "revoke") {
    const [id, ...extra] = rest;
    if (!id || extra.length) throw new UsageError("revoke takes exactly one key id (see `npm run keys -- list`).");
    if (values.workspace !== undefined || values.name !== undefined || values.scopes !== undefined) {
      throw new UsageError("revoke takes only a key id.");
    }
    const revoked: { id: string; revokedAt: number } | null = values.remote
      ? await remote("DELETE", `api/admin/keys/${encodeURIComponent(id)}`)
      : await withLocalStores((stores) => revokeKey(stores, id));
    if (!revoked) throw new Error(`No key with id ${id} ${where}.`);
    if (values.json) return console.log(JSON.stringify(revoked, null, 2));
    console.log(`Revoked key ${revoked.id} ${where} (revokedAt ${when(revoked.revokedAt)}).`);
    return;
  }

  throw new UsageError(`Unknown command: ${command}`);
}

main(process.argv.slice(2)).catch((err) => {
  const usage = err instanceof UsageError || (err as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS");
  console.error(`keys: ${err instanceof Error ? err.message : err}`);
  if (usage) console.error("Run `npm run keys -- help` for usage.");
  process.exit(usage ? 2 : 1);
});
