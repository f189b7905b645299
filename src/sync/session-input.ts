import type { z } from "@hono/zod-openapi";
import type { sessionInputSchema } from "../sessions/schemas";
import { isMachineTitle, isPlaceholderModel } from "./placeholders";
import type { SyncSession } from "./schemas";

export type SessionCandidate = z.input<typeof sessionInputSchema>;

/** What the route knows of the stored session, if there is one. */
export interface StoredSession {
  id: string;
  title: string | null;
}

/** OpenSync files a session that names no source under "opencode": opencode-sync-plugin never sends one. */
export const DEFAULT_SOURCE = "opencode";

const STRING_FIELDS = [
  "projectPath", "projectName", "provider", "source", "gitBranch", "gitCommit", "gitRemote", "parentExternalId",
] as const;
const COUNT_FIELDS = ["promptTokens", "completionTokens", "cacheReadTokens", "cacheWriteTokens", "totalTokens", "durationMs"] as const;

/** The session's externalId: OpenSync accepts `sessionId` in its place. */
export function syncSessionExternalId(s: SyncSession): string {
  return (s.externalId || s.sessionId)!;
}

/**
 * A plugin's session update as an ingest input. Zero, empty and null values are left out, so they keep whatever
 * is stored (plugins resend partial updates full of zeros); a machine title is left out when a title is stored.
 */
export function toSessionCandidate(s: SyncSession, stored: StoredSession | undefined): SessionCandidate {
  const out: SessionCandidate = { externalId: syncSessionExternalId(s), messages: [] };
  for (const k of STRING_FIELDS) {
    const v = s[k];
    if (typeof v === "string" && v.trim() !== "") out[k] = v;
  }
  for (const k of COUNT_FIELDS) {
    const v = s[k];
    if (typeof v === "number" && v > 0) out[k] = Math.round(v);
  }
  if (typeof s.cost === "number" && s.cost > 0) out.cost = s.cost;
  if (s.model && s.model.trim() !== "" && !isPlaceholderModel(s.model)) out.model = s.model;
  if (s.title && s.title.trim() !== "" && !(isMachineTitle(s.title) && stored?.title)) out.title = s.title;
  if (s.createdAt != null && s.createdAt > 0) out.createdAt = s.createdAt;
  if (s.updatedAt != null && s.updatedAt > 0) out.updatedAt = s.updatedAt;
  if (!stored && out.source === undefined) out.source = DEFAULT_SOURCE;
  return out;
}
