/**
 * `evalport hooks install|uninstall|status`: a Claude Code Stop and SessionEnd hook in ~/.claude/settings.json,
 * merged with what is there; and `evalport hook claude-code`, the command that hook runs. The hook must never slow
 * or fail Claude Code: it reads the event, starts a detached `evalport import` of that transcript (and its subagent
 * transcripts), and exits 0 at once; the import's output and any failure go to ~/.config/evalport/hook.log.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { claudeSettingsPath, hookLogPath } from "../lib/paths.js";
import { hookCommand, ourHooks, withOurHooks, withoutOurHooks } from "../lib/claude-settings.js";
import { CliError } from "../lib/errors.js";
import { logLine, openLog } from "../lib/hook-log.js";

/** This checkout's bin, absolute, so the hook works without evalport on PATH. */
export const BIN_PATH = fileURLToPath(new URL("../../bin/evalport.js", import.meta.url));

/** @param {string} path @returns {Record<string, unknown>} */
function readSettings(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  if (text.trim() === "") return {};
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw new CliError(`${path} is not a JSON object; fix it by hand first (evalport leaves it as it is)`);
}

/** @param {string} path @param {Record<string, unknown>} settings */
function writeSettings(path, settings) {
  mkdirSync(dirname(path), { recursive: true });
  const mode = statSync(path, { throwIfNoEntry: false })?.mode ?? 0o644;
  const tmp = `${path}.evalport-${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(settings, null, 2) + "\n", { mode: mode & 0o777 });
  renameSync(tmp, path);
}

export function hooksCommand() {
  const hooks = new Command("hooks").description("Keep Claude Code sessions in sync: a Stop and SessionEnd hook in ~/.claude/settings.json");

  hooks
    .command("install")
    .description("Add the hooks (once; other settings and hooks are kept)")
    .action(() => {
      const path = claudeSettingsPath(process.env);
      const before = readSettings(path);
      const command = hookCommand(process.execPath, BIN_PATH);
      const after = withOurHooks(before, command);
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      if (changed) writeSettings(path, after);
      process.stdout.write(
        `${changed ? "Installed" : "Already installed:"} Claude Code Stop and SessionEnd hooks in ${path}\n  command: ${command}\n` +
          `Each session is re-imported after every turn and at its end; failures are logged to ${hookLogPath(process.env)}.\n`,
      );
    });

  hooks
    .command("uninstall")
    .description("Remove evalport's hooks (only ours)")
    .action(() => {
      const path = claudeSettingsPath(process.env);
      if (!existsSync(path)) {
        process.stdout.write(`No ${path}: nothing to remove.\n`);
        return;
      }
      const before = readSettings(path);
      const after = withoutOurHooks(before);
      if (JSON.stringify(before) === JSON.stringify(after)) {
        process.stdout.write(`No evalport hooks in ${path}.\n`);
        return;
      }
      writeSettings(path, after);
      process.stdout.write(`Removed evalport's hooks from ${path}.\n`);
    });

  hooks
    .command("status")
    .description("Whether the hooks are installed")
    .option("--json", "as JSON", false)
    .action((opts) => {
      const report = hookReport(process.env);
      if (opts.json) {
        process.stdout.write(JSON.stringify(report) + "\n");
        return;
      }
      process.stdout.write(`${report.settingsPath}\n`);
      for (const e of report.events) process.stdout.write(`  ${e.event.padEnd(10)} ${e.installed ? `installed: ${e.commands.join(" ; ")}` : "not installed"}\n`);
      if (report.staleCommands.length > 0) process.stdout.write(`  ! points at a missing file: ${report.staleCommands.join(", ")} — run \`evalport hooks install\` again\n`);
      process.exitCode = report.installed ? 0 : 1;
    });
  return hooks;
}

/** @param {import("../lib/paths.js").Env} env */
export function hookReport(env) {
  const settingsPath = claudeSettingsPath(env);
  /** @type {ReturnType<typeof ourHooks>} */
  let events;
  try {
    events = ourHooks(readSettings(settingsPath));
  } catch {
    events = ourHooks({});
  }
  const staleCommands = [...new Set(events.flatMap((e) => e.commands))].filter((c) => {
    const m = /\s('[^']*'|\S*evalport\.js)\s+hook\s/.exec(` ${c}`);
    const bin = m?.[1]?.replace(/^'|'$/g, "");
    return bin !== undefined && !existsSync(bin);
  });
  return { settingsPath, installed: events.every((e) => e.installed), events, staleCommands };
}

/**
 * Reads all of stdin, but never waits longer than `ms` (a hook's stdin should be closed at once).
 * @param {number} ms
 * @returns {Promise<string>}
 */
function readStdin(ms) {
  if (process.stdin.isTTY) return Promise.resolve("");
  return new Promise((resolve) => {
    let data = "";
    const done = () => {
      clearTimeout(timer);
      process.stdin.pause();
      process.stdin.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, ms);
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (c) => (data += c));
    process.stdin.on("end", done);
    process.stdin.on("error", done);
  });
}

/** The transcript and its subagents' transcripts (`<session>/subagents/agent-*.jsonl`) beside it. @param {string} transcript */
export function transcriptPaths(transcript) {
  const sub = join(dirname(transcript), basename(transcript, ".jsonl"), "subagents");
  return existsSync(sub) ? [transcript, sub] : [transcript];
}

export function hookRunnerCommand() {
  return new Command("hook")
    .description("(run by Claude Code) re-import the transcript named on stdin; always exits 0")
    .argument("<tool>", "claude-code")
    .action(async (tool) => {
      const env = process.env;
      const log = hookLogPath(env);
      try {
        if (tool !== "claude-code") throw new Error(`unknown hook tool ${tool}`);
        const raw = await readStdin(3000);
        /** @type {{ transcript_path?: unknown, session_id?: unknown, hook_event_name?: unknown }} */
        let input = {};
        try {
          input = raw.trim() ? JSON.parse(raw) : {};
        } catch {
          throw new Error("the hook's stdin is not JSON");
        }
        const transcript = typeof input.transcript_path === "string" ? input.transcript_path : "";
        if (!transcript) throw new Error(`no transcript_path in the ${String(input.hook_event_name ?? "hook")} event`);
        if (!existsSync(transcript)) throw new Error(`transcript ${transcript} does not exist`);
        const fd = openLog(log);
        logLine(log, `${String(input.hook_event_name ?? "hook")} session ${String(input.session_id ?? "?")}: importing ${transcript}`);
        const child = spawn(process.execPath, [BIN_PATH, "import", "--tool", "claude-code", ...transcriptPaths(transcript)], {
          detached: true,
          stdio: ["ignore", fd, fd],
          env,
        });
        child.on("error", (err) => logLine(log, `cannot start the import: ${err.message}`));
        child.unref();
      } catch (err) {
        try {
          logLine(log, `hook failed: ${err instanceof Error ? err.message : String(err)}`);
        } catch {
          // Nowhere to log: still never fail Claude Code.
        }
      }
      process.exitCode = 0;
    });
}
