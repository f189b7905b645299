/**
 * The `evalport` command line: one file per command under commands/, wired here. Errors a user can fix are
 * CliErrors, printed as one line without a stack; anything else is a bug and shows its stack.
 */
import { Command } from "commander";
import { CliError } from "./lib/errors.js";
import { importCommand } from "./commands/import.js";
import { loginCommand } from "./commands/login.js";
import { hooksCommand, hookRunnerCommand } from "./commands/hooks.js";
import { statusCommand } from "./commands/status.js";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

export function buildProgram() {
  const program = new Command("evalport")
    .description("Bring coding-assistant sessions into evalport: log in once, import your history, keep Claude Code in sync")
    .version(pkg.version)
    .option("--url <url>", "the evalport server (overrides EVALPORT_URL and the stored login)")
    .option("--key <key>", "an API key (overrides EVALPORT_KEY and the stored login)")
    .showHelpAfterError()
    .addHelpText(
      "after",
      `
Examples:
  $ npx evalport login                     # asks for the URL and an API key, checks them, stores them (0600)
  $ npx evalport import                    # every transcript under your home, with a progress bar
  $ npx evalport hooks install             # Claude Code sends each session as it happens
  $ npx evalport status`,
    );
  program.addCommand(loginCommand());
  program.addCommand(importCommand());
  program.addCommand(hooksCommand());
  program.addCommand(statusCommand());
  program.addCommand(hookRunnerCommand(), { hidden: true });
  return program;
}

/** @param {string[]} argv */
export async function main(argv) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`evalport: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
