/**
 * Guesses which tool wrote a transcript from the start of the file, so the upload can pick the format itself.
 * Self-contained: its source is shipped to the browser as is (client/script.ts). Returns null when unsure; the
 * person then picks the tool.
 */
export function detectFormat(head: string): "claude-code" | "codex" | "opencode" | null {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text === "") return null;
  if (text.charAt(0) === "{" && /^\{\s*"(info|messages)"\s*:/.test(text) && text.indexOf('"messages"') !== -1) return "opencode";
  const lines = text.split("\n").slice(0, 20);
  let claude = 0;
  let codex = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      continue;
    }
    if (!obj || typeof obj !== "object") continue;
    const o = obj as Record<string, unknown>;
    const type = typeof o.type === "string" ? o.type : "";
    if ("payload" in o && ["session_meta", "response_item", "event_msg", "turn_context", "compacted"].indexOf(type) !== -1) codex++;
    if ("sessionId" in o || "parentUuid" in o || "leafUuid" in o || (type === "summary" && "summary" in o)) claude++;
    if ("info" in o && "messages" in o) return "opencode";
  }
  if (claude > codex) return "claude-code";
  if (codex > claude) return "codex";
  return null;
}
