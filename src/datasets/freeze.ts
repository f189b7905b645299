import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { datasets, datasetSessions, exportKeyOf, sessions, type DatasetFilters, type DatasetRow } from "../db/schema";
import { conditions, EXPORTED_SESSION_FIELDS, type ExportFilters } from "../export/reader";
import { splitOf, SPLIT_DEFAULTS } from "../export/split";
import { newId } from "../lib/ids";

/** What POST /api/datasets names: a name, and the export filters as arrays. */
export interface FreezeInput {
  name: string;
  description?: string | null;
  filters: DatasetFilters;
}

/** Ids per `IN (json_each(?))` statement when a split was decided in JS: one bound text of a few hundred KB. */
const IDS_PER_STATEMENT = 5_000;
/** Ids read per query while deciding a split. */
const ID_PAGE = 20_000;

/** The export filters a dataset's stored filters stand for (split defaults filled in). */
export function exportFiltersOf(f: DatasetFilters): ExportFilters {
  return {
    statuses: f.status,
    tags: f.tag,
    ids: f.id,
    split: f.split
      ? { split: f.split, testFraction: f.testFraction ?? SPLIT_DEFAULTS.testFraction, seed: f.seed ?? SPLIT_DEFAULTS.seed }
      : undefined,
  };
}

/** The filters as stored and answered: only what was given, and with a split its fraction and seed. */
export function normalFilters(f: DatasetFilters): DatasetFilters {
  const out: DatasetFilters = {};
  if (f.status && f.status.length > 0) out.status = f.status;
  if (f.tag && f.tag.length > 0) out.tag = f.tag;
  if (f.id) out.id = f.id;
  if (f.split) {
    out.split = f.split;
    out.testFraction = f.testFraction ?? SPLIT_DEFAULTS.testFraction;
    out.seed = f.seed ?? SPLIT_DEFAULTS.seed;
  }
  return out;
}

/** The frozen copy of the matching sessions, as an `INSERT … SELECT` over `sessions`. */
function copyInto(db: Db, datasetId: string, where: ReturnType<typeof and>) {
  return db.insert(datasetSessions).select(
    db
      .select({
        datasetId: sql<string>`${datasetId}`.as("dataset_id"),
        exportKey: sql<string>`${exportKeyOf(sessions.createdAt, sessions.id)}`.as("export_key"),
        sessionId: sessions.id,
        workspaceId: sessions.workspaceId,
        messageCount: sessions.messageCount,
        contentBytes: sessions.contentBytes,
        ...EXPORTED_SESSION_FIELDS,
      })
      .from(sessions)
      .where(where),
  );
}

/** The ids on the requested side of the split, decided in JS (SQLite has no SHA-256), read in pages of ids. */
async function splitIds(db: Db, workspaceId: string, f: ExportFilters): Promise<string[]> {
  const split = f.split!;
  const kept: string[] = [];
  let after: string | null = null;
  for (;;) {
    const key = exportKeyOf(sessions.createdAt, sessions.id);
    const rows: { id: string; k: string }[] = await db
      .select({ id: sessions.id, k: sql<string>`${key}`.as("k") })
      .from(sessions)
      .where(and(...conditions(workspaceId, f, after, null)))
      .orderBy(key)
      .limit(ID_PAGE);
    for (const r of rows) if ((await splitOf(r.id, split.testFraction, split.seed)) === split.split) kept.push(r.id);
    if (rows.length < ID_PAGE) return kept;
    after = rows[rows.length - 1]!.k;
  }
}

/**
 * Freezes a dataset in one D1 batch (one transaction): the dataset row, set-based copies of every matching
 * session's exported columns, labels and message count, and the count. Without a split that is one
 * `INSERT … SELECT` whatever the number of sessions; with one, the sides are decided in JS first and the copy runs
 * over the kept ids a few thousand at a time.
 */
export async function freezeDataset(db: Db, workspaceId: string, input: FreezeInput, now = Date.now()): Promise<DatasetRow> {
  const id = newId("ds", now);
  const stored = normalFilters(input.filters);
  const f = exportFiltersOf(stored);
  const head = db.insert(datasets).values({
    id,
    workspaceId,
    name: input.name,
    description: input.description ?? null,
    filters: stored,
    sessionCount: 0,
    createdAt: now,
  });
  const copies: BatchItem<"sqlite">[] = [];
  if (!f.split) {
    copies.push(copyInto(db, id, and(...conditions(workspaceId, f, null, null))));
  } else {
    const ids = await splitIds(db, workspaceId, f);
    for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
      const chunk = JSON.stringify(ids.slice(i, i + IDS_PER_STATEMENT));
      copies.push(
        copyInto(db, id, and(eq(sessions.workspaceId, workspaceId), sql`${sessions.id} IN (SELECT value FROM json_each(${chunk}))`)),
      );
    }
  }
  const count = db
    .update(datasets)
    .set({ sessionCount: sql`(SELECT count(*) FROM ${datasetSessions} WHERE ${datasetSessions.datasetId} = ${id})` })
    .where(eq(datasets.id, id))
    .returning();
  const results = await db.batch([head, ...copies, count] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return (results[results.length - 1] as DatasetRow[])[0]!;
}
