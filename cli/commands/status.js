/**
 * `evalport status`: is the server up, is the key good (and which scopes it has), when did the last import run,
 * is the Claude Code hook installed. Scopes are learnt by probing: each probe is a read, or a write with an empty
 * body the server rejects (400) after the scope check (403) — nothing is ever changed.
 */
import { Command } from "commander";
import { keyPrefix, resolveCredentials } from "../lib/config.js";
import { createClient } from "../lib/client.js";
import { statePath } from "../lib/paths.js";
import { readState } from "../lib/state.js";
import { hookReport } from "./hooks.js";

/** @type {{ scope: string, method: string, path: string, body?: string }[]} */
const PROBES = [
  { scope: "sessions:read", method: "GET", path: "/api/sessions?limit=1" },
  { scope: "sessions:write", method: "POST", path: "/api/sessions", body: "{}" },
  { scope: "evals:write", method: "POST", path: "/api/evals/ready", body: "{}" },
  // An unknown format is refused (400) after the scope check, so nothing is streamed.
  { scope: "export:read", method: "GET", path: "/api/export?format=evalport-status-probe" },
];

export function statusCommand() {
  return new Command("status")
    .description("Server reachable, key valid (and its scopes), last import, Claude Code hook installed")
    .option("--json", "as one JSON object", false)
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals();
      const env = process.env;
      const creds = resolveCredentials({ url: g.url, key: g.key }, env);
      const quick = { attempts: 2, baseMs: 200, capMs: 1000 };
      const client = createClient({ url: creds.url, key: creds.key, retry: quick });

      let reachable = false;
      /** @type {string | null} */
      let serverError = null;
      try {
        reachable = await client.health();
        if (!reachable) serverError = "GET /health did not answer 200";
      } catch (err) {
        serverError = err instanceof Error ? err.message : String(err);
      }

      /** @type {boolean | null} */
      let keyValid = null;
      /** @type {string[] | null} */
      let scopes = null;
      if (reachable && creds.key) {
        scopes = [];
        for (const p of PROBES) {
          const res = await client.send(p.method, p.path, {
            retry: quick,
            ...(p.body ? { body: p.body, headers: { "content-type": "application/json" } } : {}),
          });
          if (res.status === 401) {
            keyValid = false;
            scopes = null;
            break;
          }
          keyValid = true;
          if (res.status !== 403 && res.status !== 404) scopes.push(p.scope);
        }
      }
      const state = readState(statePath(env));
      const hooks = hookReport(env);
      const report = {
        url: creds.url,
        urlFrom: creds.from.url,
        reachable,
        serverError,
        key: creds.key ? keyPrefix(creds.key) : null,
        keyFrom: creds.from.key,
        keyValid,
        // The API does not tell a key its workspace; `npm run keys -- list` (admin) does.
        workspace: null,
        scopes,
        lastImport: state.lastImport ?? null,
        transcriptsKnown: Object.keys(state.files).length,
        hooks: { installed: hooks.installed, settingsPath: hooks.settingsPath, events: hooks.events.map((e) => ({ event: e.event, installed: e.installed })) },
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(report) + "\n");
      } else {
        const lines = [
          `Server   ${creds.url} (${creds.from.url}): ${reachable ? "reachable" : `NOT reachable — ${serverError}`}`,
          `Key      ${report.key ? `${report.key} (${creds.from.key}): ${keyValid === null ? "not checked" : keyValid ? "valid" : "REJECTED (401)"}` : "none — run `evalport login` or set EVALPORT_KEY"}`,
          ...(scopes ? [`Scopes   ${scopes.length ? scopes.join(", ") : "none"}`] : []),
          `Imported ${report.lastImport ? `${new Date(report.lastImport.at).toISOString()}: ${report.lastImport.filesSent} sent, ${report.lastImport.filesFailed} failed (${report.transcriptsKnown} transcripts known)` : "never"}`,
          `Hooks    ${hooks.installed ? "installed" : hooks.events.some((e) => e.installed) ? "partly installed" : "not installed"} (${hooks.settingsPath})`,
        ];
        process.stdout.write(lines.join("\n") + "\n");
      }
      process.exitCode = reachable && keyValid === true ? 0 : 1;
    });
}
