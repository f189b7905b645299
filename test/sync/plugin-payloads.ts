/**
 * Payloads shaped exactly as OpenSync's plugins build them (read from their published sources: claude-code-sync
 * 0.1.15 dist/cli.js + SyncClient.transformSession/transformMessage, opencode-sync-plugin src/index.ts and
 * src/cli.ts, droid-sync src/api.ts + src/transcript.ts, pi-opensync-plugin src/client.ts, and codex-sync as
 * OpenSync's plugin guide describes it). Our own values; only the shapes are theirs.
 */

let n = 0;
export const uid = (prefix: string) => `${prefix}-${++n}-${crypto.randomUUID().slice(0, 8)}`;

/** claude-code-sync: one function per hook, returning the body it POSTs. */
export const claudeCodeSync = {
  /** SessionStart: transformSession of {sessionId, source, cwd, model?, title: slug?, projectPath, projectName}. */
  sessionStart: (sid: string, over: Record<string, unknown> = {}) => ({
    externalId: sid, source: "claude-code", projectPath: "/home/dev/shop", projectName: "shop", ...over,
  }),
  /** UserPromptSubmit, first prompt only: a title from the prompt's first 80 characters. */
  firstPromptTitle: (sid: string, title: string) => ({ externalId: sid, source: "claude-code", title }),
  /** UserPromptSubmit: the id changes on every send (`-user-${Date.now()}`). */
  userPrompt: (sid: string, prompt: string) => ({
    sessionExternalId: sid, externalId: `${sid}-user-${Date.now()}-${++n}`, role: "user", source: "claude-code", textContent: prompt,
  }),
  /** PostToolUse: role assistant, the tool_use_id as externalId, a tool-call part and (when it has one) a tool-result part. */
  toolUse: (sid: string, toolUseId: string, toolName: string, args: Record<string, unknown>, result?: string, durationMs?: number) => ({
    sessionExternalId: sid, externalId: toolUseId, role: "assistant", source: "claude-code",
    ...(durationMs !== undefined ? { durationMs } : {}),
    parts: [
      { type: "tool-call", content: { toolName, args } },
      ...(result ? [{ type: "tool-result", content: result }] : []),
    ],
  }),
  /** Stop: each assistant text block of the transcript, by its line uuid. */
  assistantText: (sid: string, uuid: string, text: string, model = "claude-sonnet-4-20250514") => ({
    sessionExternalId: sid, externalId: uuid, role: "assistant", source: "claude-code", textContent: text, model,
  }),
  /** Stop: the session update (no title), counts from the transcript. */
  stopSession: (sid: string, promptTokens: number, completionTokens: number, cost: number) => ({
    externalId: sid, source: "claude-code", model: "claude-sonnet-4-20250514", promptTokens, completionTokens, cost,
    messageCount: 3, toolCallCount: 1,
  }),
  /** SessionEnd: the slug as title, zeros when the transcript could not be read. */
  sessionEnd: (sid: string, slug: string, tokens = { input: 0, output: 0 }, cost = 0) => ({
    externalId: sid, source: "claude-code", title: slug, projectPath: "/home/dev/shop", projectName: "shop",
    endReason: "prompt_input_exit", messageCount: 0, toolCallCount: 0, promptTokens: tokens.input,
    completionTokens: tokens.output, cost, durationMs: 0,
  }),
};

/** opencode-sync-plugin: no source anywhere; zeros for unknown counts; "Untitled Session" without a title. */
export const opencodeSync = {
  session: (id: string, over: Record<string, unknown> = {}) => ({
    externalId: id, title: "Untitled Session", projectPath: "/home/dev/api", projectName: "api",
    model: "claude-sonnet-4", provider: "anthropic", promptTokens: 0, completionTokens: 0, cost: 0, ...over,
  }),
  message: (sid: string, id: string, role: string, textContent: string, over: Record<string, unknown> = {}) => ({
    sessionExternalId: sid, externalId: id, role, textContent, model: "claude-sonnet-4",
    promptTokens: 120, completionTokens: 40, durationMs: 900, ...over,
  }),
  /** The CLI's bulk sync: model "unknown" when no message names one. */
  cliSession: (id: string) => ({
    externalId: id, title: "Untitled", projectPath: "/home/dev/api", projectName: "api", model: "unknown",
    provider: "opencode", promptTokens: 0, completionTokens: 0, cost: 0,
  }),
};

/** droid-sync: a /sync/batch with no sessions; tool calls as separate messages with a `tool_use` part. */
export const droidSync = {
  session: (sid: string) => ({
    externalId: sid, title: "Refactor billing", projectPath: "/home/dev/billing", projectName: "billing", model: "gpt-5",
    source: "factory-droid", promptTokens: 900, completionTokens: 200, cost: undefined, durationMs: 42000,
  }),
  text: (sid: string, id: string, role: "user" | "assistant", text: string) => ({
    sessionExternalId: sid, externalId: id, role, textContent: text, durationMs: undefined, source: "factory-droid",
  }),
  tool: (sid: string, msgId: string, toolId: string, toolName: string, args: Record<string, unknown>, result?: string) => ({
    sessionExternalId: sid, externalId: `${msgId}-tool-${toolId}`, role: "assistant", source: "factory-droid",
    parts: [{ type: "tool_use", content: { toolName, args, result } }],
  }),
};

/** pi-opensync: createdAt on every message; text repeated as a part beside tool calls; results interleaved. */
export const piOpensync = {
  session: (sid: string, title = "Untitled") => ({
    externalId: sid, source: "pi", projectPath: "/home/dev/cli", projectName: "cli", title, model: "claude-opus-4",
    provider: "anthropic",
  }),
  user: (sid: string, i: number, text: string, at: number) => ({
    sessionExternalId: sid, externalId: `${sid}-user-${i}`, role: "user", createdAt: at, textContent: text,
  }),
  assistant: (sid: string, i: number, text: string, at: number, tools: { name: string; args: unknown; result: string }[], thinking?: string) => ({
    sessionExternalId: sid, externalId: `${sid}-assistant-${i}`, role: "assistant", createdAt: at, textContent: text || undefined,
    model: "claude-opus-4", promptTokens: 300, completionTokens: 80,
    parts: [
      ...(text && (tools.length > 0 || thinking) ? [{ type: "text", content: text }] : []),
      ...tools.flatMap((t) => [{ type: "tool-call", content: { toolName: t.name, args: t.args } }, { type: "tool-result", content: t.result }]),
      ...(thinking ? [{ type: "thinking", content: thinking }] : []),
    ],
  }),
};

/** codex-sync, as OpenSync's plugin guide builds it: source codex-cli, the first message as title. */
export const codexSync = {
  session: (sid: string) => ({
    externalId: sid, source: "codex-cli", title: "add a retry to the upload client", model: "gpt-5-codex", provider: "openai",
    promptTokens: 5100, completionTokens: 700, cost: 0.013,
  }),
  message: (sid: string, id: string, role: "user" | "assistant", text: string) => ({
    sessionExternalId: sid, externalId: id, role, textContent: text, model: "gpt-5-codex", source: "codex-cli",
  }),
};
