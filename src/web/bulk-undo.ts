import { z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { hashKey } from "../auth/hash";
import type { Db } from "../db/client";
import { chunk } from "../db/client";
import { undoEntrySchema, type UndoEntry } from "./bulk-plan";
import type { C } from "./guard";
import { SESSION_COOKIE } from "./session";

/**
 * The undo of the last bulk action, kept in KV per sign-in (under the hash of the session cookie, as the sign-in
 * itself is) with a one-hour TTL. KV rather than a D1 table: the undo belongs to one browser's sign-in, which
 * lives in KV too, it expires by itself without a cleanup job, and no migration is needed. KV is only eventually
 * consistent, so "undo once" is enforced twice: the record is deleted before anything is restored, and every
 * restore is conditional on the session still being at the version the action left it at — a replayed undo
 * (or a record read stale) finds those versions moved by the first undo and restores nothing.
 */
export const UNDO_TTL_SECONDS = 60 * 60;

const lastActionSchema = z.object({
  id: z.string(),
  workspace: z.string(),
  at: z.number(),
  description: z.string(),
  kind: z.enum(["ready", "status", "tags"]),
  /** Sessions the action was applied to (found in the workspace), and how many it changed. */
  found: z.number().int(),
  changed: z.number().int(),
  /** Sessions another writer touched while the action ran: never restored, reported as kept. */
  raced: z.number().int(),
  entries: z.array(undoEntrySchema),
});
export type LastAction = z.infer<typeof lastActionSchema>;

/** What the list page needs to offer the Undo: no session ids, no prior values. */
export type LastActionSummary = Pick<LastAction, "id" | "at" | "description" | "found" | "changed">;

const kvName = async (cookie: string) => `web-undo:${await hashKey(cookie)}`;
const cookieOf = (c: C) => getCookie(c, SESSION_COOKIE) ?? "";

/** Keeps `action` as this sign-in's last bulk action (replacing the one before: only the last can be undone). */
export async function saveLastAction(c: C, action: LastAction): Promise<void> {
  await c.env.KV.put(await kvName(cookieOf(c)), JSON.stringify(action), { expirationTtl: UNDO_TTL_SECONDS });
}

/** This sign-in's last bulk action in its workspace, or null (none, expired, undone, or another workspace's). */
export async function loadLastAction(c: C): Promise<LastAction | null> {
  const cookie = cookieOf(c);
  if (!cookie) return null;
  const raw = await c.env.KV.get(await kvName(cookie));
  if (raw === null) return null;
  const parsed = lastActionSchema.safeParse(JSON.parse(raw));
  if (!parsed.success || parsed.data.workspace !== c.var.web.workspace || Date.now() - parsed.data.at > UNDO_TTL_SECONDS * 1000) return null;
  return parsed.data;
}

/** For the list pages: the Undo to offer, if this sign-in has one. */
export async function lastBulkAction(c: C): Promise<LastActionSummary | null> {
  const a = await loadLastAction(c);
  return a && a.changed > 0 ? { id: a.id, at: a.at, description: a.description, found: a.found, changed: a.changed } : null;
}

export async function forgetLastAction(c: C): Promise<void> {
  await c.env.KV.delete(await kvName(cookieOf(c)));
}

/** The restorable entries as rows: `e.value` is the entry (json_each over the JSON array of entries). */
const ENTRIES = `SELECT json_extract(e.value, '$.id') AS id, json_extract(e.value, '$.v') AS v, json_extract(e.value, '$.ready') AS ready,
  json_extract(e.value, '$.status') AS status, json_extract(e.value, '$.tags') AS tags, json_extract(e.value, '$.ra') AS ra,
  json_extract(e.value, '$.rb') AS rb FROM json_each(?2) e`;

/** Per kind, the columns an undo sets back: exactly those the action changed. */
const RESTORE_SET: Record<LastAction["kind"], string> = {
  ready: "eval_ready = j.ready",
  status: "eval_status = j.status, reviewed_at = j.ra, reviewed_by = j.rb",
  tags: "eval_tags = j.tags, reviewed_at = j.ra, reviewed_by = j.rb",
};

/**
 * Restores the prior values of the entries, each only if its session is still at the version the action left it at
 * (so a session someone changed since — a reviewer, the API, a webhook — is left as it is). The label fields go
 * back to their prior values, reviewedAt and reviewedBy included: an undone action leaves no trace in the labels.
 * Tags: session_tags is rewritten first, guarded by the same version test, in the same transaction.
 * Returns how many sessions were restored.
 */
export async function restoreEntries(db: Db, workspace: string, kind: LastAction["kind"], entries: UndoEntry[]): Promise<number> {
  const d1 = db.$client;
  let restored = 0;
  for (const part of chunk(entries, 500)) {
    const json = JSON.stringify(part);
    const still = `SELECT j.id, j.tags FROM (${ENTRIES}) j JOIN sessions s ON s.id = j.id AND s.workspace_id = ?1 AND s.version = j.v`;
    const stmts: D1PreparedStatement[] = [];
    if (kind === "tags") {
      stmts.push(d1.prepare(`DELETE FROM session_tags WHERE workspace_id = ?1 AND session_id IN (SELECT id FROM (${still}))`).bind(workspace, json));
      stmts.push(
        d1
          .prepare(`INSERT OR IGNORE INTO session_tags (workspace_id, tag, session_id) SELECT ?1, t.value, r.id FROM (${still}) r, json_each(r.tags) t`)
          .bind(workspace, json),
      );
    }
    stmts.push(
      d1
        .prepare(
          `UPDATE sessions SET ${RESTORE_SET[kind]}, version = sessions.version + 1 FROM (${ENTRIES}) AS j
           WHERE sessions.workspace_id = ?1 AND sessions.id = j.id AND sessions.version = j.v RETURNING sessions.id`,
        )
        .bind(workspace, json),
    );
    const results = await d1.batch(stmts);
    restored += results.at(-1)!.results.length;
  }
  return restored;
}
