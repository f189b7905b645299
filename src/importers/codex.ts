import { ImportState, type SessionBuilder } from "./session-builder";
import { clip, isRecord, normalizeRemote, num, parseJsonObject, projectNameOf, str, toMs } from "./text";
import type { ImportedMessage, LineParser } from "./types";

/**
 * OpenAI Codex CLI rollouts: `~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`, one
 * `{timestamp, type, payload}` line per RolloutItem (codex-rs/protocol): `session_meta`, `turn_context`,
 * `response_item` (ResponseItem), `event_msg` (EventMsg) and `compacted`. Rollouts of CLI versions before 0.44
 * have no envelope (a first line with the meta, then bare ResponseItems) and are read too.
 *
 * Mapping: the conversation comes from `response_item`s only — `event_msg` user/agent messages repeat them and are
 * skipped, except `token_count`, whose cumulative `total_token_usage` gives the session's tokens (the last one,
 * never a sum). Consecutive model items (reasoning summaries, assistant text, function/custom/local-shell calls)
 * are one assistant message; their outputs are tool messages. `developer` messages and the instructions Codex
 * injects as user text (`<user_instructions>`, `<environment_context>`, AGENTS.md) are `system` messages;
 * encrypted reasoning is dropped. Message externalIds are `line-<n>` (a rollout is only ever appended to).
 */

const INJECTED = /^\s*(<(user_instructions|environment_context|turn_aborted|user_shell_command|subagent_notification|INSTRUCTIONS)>|# AGENTS\.md instructions)/;
/** ResponseItem kinds that are model output, gathered into one assistant message. */
const MODEL_ITEMS = new Set(["reasoning", "function_call", "custom_tool_call", "local_shell_call"]);
const OUTPUT_ITEMS = new Set(["function_call_output", "custom_tool_call_output"]);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const c of content) {
    if (!isRecord(c)) continue;
    if (typeof c.text === "string") parts.push(c.text);
    else if (c.type === "input_image") parts.push("[image]");
  }
  return parts.join("\n\n");
}

/** A function call's output: Codex often wraps shell output as `{"output": "…", "metadata": {…}}`. */
function outputText(output: unknown): string {
  if (typeof output !== "string") {
    // Newer rollouts write a payload as its content items (`[{type: "input_text", text}, …]`), or `{content}`.
    if (Array.isArray(output)) return textOf(output);
    if (isRecord(output) && (typeof output.content === "string" || Array.isArray(output.content))) return textOf(output.content);
    return output == null ? "" : JSON.stringify(output);
  }
  if (output.startsWith("{\"output\"")) {
    const o = parseJsonObject(output);
    if (o && typeof o.output === "string") return o.output;
  }
  return output;
}

/** Arguments kept as the rollout has them: a JSON object string becomes the object, anything else stays a string. */
function argumentsOf(raw: unknown): Record<string, unknown> | string {
  if (isRecord(raw)) return raw;
  if (typeof raw !== "string") return {};
  const o = raw.trim().startsWith("{") ? parseJsonObject(raw) : null;
  return o ?? raw;
}

export function createCodexParser(): LineParser {
  const state = new ImportState();
  let session: SessionBuilder | null = null;
  let model: string | null = null;
  let provider: string | null = null;
  let git: { branch: string | null; commit: string | null; remote: string | null } = { branch: null, commit: null, remote: null };
  let tokens: { input: number; cached: number; output: number } | null = null;
  /** The assistant message being gathered from consecutive model items, and its reasoning summaries. */
  let open: ImportedMessage | null = null;
  const toolNames = new Map<string, string>();
  /** Lines before the session_meta (rare): their items wait for the session's id. */
  let legacy = false;

  function start(meta: Record<string, unknown>, at: number | null): void {
    const id = str(meta.id) ?? str(meta.session_id);
    if (!id) return;
    const source = meta.source;
    const spawn = isRecord(source) && isRecord(source.subagent) ? source.subagent : null;
    const parent =
      str(meta.parent_thread_id) ??
      (spawn && isRecord(spawn.thread_spawn) ? str(spawn.thread_spawn.parent_thread_id) : undefined) ??
      null;
    const cwd = str(meta.cwd) ?? null;
    provider = str(meta.model_provider) ?? "openai";
    session = state.session(clip(id, 256), () => ({
      source: "codex",
      provider: clip(provider!, 128),
      projectPath: cwd ? clip(cwd, 4096) : null,
      projectName: projectNameOf(cwd),
      parentExternalId: parent ? clip(parent, 256) : null,
    }));
    session.at(toMs(meta.timestamp) ?? at);
    if (isRecord(meta.git)) {
      git = {
        branch: str(meta.git.branch) ? clip(str(meta.git.branch)!, 256) : null,
        commit: str(meta.git.commit_hash) ? clip(str(meta.git.commit_hash)!, 64) : null,
        remote: normalizeRemote(str(meta.git.repository_url)),
      };
    }
  }

  function add(m: ImportedMessage): void {
    if (!session!.add(m)) state.skip("duplicate");
  }

  function closeOpen(): void {
    open = null;
  }

  function modelItem(p: Record<string, unknown>, lineNo: number, at: number | null): void {
    const type = str(p.type);
    let m = open;
    const grown = () => (m ? m.content.length + (m.reasoning?.length ?? 0) + JSON.stringify(m.toolCalls ?? []).length : 0);
    const before = grown();
    if (!m) {
      m = { externalId: `line-${lineNo}`, role: "assistant", content: "", model, createdAt: at };
    }
    if (type === "message") {
      const text = textOf(p.content);
      if (text) m.content = m.content ? `${m.content}\n\n${text}` : text;
    } else if (type === "reasoning") {
      const summary = Array.isArray(p.summary) ? p.summary.filter(isRecord).map((s) => str(s.text) ?? "").filter(Boolean) : [];
      const content = Array.isArray(p.content) ? p.content.filter(isRecord).map((s) => str(s.text) ?? "").filter(Boolean) : [];
      const text = [...summary, ...content].join("\n\n");
      if (!text) {
        state.skip("encrypted_reasoning");
        if (!open) return;
      } else m.reasoning = m.reasoning ? `${m.reasoning}\n\n${text}` : text;
    } else {
      const callId = clip(str(p.call_id) ?? str(p.id) ?? `line-${lineNo}`, 256);
      const name = clip(type === "local_shell_call" ? "local_shell" : (str(p.name) ?? "tool"), 256);
      toolNames.set(callId, name);
      const args = type === "local_shell_call" ? (isRecord(p.action) ? p.action : {}) : type === "custom_tool_call" ? (str(p.input) ?? "") : argumentsOf(p.arguments);
      m.toolCalls = [...(m.toolCalls ?? []), { id: callId, name, arguments: args }];
    }
    if (!open) {
      open = m;
      add(m);
    } else session!.changed(m, grown() - before);
  }

  function responseItem(p: Record<string, unknown>, lineNo: number, at: number | null): void {
    const type = str(p.type) ?? "unknown";
    if (type === "message") {
      const role = str(p.role);
      if (role === "assistant") return modelItem(p, lineNo, at);
      closeOpen();
      const text = textOf(p.content);
      if (!text.trim()) return state.skip("response_item:empty_message");
      const system = role === "developer" || role === "system" || INJECTED.test(text);
      return add({ externalId: `line-${lineNo}`, role: system ? "system" : "user", content: text, createdAt: at });
    }
    if (MODEL_ITEMS.has(type)) return modelItem(p, lineNo, at);
    if (OUTPUT_ITEMS.has(type) || type === "local_shell_call_output") {
      closeOpen();
      const callId = clip(str(p.call_id) ?? `line-${lineNo}`, 256);
      return add({ externalId: `line-${lineNo}`, role: "tool", toolCallId: callId, toolName: toolNames.get(callId) ?? null, content: outputText(p.output), createdAt: at });
    }
    state.skip(`response_item:${type}`);
  }

  return {
    line(text, lineNo) {
      const o = state.jsonLine(text, lineNo);
      if (!o) return;
      const at = toMs(o.timestamp);
      const type = str(o.type);
      const payload = isRecord(o.payload) ? o.payload : null;
      if (type === "session_meta" && payload) {
        if (session) return state.skip("session_meta");
        return start(payload, at);
      }
      if (!session && !payload && str(o.id) && ("instructions" in o || "git" in o || lineNo === 1)) {
        legacy = true;
        return start(o, at);
      }
      if (!session) {
        state.skip(type ?? "untyped");
        return state.bad(lineNo, `not a Codex rollout line before its session_meta (type ${JSON.stringify(type ?? null)})`);
      }
      session.at(at);
      if (legacy && !payload) {
        if (o.record_type === "state") return state.skip("state");
        return responseItem(o, lineNo, at);
      }
      if (!payload) {
        state.skip(type ?? "untyped");
        return state.bad(lineNo, "a Codex line without a payload");
      }
      if (type === "response_item") return responseItem(payload, lineNo, at);
      if (type === "turn_context") {
        const m = str(payload.model);
        if (m) model = clip(m, 256);
        return;
      }
      if (type === "event_msg") {
        const kind = str(payload.type) ?? "unknown";
        if (kind === "token_count" && isRecord(payload.info) && isRecord(payload.info.total_token_usage)) {
          const t = payload.info.total_token_usage;
          tokens = { input: num(t.input_tokens), cached: num(t.cached_input_tokens), output: num(t.output_tokens) };
          return;
        }
        return state.skip(`event_msg:${kind}`);
      }
      if (type === "compacted") {
        closeOpen();
        const summary = str(payload.message);
        if (!summary?.trim()) return state.skip("compacted");
        return add({ externalId: `line-${lineNo}`, role: "system", content: summary, createdAt: at });
      }
      state.skip(type ?? "untyped");
    },
    pendingBytes: () => state.pendingBytes(),
    pendingMessages: () => state.pendingMessages(),
    drain(final) {
      if (final && session) {
        session.final = {
          model,
          gitBranch: git.branch,
          gitCommit: git.commit,
          gitRemote: git.remote,
          // OpenAI counts cached input inside input_tokens: promptTokens is the part not read from the cache.
          ...(tokens
            ? { promptTokens: Math.max(0, tokens.input - tokens.cached), cacheReadTokens: tokens.cached, completionTokens: tokens.output }
            : {}),
        };
      }
      return state.drain(final, () => open?.externalId ?? null);
    },
    report: () => state.report(),
  };
}
