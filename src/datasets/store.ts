import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { datasets, datasetSessions, type DatasetRow } from "../db/schema";

/** A workspace's datasets, newest first. */
export function listDatasets(db: Db, workspaceId: string): Promise<DatasetRow[]> {
  return db
    .select()
    .from(datasets)
    .where(eq(datasets.workspaceId, workspaceId))
    .orderBy(desc(datasets.createdAt), desc(datasets.id));
}

/** One dataset of the workspace; undefined for an unknown id or another workspace's (both answer 404). */
export function getDataset(db: Db, workspaceId: string, id: string): Promise<DatasetRow | undefined> {
  return db
    .select()
    .from(datasets)
    .where(and(eq(datasets.workspaceId, workspaceId), eq(datasets.id, id)))
    .get();
}

/** The dataset's sessions still there, in export order. */
export async function datasetSessionIds(db: Db, datasetId: string): Promise<string[]> {
  const rows = await db
    .select({ id: datasetSessions.sessionId })
    .from(datasetSessions)
    .where(eq(datasetSessions.datasetId, datasetId))
    .orderBy(asc(datasetSessions.exportKey));
  return rows.map((r) => r.id);
}

/** Deletes the dataset (its frozen rows go with it); false when it is not this workspace's. */
export async function deleteDataset(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(datasets)
    .where(and(eq(datasets.workspaceId, workspaceId), eq(datasets.id, id)))
    .returning({ id: datasets.id });
  return gone.length > 0;
}

/** The public shape of a dataset. */
export function presentDataset(row: DatasetRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    sessionCount: row.sessionCount,
    createdAt: row.createdAt,
    filters: row.filters,
  };
}
