/**
 * Where things live on a person's machine. Every path derives from the environment given (HOME, XDG_*, CODEX_HOME,
 * CLAUDE_CONFIG_DIR), so tests point the CLI at a fake home by setting HOME alone.
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** @typedef {Record<string, string | undefined>} Env */

/** @param {Env} env */
export const homeDir = (env) => env.HOME || homedir();

/** `$XDG_CONFIG_HOME/evalport`, else `~/.config/evalport` (gh and wrangler do the same). @param {Env} env */
export const configDir = (env) => (env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, "evalport") : join(homeDir(env), ".config", "evalport"));

/** @param {Env} env */
export const configPath = (env) => join(configDir(env), "config.json");
/** @param {Env} env */
export const statePath = (env) => join(configDir(env), "state.json");
/** @param {Env} env */
export const hookLogPath = (env) => join(configDir(env), "hook.log");

/** Claude Code's own directory; it honours CLAUDE_CONFIG_DIR, so do we. @param {Env} env */
export const claudeDir = (env) => env.CLAUDE_CONFIG_DIR || join(homeDir(env), ".claude");
/** @param {Env} env */
export const claudeSettingsPath = (env) => join(claudeDir(env), "settings.json");
/** Codex keeps its rollouts under CODEX_HOME (default ~/.codex). @param {Env} env */
export const codexDir = (env) => env.CODEX_HOME || join(homeDir(env), ".codex");
/** OpenCode's data directory: `$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`. @param {Env} env */
export const opencodeDataDir = (env) => join(env.XDG_DATA_HOME || join(homeDir(env), ".local", "share"), "opencode");
