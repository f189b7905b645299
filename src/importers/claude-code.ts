import { ImportState, type SessionBuilder } from "./session-builder";
import { base64Size, clip, isRecord, num, projectNameOf, str, toMs } from "./text";
import type { ImportedMessage, ImportedToolCall, LineParser } from "./types";

/**
 * Claude Code transcripts: `~/.claude/projects/<encoded cwd>/<session id>.jsonl`, one JSON object a line.
 *
 * Mapping (see docs/readme/import.md):
 * - `user` lines: a prompt (string or text blocks) is a user message; each `tool_result` block is a tool message
 *   answering its `tool_use_id` (`is_error` results start `[error] `); images and documents become a placeholder
 *   such as `[image: image/png, 12 KB]`, never their base64.
 * - `assistant` lines: Claude Code writes one line per content block of a response, all sharing `message.id`;
 *   they are one assistant message (text blocks joined by a blank line, `tool_use` blocks as toolCalls,
 *   `thinking` as reasoning) and its usage, repeated on each line, counts once.
 * - `isCompactSummary` (the summary `/compact` writes) and interruption notices are `system` messages; `isMeta`
 *   lines (caveats the tool injects) and slash-command lines (`<command-name>`, `<local-command-stdout>`) are
 *   skipped as `meta` and `command`; `summary` lines give the title.
 * - Sidechains are their own sessions with `parentExternalId`: an agent transcript (lines with `agentId`, repeating
 *   the parent's `sessionId`) is `<session id>:agent-<agentId>`; an older in-file sidechain is
 *   `<session id>:sidechain-<uuid of its first line>`.
 */

/** Line kinds that are Claude Code's but carry no conversation: skipped and counted under their type. */
const KNOWN_SKIPPED = new Set([
  "file-history-snapshot", "progress", "queue-operation", "last-prompt", "attachment", "custom-title", "ai-title",
  "agent-name", "tag", "pr-link", "worktree-state", "mode", "permission-mode",
]);
const COMMAND_LINE = /^\s*<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat)>/;
const INTERRUPTION = /^\s*\[Request interrupted by user[^\]]*\]\s*$/;
/** How many recent assistant messages a session keeps at hand, for block lines that arrive out of order. */
const RECENT_ASSISTANTS = 16;

interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number;
}

/** What the parser keeps per session beyond the shared builder. */
interface ClaudeSession {
  builder: SessionBuilder;
  recent: Map<string, ImportedMessage>;
  lastAssistant: string | null;
  usage: Map<string, Usage>;
  models: Map<string, number>;
  toolNames: Map<string, string>;
  lines: Set<string>;
  gitBranch: string | null;
}

function blockPlaceholder(block: Record<string, unknown>): string | null {
  const source = isRecord(block.source) ? block.source : {};
  const media = str(source.media_type) ?? (block.type === "image" ? "image" : "document");
  if (block.type === "image") return `[image: ${media}, ${base64Size(source.data)}]`;
  if (block.type === "document") {
    const title = str(block.title);
    return `[document: ${media}${title ? `, ${title}` : ""}, ${base64Size(source.data)}]`;
  }
  return null;
}

/** A tool result's content (a string, or text and image blocks) as one text. */
function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content == null ? "" : JSON.stringify(content);
  const parts: string[] = [];
  for (const b of content) {
    if (!isRecord(b)) continue;
    if (b.type === "text" && typeof b.text === "string") parts.push(b.text);
    else {
      const p = blockPlaceholder(b);
      if (p) parts.push(p);
      else if (b.type === "tool_reference" && typeof b.tool_name === "string") parts.push(`[tool: ${b.tool_name}]`);
    }
  }
  return parts.join("\n");
}

export function createClaudeCodeParser(): LineParser {
  const state = new ImportState();
  const sessions = new Map<string, ClaudeSession>();
  /** uuid → the first line of its sidechain, for transcripts that keep sidechains inside the main file. */
  const sidechainRoot = new Map<string, string>();
  let summaryTitle: string | null = null;

  function sessionOf(o: Record<string, unknown>): ClaudeSession | null {
    const sessionId = str(o.sessionId);
    if (!sessionId) return null;
    let externalId = sessionId;
    let parent: string | null = null;
    const agentId = str(o.agentId);
    const uuid = str(o.uuid);
    if (agentId) {
      // Newer layouts may name the agent's own transcript `agent-<id>`, which then is its session id.
      if (sessionId !== `agent-${agentId}`) {
        externalId = `${sessionId}:agent-${agentId}`;
        parent = sessionId;
      }
    } else if (o.isSidechain === true) {
      const parentUuid = str(o.parentUuid);
      const root = (parentUuid && sidechainRoot.get(parentUuid)) || uuid || "0";
      if (uuid) sidechainRoot.set(uuid, root);
      externalId = `${sessionId}:sidechain-${root}`;
      parent = sessionId;
    }
    externalId = clip(externalId, 256);
    let s = sessions.get(externalId);
    if (!s) {
      const cwd = str(o.cwd) ?? null;
      const builder = state.session(externalId, () => ({
        source: "claude-code",
        provider: "anthropic",
        projectPath: cwd ? clip(cwd, 4096) : null,
        projectName: projectNameOf(cwd),
        parentExternalId: parent ? clip(parent, 256) : null,
      }));
      s = { builder, recent: new Map(), lastAssistant: null, usage: new Map(), models: new Map(), toolNames: new Map(), lines: new Set(), gitBranch: null };
      sessions.set(externalId, s);
    }
    return s;
  }

  function add(s: ClaudeSession, m: ImportedMessage): void {
    if (!s.builder.add(m)) state.skip("duplicate");
  }

  function user(s: ClaudeSession, o: Record<string, unknown>, at: number | null): void {
    const uuid = str(o.uuid) ?? `line-${s.builder.count}`;
    const message = isRecord(o.message) ? o.message : {};
    const content = message.content;
    const blocks = Array.isArray(content) ? content.filter(isRecord) : [];
    const hasResults = blocks.some((b) => b.type === "tool_result");
    if (o.isMeta === true && !hasResults) return state.skip("meta");

    const texts: string[] = typeof content === "string" ? [content] : [];
    for (const b of blocks) {
      if (b.type === "text" && typeof b.text === "string") texts.push(b.text);
      else if (b.type === "tool_result") {
        const callId = clip(str(b.tool_use_id) ?? `${uuid}:result`, 256);
        const text = resultText(b.content);
        add(s, {
          externalId: clip(`${callId}:result`, 256),
          role: "tool",
          toolCallId: callId,
          toolName: s.toolNames.get(callId) ?? null,
          content: b.is_error === true && !text.includes("<tool_use_error>") ? `[error] ${text}` : text,
          createdAt: at,
        });
      } else {
        const p = blockPlaceholder(b);
        if (p) texts.push(p);
      }
    }
    if (texts.length === 0) return;
    const text = texts.join("\n\n");
    if (o.isCompactSummary === true) return add(s, { externalId: clip(uuid, 256), role: "system", content: text, createdAt: at });
    if (COMMAND_LINE.test(text)) return state.skip("command");
    const role = INTERRUPTION.test(text) ? "system" : "user";
    add(s, { externalId: clip(uuid, 256), role, content: text, createdAt: at });
  }

  function assistant(s: ClaudeSession, o: Record<string, unknown>, at: number | null): void {
    const message = isRecord(o.message) ? o.message : {};
    const model = str(message.model);
    if (o.isApiErrorMessage === true || model === "<synthetic>") return state.skip("synthetic");
    const id = clip(str(message.id) ?? str(o.requestId) ?? str(o.uuid) ?? `line-${s.builder.count}`, 256);
    const content = message.content;
    const blocks = Array.isArray(content) ? content.filter(isRecord) : [];
    if (typeof content !== "string" && blocks.length === 0 && !message.usage) return state.skip("empty");

    let m = s.recent.get(id);
    const isNew = !m && !s.builder.has(id);
    if (!m) {
      if (!isNew) return state.skip("duplicate");
      m = { externalId: id, role: "assistant", content: "", model: model ? clip(model, 256) : null, createdAt: at };
    }
    const before = m.content.length + (m.reasoning?.length ?? 0);
    const texts = m.content ? [m.content] : [];
    if (typeof content === "string" && content) texts.push(content);
    const calls: ImportedToolCall[] = m.toolCalls ? [...m.toolCalls] : [];
    let reasoning = m.reasoning ?? null;
    for (const b of blocks) {
      if (b.type === "text" && typeof b.text === "string") {
        if (b.text) texts.push(b.text);
      } else if (b.type === "thinking" && typeof b.thinking === "string") {
        reasoning = reasoning ? `${reasoning}\n\n${b.thinking}` : b.thinking;
      } else if (b.type === "tool_use" || b.type === "server_tool_use") {
        const name = clip(str(b.name) ?? "tool", 256);
        const callId = str(b.id) ? clip(str(b.id)!, 256) : undefined;
        if (callId) s.toolNames.set(callId, name);
        calls.push({ ...(callId ? { id: callId } : {}), name, arguments: isRecord(b.input) ? b.input : {} });
      }
    }
    m.content = texts.join("\n\n");
    if (calls.length > 0) m.toolCalls = calls;
    if (reasoning) m.reasoning = reasoning;
    if (model && !m.model) m.model = clip(model, 256);

    const u = isRecord(message.usage) ? message.usage : null;
    if (u || typeof o.costUSD === "number") {
      const prev = s.usage.get(id);
      // A response's usage is repeated on each of its lines (output growing as it streams): the last one stands.
      const next: Usage = {
        input: u ? num(u.input_tokens) : (prev?.input ?? 0),
        output: u ? Math.max(num(u.output_tokens), prev?.output ?? 0) : (prev?.output ?? 0),
        cacheRead: u ? num(u.cache_read_input_tokens) : (prev?.cacheRead ?? 0),
        cacheWrite: u ? num(u.cache_creation_input_tokens) : (prev?.cacheWrite ?? 0),
        cost: typeof o.costUSD === "number" && o.costUSD >= 0 ? o.costUSD : (prev?.cost ?? 0),
      };
      s.usage.set(id, next);
      m.promptTokens = next.input;
      m.completionTokens = next.output;
    }
    if (isNew) {
      if (model) s.models.set(model, (s.models.get(model) ?? 0) + 1);
      s.recent.set(id, m);
      if (s.recent.size > RECENT_ASSISTANTS) s.recent.delete(s.recent.keys().next().value!);
      s.lastAssistant = id;
      add(s, m);
    } else {
      s.builder.changed(m, m.content.length + (m.reasoning?.length ?? 0) - before);
    }
  }

  function finishFields(s: ClaudeSession): void {
    const t = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };
    for (const u of s.usage.values()) {
      t.input += u.input;
      t.output += u.output;
      t.cacheRead += u.cacheRead;
      t.cacheWrite += u.cacheWrite;
      t.cost += u.cost;
    }
    let model: string | null = null;
    let most = 0;
    for (const [name, n] of s.models) if (n > most) [model, most] = [name, n];
    s.builder.final = {
      model: model ? clip(model, 256) : null,
      gitBranch: s.gitBranch,
      ...(s.usage.size > 0
        ? { promptTokens: t.input, completionTokens: t.output, cacheReadTokens: t.cacheRead, cacheWriteTokens: t.cacheWrite }
        : {}),
      ...(t.cost > 0 ? { cost: Math.round(t.cost * 1e6) / 1e6 } : {}),
    };
  }

  return {
    line(text, lineNo) {
      const o = state.jsonLine(text, lineNo);
      if (!o) return;
      const type = str(o.type);
      if (type === "summary") {
        if (typeof o.summary === "string" && o.summary.trim()) summaryTitle = clip(o.summary.trim(), 1000);
        return;
      }
      if (type !== "user" && type !== "assistant") {
        if (type === "system") return state.skip(str(o.subtype) === "local_command" ? "command" : "system");
        state.skip(type ?? "untyped");
        if (!type || !KNOWN_SKIPPED.has(type)) state.bad(lineNo, `not a Claude Code line (type ${JSON.stringify(type ?? null)})`);
        return;
      }
      const s = sessionOf(o);
      if (!s) {
        state.skip("untyped");
        return state.bad(lineNo, "a Claude Code line without sessionId");
      }
      const uuid = str(o.uuid);
      if (uuid) {
        if (s.lines.has(uuid)) return state.skip("duplicate");
        s.lines.add(uuid);
      }
      const at = toMs(o.timestamp);
      s.builder.at(at);
      const branch = str(o.gitBranch);
      if (branch) s.gitBranch = clip(branch, 256);
      if (type === "user") user(s, o, at);
      else assistant(s, o, at);
    },
    pendingBytes: () => state.pendingBytes(),
    pendingMessages: () => state.pendingMessages(),
    drain(final) {
      if (final) {
        for (const s of sessions.values()) finishFields(s);
        const main = [...sessions.values()].find((s) => !s.builder.fixed.parentExternalId);
        if (main && summaryTitle) main.builder.title = summaryTitle;
      }
      return state.drain(final, (b) => sessions.get(b.externalId)?.lastAssistant ?? null);
    },
    report: () => state.report(),
  };
}
