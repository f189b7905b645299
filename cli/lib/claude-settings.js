/**
 * Our hooks in Claude Code's settings.json, merged into whatever is there. Pure: a settings object in, a new one
 * out, never touching keys or hooks that are not ours. Shape (Claude Code's hooks reference):
 *   { "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "…", "timeout": 10 } ] } ], … } }
 * Stop and SessionEnd take no matcher, so our group has none.
 */

/** The events we hook: after every turn (Stop) and when the session ends (SessionEnd). */
export const HOOK_EVENTS = /** @type {const} */ (["Stop", "SessionEnd"]);

/** Seconds Claude Code waits for our command at most; it detaches at once, so this is only a backstop. */
export const HOOK_TIMEOUT_SECONDS = 10;

/** A command that is ours: runs evalport's bin with `hook claude-code`, wherever the checkout is. */
const OURS = /evalport(?:\.js)?['"]?\s+hook\s+claude-code(?:\s|$)/;

/** @param {unknown} hook */
export const isOurHook = (hook) =>
  !!hook && typeof hook === "object" && typeof (/** @type {{ command?: unknown }} */ (hook).command) === "string" && OURS.test(/** @type {{ command: string }} */ (hook).command);

/** POSIX shell quoting: Claude Code runs the command through a shell. @param {string} s */
export const shellQuote = (s) => (/^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** @param {string} nodePath @param {string} binPath */
export const hookCommand = (nodePath, binPath) => `${shellQuote(nodePath)} ${shellQuote(binPath)} hook claude-code`;

/**
 * @typedef {Record<string, unknown>} Settings
 * @typedef {{ matcher?: string, hooks?: unknown[] } & Record<string, unknown>} MatcherGroup
 */

/** @param {Settings} settings @returns {Record<string, unknown>} */
const hooksOf = (settings) => {
  const h = settings.hooks;
  return h && typeof h === "object" && !Array.isArray(h) ? /** @type {Record<string, unknown>} */ (h) : {};
};

/**
 * Settings without our hooks: groups left empty by the removal go, events left empty go, `hooks` left empty goes.
 * @param {Settings} settings
 * @returns {Settings}
 */
export function withoutOurHooks(settings) {
  const hooks = { ...hooksOf(settings) };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = [];
    for (const g of groups) {
      if (!g || typeof g !== "object" || !Array.isArray(/** @type {MatcherGroup} */ (g).hooks)) {
        kept.push(g);
        continue;
      }
      const group = /** @type {MatcherGroup} */ (g);
      const list = /** @type {unknown[]} */ (group.hooks);
      const rest = list.filter((h) => !isOurHook(h));
      if (rest.length === list.length) kept.push(group);
      else if (rest.length > 0) kept.push({ ...group, hooks: rest });
    }
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  const out = { ...settings };
  if (Object.keys(hooks).length > 0) out.hooks = hooks;
  else delete out.hooks;
  return out;
}

/**
 * Settings with exactly one copy of our hook on each event (an older copy, e.g. from another checkout, replaced).
 * @param {Settings} settings
 * @param {string} command
 * @returns {Settings}
 */
export function withOurHooks(settings, command) {
  const base = withoutOurHooks(settings);
  const hooks = { ...hooksOf(base) };
  for (const event of HOOK_EVENTS) {
    const groups = Array.isArray(hooks[event]) ? [.../** @type {unknown[]} */ (hooks[event])] : [];
    groups.push({ hooks: [{ type: "command", command, timeout: HOOK_TIMEOUT_SECONDS }] });
    hooks[event] = groups;
  }
  return { ...base, hooks };
}

/**
 * Which of our events carry our hook, and with which commands.
 * @param {Settings} settings
 * @returns {{ event: string, installed: boolean, commands: string[] }[]}
 */
export function ourHooks(settings) {
  const hooks = hooksOf(settings);
  return HOOK_EVENTS.map((event) => {
    const groups = Array.isArray(hooks[event]) ? /** @type {unknown[]} */ (hooks[event]) : [];
    /** @type {string[]} */
    const commands = [];
    for (const g of groups) {
      const list = g && typeof g === "object" ? /** @type {MatcherGroup} */ (g).hooks : undefined;
      if (!Array.isArray(list)) continue;
      for (const h of list) if (isOurHook(h)) commands.push(/** @type {{ command: string }} */ (h).command);
    }
    return { event, installed: commands.length > 0, commands };
  });
}
