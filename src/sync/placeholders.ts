/**
 * Values the plugins send when they know nothing better. They are kept only where nothing is stored yet, so a
 * partial resend at session end never replaces what a person wrote or what an earlier send knew.
 */

/** claude-code-sync sends Claude Code's random session slug (`gentle-humming-lantern`) as the title at session end. */
const SLUG = /^[a-z]+(?:-[a-z]+){2}$/;

/** opencode-sync-plugin and pi-opensync fall back to these when the session has no title yet. */
const UNTITLED = new Set(["untitled", "untitled session"]);

/** A title no person wrote: a random slug or an "Untitled" fallback. */
export function isMachineTitle(title: string): boolean {
  const t = title.trim();
  return SLUG.test(t) || UNTITLED.has(t.toLowerCase());
}

/** opencode-sync's bulk sync sends model "unknown" when a session's messages name none. */
export function isPlaceholderModel(model: string): boolean {
  return model.trim().toLowerCase() === "unknown";
}
