/**
 * Which tool wrote a transcript, from its path first and its first line second. Pure (strings in, a name out), so
 * it is tested on plain inputs. Unknown → null: the caller reports it and asks for --tool instead of guessing.
 */

/** @typedef {"claude-code" | "codex" | "opencode"} Tool */

/** @type {readonly Tool[]} */
export const TOOLS = ["claude-code", "codex", "opencode"];

const CLAUDE_LINE_TYPES = new Set(["user", "assistant", "summary", "system", "file-history-snapshot", "queue-operation", "progress"]);
const CODEX_LINE_TYPES = new Set(["session_meta", "response_item", "event_msg", "turn_context", "compacted"]);

/**
 * @param {string} path   the file's path (either separator)
 * @param {string} head   its first few KiB as text
 * @returns {Tool | null}
 */
export function detectTool(path, head) {
  const p = path.replace(/\\/g, "/");
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (/\/\.codex\//.test(p) || /^rollout-.*\.jsonl$/.test(base)) return "codex";
  if (/\/\.claude\/projects\//.test(p)) return "claude-code";
  if (/\/opencode\/storage\//.test(p) || /\.db$/.test(base)) return "opencode";

  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("{") && base.endsWith(".json")) {
    if (/"info"\s*:/.test(text) && /"messages"\s*:/.test(text)) return "opencode";
  }
  const firstLine = text.split("\n", 1)[0] ?? "";
  /** @type {unknown} */
  let line;
  try {
    line = JSON.parse(firstLine);
  } catch {
    return null;
  }
  if (!line || typeof line !== "object") return null;
  const rec = /** @type {Record<string, unknown>} */ (line);
  if (typeof rec.type === "string" && CODEX_LINE_TYPES.has(rec.type) && "payload" in rec) return "codex";
  if (typeof rec.sessionId === "string" || (typeof rec.type === "string" && CLAUDE_LINE_TYPES.has(rec.type))) return "claude-code";
  if ("info" in rec && "messages" in rec) return "opencode";
  return null;
}
