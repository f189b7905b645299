import type { ExportMessage, ExportSession, ToolCall } from "../../src/export/model";

/** A session with every optional field known, overridable per test. */
export function session(messages: ExportMessage[], overrides: Partial<Omit<ExportSession, "messages">> = {}): ExportSession {
  return {
    id: "ses_1",
    externalId: "ext-1",
    title: "A session",
    source: "claude-code",
    model: "claude-sonnet-4-20250514",
    totalTokens: 4521,
    cost: 0.08,
    evalStatus: "golden",
    evalTags: ["auth"],
    expectedOutput: null,
    evalNotes: null,
    gitBranch: null,
    gitCommit: null,
    gitRemote: null,
    parentExternalId: null,
    ...overrides,
    messages,
  };
}

const base = { toolCallId: null, toolName: null, toolCalls: null };

export const sys = (content: string): ExportMessage => ({ ...base, role: "system", content });
export const user = (content: string): ExportMessage => ({ ...base, role: "user", content });
export const asst = (content: string, toolCalls: ToolCall[] | null = null): ExportMessage => ({
  ...base,
  role: "assistant",
  content,
  toolCalls,
});
export const tool = (toolCallId: string | null, content: string, toolName: string | null = null): ExportMessage => ({
  ...base,
  role: "tool",
  content,
  toolCallId,
  toolName,
});
export const call = (id: string | null, name: string, args: unknown): ToolCall => ({ id, name, arguments: args });

/** Emoji (astral), CJK, RTL with a bidi mark, NUL, and line/paragraph separators. */
export const UNICODE = "héllo 👩‍💻 你好 שלום \u200f مرحبا \u0000 end\u2028x\u2029y\u0085z";
