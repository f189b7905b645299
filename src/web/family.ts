import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";

const CHILDREN_SHOWN = 50;

/**
 * A session's parent (the session whose run started this subagent, by `parentExternalId`) and its children,
 * within the workspace. Two indexed lookups in one batch.
 */
export async function sessionFamily(db: Db, workspaceId: string, s: { externalId: string; parentExternalId: string | null }) {
  const [parents, children] = await db.batch(familyQueries(db, workspaceId, s));
  const named = (r: { id: string; title: string | null; externalId: string }) => ({ id: r.id, title: r.title || r.externalId });
  return { parent: s.parentExternalId && parents[0] ? named(parents[0]) : null, parentExternalId: s.parentExternalId, children: children.map(named) };
}

/** The two lookups of sessionFamily (exported for the plan tests): the parent by external id, the children in start order. */
export function familyQueries(db: Db, workspaceId: string, s: { externalId: string; parentExternalId: string | null }) {
  return [
    db
      .select({ id: sessions.id, title: sessions.title, externalId: sessions.externalId })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.externalId, s.parentExternalId ?? "\u0000")))
      .limit(1),
    db
      .select({ id: sessions.id, title: sessions.title, externalId: sessions.externalId })
      .from(sessions)
      .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.parentExternalId, s.externalId)))
      .orderBy(asc(sessions.createdAt), asc(sessions.id))
      .limit(CHILDREN_SHOWN),
  ] as const;
}
