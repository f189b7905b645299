import { and, asc, eq, inArray, isNotNull, or } from "drizzle-orm";
import { chunk, D1_MAX_PARAMS, type Db } from "../db/client";
import { messages, sessions } from "../db/schema";
import type { StoredMessage } from "./merge";
import type { StoredSession } from "./session-input";

/**
 * The few reads the sync routes need before writing through ingest: the stored title (the slug rule), stored
 * message fields a resend leaves out, and unanswered tool calls. Never message bodies beyond the resent ones.
 */

export async function findSessions(db: Db, workspaceId: string, externalIds: string[]): Promise<Map<string, StoredSession>> {
  const out = new Map<string, StoredSession>();
  for (const part of chunk([...new Set(externalIds)], D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ id: sessions.id, externalId: sessions.externalId, title: sessions.title })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), inArray(sessions.externalId, part)));
    for (const r of rows) out.set(r.externalId, { id: r.id, title: r.title });
  }
  return out;
}

export async function storedMessages(db: Db, sessionId: string, externalIds: string[]): Promise<Map<string, StoredMessage>> {
  const out = new Map<string, StoredMessage>();
  for (const part of chunk([...new Set(externalIds)], D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({
        externalId: messages.externalId,
        role: messages.role,
        content: messages.content,
        toolCalls: messages.toolCalls,
        toolCallId: messages.toolCallId,
        toolName: messages.toolName,
        reasoning: messages.reasoning,
        model: messages.model,
        promptTokens: messages.promptTokens,
        completionTokens: messages.completionTokens,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), inArray(messages.externalId, part)));
    for (const r of rows) if (r.externalId !== null) out.set(r.externalId, r);
  }
  return out;
}

/** The session's tool calls and tool results, in conversation order (only rows that have either). */
export async function toolRows(db: Db, sessionId: string) {
  return db
    .select({ role: messages.role, toolCalls: messages.toolCalls, toolCallId: messages.toolCallId })
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), or(isNotNull(messages.toolCalls), isNotNull(messages.toolCallId))))
    .orderBy(asc(messages.seq));
}

export async function listExternalIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ externalId: sessions.externalId })
    .from(sessions)
    .where(eq(sessions.workspaceId, workspaceId))
    .orderBy(asc(sessions.createdAt), asc(sessions.id));
  return rows.map((r) => r.externalId);
}
