import type { z } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import { ApiError } from "../lib/errors";
import { toApiError, validationError } from "../middleware/errors";
import { appendMessages, upsertSessions } from "../sessions/ingest";
import { messageInputSchema, sessionInputSchema, type MessageInput, type SessionInput } from "../sessions/schemas";
import { dedupeByExternalId, mergeStored } from "./merge";
import { pendingCalls, toMessageCandidates, type MessageCandidate, type PendingCall } from "./message-input";
import { isPlaceholderModel } from "./placeholders";
import type { SyncMessage, SyncSession } from "./schemas";
import { DEFAULT_SOURCE, syncSessionExternalId, toSessionCandidate, type SessionCandidate, type StoredSession } from "./session-input";
import { findSessions, storedMessages, toolRows } from "./store";

/** The outcome of one item of a sync request: applied (with the session's id) or refused with the reason. */
export type ItemOutcome = { ok: true; sessionId: string } | { ok: false; error: ApiError };

/** Prefixes each detail path, so a batch names the field inside the item (`messages.0.content`). */
function asInvalid(err: z.ZodError, prefix: string): ApiError {
  const e = validationError(err);
  if (!prefix) return e;
  return new ApiError("invalid_request", e.message, { details: e.details?.map((d) => ({ ...d, path: d.path ? `${prefix}.${d.path}` : prefix })) });
}

/**
 * Session updates, in order. Items naming the same session are folded into one update (a later non-empty value
 * wins, as if they had been sent one after the other); every candidate is checked by the ingest schema.
 */
export async function syncSessions(db: Db, workspaceId: string, items: SyncSession[]): Promise<ItemOutcome[]> {
  const stored = await findSessions(db, workspaceId, items.map(syncSessionExternalId));
  const folded = new Map<string, SessionCandidate>();
  const outcomes: (ItemOutcome | undefined)[] = items.map(() => undefined);
  const itemsOf = new Map<string, number[]>();
  items.forEach((item, i) => {
    const ext = syncSessionExternalId(item);
    const prev = folded.get(ext);
    const known: StoredSession | undefined = stored.get(ext) ?? (prev ? { id: "", title: prev.title ?? null } : undefined);
    const next = { ...prev, ...toSessionCandidate(item, known) };
    const checked = sessionInputSchema.safeParse(next);
    if (!checked.success) {
      outcomes[i] = { ok: false, error: asInvalid(checked.error, "") };
      return;
    }
    folded.set(ext, next);
    itemsOf.set(ext, [...(itemsOf.get(ext) ?? []), i]);
  });

  const inputs = [...folded.values()].map((c) => sessionInputSchema.parse(c));
  const write = async (list: SessionInput[]) => {
    const results = await upsertSessions(db, workspaceId, list);
    for (const r of results) for (const i of itemsOf.get(r.externalId) ?? []) outcomes[i] = { ok: true, sessionId: r.id };
  };
  if (inputs.length > 0) {
    try {
      await write(inputs);
    } catch {
      // One session's failure must not take the others with it: retry them one at a time, as OpenSync applies them.
      for (const input of inputs) {
        try {
          await write([input]);
        } catch (err) {
          for (const i of itemsOf.get(input.externalId) ?? []) outcomes[i] = { ok: false, error: toApiError(err) };
        }
      }
    }
  }
  return outcomes.map((o) => o ?? { ok: false, error: new ApiError("internal", "The item was not applied.") });
}

/**
 * Messages, in order of arrival, grouped by session. A session that does not exist yet is created first (with the
 * first message's source, as OpenSync does); each group is then one append, so its messages keep their order.
 */
export async function syncMessages(db: Db, workspaceId: string, items: SyncMessage[]): Promise<ItemOutcome[]> {
  const outcomes: ItemOutcome[] = items.map(() => ({ ok: false, error: new ApiError("internal", "The item was not applied.") }));
  const groups = new Map<string, number[]>();
  items.forEach((m, i) => groups.set(m.sessionExternalId, [...(groups.get(m.sessionExternalId) ?? []), i]));
  const stored = await findSessions(db, workspaceId, [...groups.keys()]);

  const missing = [...groups.entries()].filter(([ext]) => !stored.has(ext));
  if (missing.length > 0) {
    const creates = missing.map(([ext, idx]) => newSessionInput(ext, idx.map((i) => items[i]!)));
    try {
      for (const r of await upsertSessions(db, workspaceId, creates)) stored.set(r.externalId, { id: r.id, title: null });
    } catch (err) {
      for (const [, idx] of missing) for (const i of idx) outcomes[i] = { ok: false, error: toApiError(err) };
    }
  }

  for (const [ext, idx] of groups) {
    const session = stored.get(ext);
    if (!session) continue;
    const existed = !missing.some(([m]) => m === ext);
    try {
      const refused = await appendGroup(db, workspaceId, session.id, existed, idx.map((i) => items[i]!));
      idx.forEach((i, k) => {
        const error = refused.get(k);
        outcomes[i] = error ? { ok: false, error } : { ok: true, sessionId: session.id };
      });
    } catch (err) {
      for (const i of idx) outcomes[i] = { ok: false, error: toApiError(err) };
    }
  }
  return outcomes;
}

/** The session a message creates: its source (OpenSync's default when none) and model, nothing else known yet. */
function newSessionInput(externalId: string, group: SyncMessage[]): SessionInput {
  const source = group.find((m) => m.source && m.source.trim() !== "")?.source ?? DEFAULT_SOURCE;
  const model = group.find((m) => m.model && m.model.trim() !== "" && !isPlaceholderModel(m.model))?.model;
  return sessionInputSchema.parse({ externalId, source, ...(model ? { model } : {}), messages: [] });
}

/** Maps one session's messages, puts back what resends leave out, checks them, and appends the valid ones. */
async function appendGroup(db: Db, workspaceId: string, sessionId: string, existed: boolean, group: SyncMessage[]): Promise<Map<number, ApiError>> {
  const map = (pending: PendingCall[]) => {
    let orphans = 0;
    const perItem = group.map((m) => {
      const r = toMessageCandidates(m, pending);
      orphans += r.orphanResults;
      return r.messages;
    });
    return { perItem, orphans };
  };
  let mapped = map([]);
  // Results that name no call answer the session's latest unanswered one: read stored calls only when needed.
  if (mapped.orphans > 0 && existed) mapped = map(pendingCalls(await toolRows(db, sessionId)));

  const ids = mapped.perItem.flat().flatMap((m) => (m.externalId === undefined ? [] : [m.externalId]));
  const stored = existed ? await storedMessages(db, sessionId, ids) : new Map();
  const refused = new Map<number, ApiError>();
  const accepted: MessageCandidate[] = [];
  mapped.perItem.forEach((list, k) => {
    const merged = list.map((m) => mergeStored(m, m.externalId === undefined ? undefined : stored.get(m.externalId)));
    const bad = merged.map((m) => messageInputSchema.safeParse(m)).find((r) => !r.success);
    if (bad && !bad.success) refused.set(k, asInvalid(bad.error, ""));
    else accepted.push(...merged);
  });
  const inputs: MessageInput[] = dedupeByExternalId(accepted).map((m) => messageInputSchema.parse(m));
  if (inputs.length > 0) await appendMessages(db, workspaceId, sessionId, inputs);
  return refused;
}
