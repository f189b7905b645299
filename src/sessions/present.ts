import type { MessageRow, SessionRow } from "../db/schema";
import type { MessageOut, SessionSummary } from "./schemas";

/** A stored session row as the API shows it (the summary: everything but messages). */
export function presentSession(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    externalId: row.externalId,
    title: row.title,
    source: row.source,
    model: row.model,
    provider: row.provider,
    projectPath: row.projectPath,
    projectName: row.projectName,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    totalTokens: row.totalTokens,
    cost: row.cost,
    durationMs: row.durationMs,
    gitBranch: row.gitBranch,
    gitCommit: row.gitCommit,
    gitRemote: row.gitRemote,
    parentExternalId: row.parentExternalId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    messageCount: row.messageCount,
    evalReady: row.evalReady,
    evalStatus: row.evalStatus,
    evalNotes: row.evalNotes,
    evalTags: row.evalTags,
    expectedOutput: row.expectedOutput,
    reviewedAt: row.reviewedAt,
    reviewedBy: row.reviewedBy,
  };
}

/** A stored message as sent: tool-call arguments come back as the object or string they were. */
export function presentMessage(row: MessageRow): MessageOut {
  return {
    seq: row.seq,
    externalId: row.externalId,
    role: row.role,
    content: row.content,
    toolCalls: row.toolCalls === null ? null : (JSON.parse(row.toolCalls) as MessageOut["toolCalls"]),
    toolCallId: row.toolCallId,
    toolName: row.toolName,
    reasoning: row.reasoning,
    model: row.model,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    createdAt: row.createdAt,
  };
}

/** A strong ETag that changes with every change to the session (its version counter). */
export const etagOf = (row: Pick<SessionRow, "version">) => `"v${row.version}"`;
