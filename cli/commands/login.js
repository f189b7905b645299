/** `evalport login`: ask for (or take) the server URL and an API key, check them, store them with mode 0600. */
import { Command } from "commander";
import { DEFAULT_URL, keyPrefix, normalizeUrl, readConfig, writeConfig } from "../lib/config.js";
import { createClient } from "../lib/client.js";
import { CliError } from "../lib/errors.js";
import { ask } from "../lib/prompt.js";

export function loginCommand() {
  return new Command("login")
    .description("Store the server URL and an API key in ~/.config/evalport/config.json (checked against the server first)")
    .addHelpText(
      "after",
      `
The key is never printed; only its first 12 characters (osk_ + 8), as the server's key list shows them.

Examples:
  $ evalport login
  $ evalport login --url https://evalport.example.com --key "$(cat key.txt)"`,
    )
    .action(async (_opts, cmd) => {
      const g = cmd.optsWithGlobals();
      const env = process.env;
      const stored = readConfig(env);
      const interactive = process.stdin.isTTY === true;
      let url = g.url ?? env.EVALPORT_URL;
      let key = g.key ?? env.EVALPORT_KEY;
      if (!url) {
        if (!interactive) throw new CliError("no URL: pass --url (or set EVALPORT_URL) when not on a terminal", 2);
        const def = stored.url ?? DEFAULT_URL;
        url = (await ask(`evalport URL [${def}]: `)) || def;
      }
      url = normalizeUrl(url);
      if (!key) {
        if (!interactive) throw new CliError("no API key: pass --key (or set EVALPORT_KEY) when not on a terminal", 2);
        key = await ask("API key (osk_…, not shown): ", { secret: true });
      }
      if (!/^osk_[A-Za-z0-9_-]{32,}$/.test(key)) throw new CliError("that is not an evalport API key (osk_ followed by at least 32 characters)", 2);

      const client = createClient({ url, key });
      let check;
      try {
        check = await client.checkKey();
      } catch (err) {
        throw new CliError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}; nothing was stored`);
      }
      if (check.status === 401) throw new CliError(`${url} does not accept this key (401 unauthorized: unknown or revoked); nothing was stored`);
      if (!check.ok) throw new CliError(`${url} answered HTTP ${check.status} to GET /api/sessions; is it an evalport server? Nothing was stored`);

      const path = writeConfig(env, { url, key });
      process.stdout.write(`Logged in to ${url} with key ${keyPrefix(key)} (stored in ${path}, mode 0600).\n`);
      if (check.status === 403) process.stdout.write("Note: the key lacks sessions:read; imports need sessions:write.\n");
    });
}
