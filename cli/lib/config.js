/**
 * The stored login (`config.json`, mode 0600) and how a command decides which URL and key to use:
 * flags over `EVALPORT_URL`/`EVALPORT_KEY` over the file, so scripts and CI never need `login`.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { configPath } from "./paths.js";
import { CliError } from "./errors.js";

/**
 * @typedef {object} StoredConfig
 * @property {string} [url]
 * @property {string} [key]
 */

/**
 * @typedef {object} Credentials
 * @property {string} url          without a trailing slash
 * @property {string | undefined} key
 * @property {{ url: "flag" | "env" | "file" | "default", key: "flag" | "env" | "file" | "none" }} from
 */

/** @param {import("./paths.js").Env} env @returns {StoredConfig} */
export function readConfig(env) {
  const path = configPath(env);
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or run \`evalport login\` again`);
  }
}

/**
 * Writes the login atomically with mode 0600 (the key is a secret), in a 0700 directory.
 * @param {import("./paths.js").Env} env
 * @param {StoredConfig} config
 * @returns {string} the path written
 */
export function writeConfig(env, config) {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

/**
 * A server URL as the CLI uses it: http(s) only, no trailing slash, no path query or fragment kept.
 * @param {string} raw
 * @returns {string}
 */
export function normalizeUrl(raw) {
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CliError(`not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`the URL must start with http:// or https:// (got ${raw})`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export const DEFAULT_URL = "http://localhost:8787";

/**
 * @param {{ url?: string, key?: string }} flags
 * @param {import("./paths.js").Env} env
 * @returns {Credentials}
 */
export function resolveCredentials(flags, env) {
  const file = readConfig(env);
  /** @type {Credentials["from"]} */
  const from = { url: "default", key: "none" };
  let url = DEFAULT_URL;
  if (flags.url) [url, from.url] = [flags.url, "flag"];
  else if (env.EVALPORT_URL) [url, from.url] = [env.EVALPORT_URL, "env"];
  else if (file.url) [url, from.url] = [file.url, "file"];
  let key;
  if (flags.key) [key, from.key] = [flags.key, "flag"];
  else if (env.EVALPORT_KEY) [key, from.key] = [env.EVALPORT_KEY, "env"];
  else if (file.key) [key, from.key] = [file.key, "file"];
  return { url: normalizeUrl(url), key, from };
}

/** A key as it may be shown: its first 12 characters (`osk_` + 8), like the server's own `prefix`. @param {string} key */
export const keyPrefix = (key) => `${key.slice(0, 12)}…`;
