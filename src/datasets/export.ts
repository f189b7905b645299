import { exportKey, type DatasetRow } from "../db/schema";
import { exportFilename } from "../export/encoders";
import { allRaw, toHead, type ExportExtent, type HeadPager, type ReadStats } from "../export/reader";
import { resolveAfter, streamedExport, type ExportAnswer, type ExportCommon } from "../export/respond";

/** The frozen columns of a dataset's session, named as `toHead` reads them. */
const FROZEN_COLUMNS =
  "session_id AS id, external_id, title, source, model, total_tokens, cost, eval_status, eval_tags, eval_notes, " +
  "expected_output, git_branch, git_commit, git_remote, parent_external_id, export_key, message_count, content_bytes";

/** What the dataset export holds: its remaining sessions after `after`, at most `limit`. One query. */
async function datasetExtent(d1: D1Database, datasetId: string, afterKey: string | null, limit: number | undefined, stats: ReadStats): Promise<ExportExtent> {
  const inner =
    "SELECT export_key FROM dataset_sessions WHERE dataset_id = ?1 AND export_key > ?2 ORDER BY export_key" +
    (limit !== undefined ? " LIMIT ?3" : "");
  const params: unknown[] = [datasetId, afterKey ?? ""];
  if (limit !== undefined) params.push(limit);
  const rows = await allRaw(d1, `SELECT count(*) AS n, min(export_key) AS first, max(export_key) AS last FROM (${inner})`, params, stats);
  const row = rows[0] ?? {};
  return { count: Number(row.n ?? 0), firstKey: (row.first as string | null) ?? null, lastKey: (row.last as string | null) ?? null };
}

/** Keyset pages of the frozen heads, never past `untilKey`. */
function datasetHeads(d1: D1Database, datasetId: string, untilKey: string, stats: ReadStats): HeadPager {
  return async (afterKey, limit) =>
    (
      await allRaw(
        d1,
        `SELECT ${FROZEN_COLUMNS} FROM dataset_sessions WHERE dataset_id = ?1 AND export_key > ?2 AND export_key <= ?3 ` +
          "ORDER BY export_key LIMIT ?4",
        [datasetId, afterKey ?? "", untilKey, limit],
        stats,
      )
    ).map(toHead);
}

/**
 * A dataset's export: the frozen heads and labels, each session's first `message_count` messages (the reader's
 * per-session LIMIT), through the same redact and encode layers as the live export — so the same params give the
 * same bytes for as long as the sessions exist. A dataset frozen with a split names it in every record.
 */
export async function datasetExportResponse(
  r: ExportCommon & { dataset: DatasetRow; afterId?: string; limit?: number },
): Promise<ExportAnswer> {
  const after = await resolveAfter(r.db, r.workspace, r.afterId);
  const afterKey = after ? exportKey(after.createdAt, after.id) : null;
  const stats: ReadStats = { queries: 0, rowsRead: 0 };
  const started = Date.now();
  const extent = await datasetExtent(r.d1, r.dataset.id, afterKey, r.limit, stats);
  const pager = datasetHeads(r.d1, r.dataset.id, extent.lastKey ?? "", stats);
  return streamedExport(
    r,
    extent,
    pager,
    { afterKey, limit: extent.count, label: r.dataset.filters.split },
    stats,
    started,
    exportFilename(r.format, new Date(), r.dataset.name),
    { dataset: r.dataset.id },
  );
}
