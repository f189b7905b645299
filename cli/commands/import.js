/** `evalport import [paths…]`: send transcripts to POST /api/import, only what is new or grown since the last run. */
import { Command, Option } from "commander";
import { resolveCredentials } from "../lib/config.js";
import { CliError } from "../lib/errors.js";
import { TOOLS } from "../lib/detect.js";
import { createProgress } from "../lib/progress.js";
import { runImport } from "../lib/run-import.js";
import { formatSummary } from "../lib/summary.js";

/**
 * `--since` as ms: an ISO date or date-time, or a number of days back (`7d`).
 * @param {string} raw
 * @param {number} [now]
 */
export function parseSince(raw, now = Date.now()) {
  const days = /^(\d+)d$/.exec(raw.trim());
  if (days) return now - Number(days[1]) * 86_400_000;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new CliError(`--since: not a date: ${raw} (try 2026-11-01, 2026-11-01T09:00:00Z or 7d)`, 2);
  return t;
}

export function importCommand() {
  return new Command("import")
    .description("Import coding-assistant transcripts (Claude Code, Codex, OpenCode) into evalport")
    .argument("[paths...]", "files or folders to import (default: every tool's standard place under your home)")
    .addOption(new Option("--tool <tool>", "only this tool, and the format of every named path").choices([...TOOLS]))
    .option("--since <date>", "only transcripts changed since DATE (ISO date, or 7d for the last 7 days)")
    .option("--dry-run", "show what would be sent; send nothing", false)
    .option("--json", "print the summary as one JSON object on stdout", false)
    .option("--concurrency <n>", "uploads in flight", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new CliError("--concurrency must be an integer from 1 to 64", 2);
      return n;
    }, 6)
    .option("--quiet", "no progress output", false)
    .addHelpText(
      "after",
      `
Examples:
  $ evalport import                       # everything under ~/.claude, ~/.codex and OpenCode's data folder
  $ evalport import --since 7d --json     # the last week, summary as JSON
  $ evalport import ~/.claude/projects/-home-me-app --dry-run
  $ EVALPORT_URL=https://evalport.example.com EVALPORT_KEY=osk_… evalport import --tool codex`,
    )
    .action(async (paths, opts, cmd) => {
      const g = cmd.optsWithGlobals();
      const env = process.env;
      const creds = resolveCredentials({ url: g.url, key: g.key }, env);
      const signal = { stopped: false };
      const progress = createProgress({ quiet: opts.quiet });
      let interrupts = 0;
      /** @type {(() => void) | undefined} */
      let flushState;
      const onSigint = () => {
        interrupts++;
        signal.stopped = true;
        if (interrupts === 1) {
          progress.note("Stopping: finishing the transcripts in flight (Ctrl-C again to quit now)…");
          return;
        }
        flushState?.();
        process.stderr.write("\nevalport: stopped. Run `evalport import` again to resume.\n");
        process.exit(130);
      };
      process.on("SIGINT", onSigint);
      try {
        const { summary, flush } = await runImport({
          env,
          paths,
          tool: opts.tool,
          since: opts.since === undefined ? undefined : parseSince(opts.since),
          dryRun: opts.dryRun,
          concurrency: opts.concurrency,
          url: creds.url,
          key: creds.key,
          progress,
          signal,
        });
        flushState = flush;
        flush();
        if (opts.json) process.stdout.write(JSON.stringify(summary) + "\n");
        else process.stdout.write(formatSummary(summary) + "\n");
        process.exitCode = summary.ok ? 0 : interrupts > 0 ? 130 : 1;
      } finally {
        process.off("SIGINT", onSigint);
      }
    });
}
