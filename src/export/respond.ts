import type { Db } from "../db/client";
import { ApiError } from "../lib/errors";
import { exportFilename, FORMAT_SPECS, type ExportFormat } from "./encoders";
import { countExport, positionOf, readExport, type ExportFilters, type ReadStats } from "./reader";
import { exportStream } from "./stream";

export interface ExportRequest {
  db: Db;
  d1: D1Database;
  workspace: string;
  format: ExportFormat;
  filters: Omit<ExportFilters, "after">;
  /** A session id to resume after; unknown in this workspace → 400. */
  afterId?: string;
  requestId?: string;
}

/**
 * Everything of an export up to the first byte — resolve `after`, count, headers — then the streamed body.
 * Shared by the API route and the web view's Export button so both give the same file.
 */
export async function exportResponse(r: ExportRequest): Promise<{ body: ReadableStream<Uint8Array>; headers: Record<string, string> }> {
  let after: ExportFilters["after"];
  if (r.afterId !== undefined) {
    after = await positionOf(r.db, r.workspace, r.afterId);
    if (!after) {
      throw new ApiError("invalid_request", "`after` is not a session id of this workspace.", {
        details: [{ path: "after", message: "unknown session id" }],
      });
    }
  }
  const filters: ExportFilters = { ...r.filters, after };
  const stats: ReadStats = { queries: 0, rowsRead: 0 };
  const started = Date.now();
  const total = await countExport(r.db, r.d1, r.workspace, filters, stats);
  const spec = FORMAT_SPECS[r.format];
  // Read at most the sessions counted: the body never holds more than X-Export-Sessions says, even when sessions
  // are marked ready while it streams; an empty export reads nothing more; and the last keyset page ends on its
  // LIMIT instead of reading one index entry past it.
  const rows = readExport(r.db, r.d1, r.workspace, { ...filters, limit: total }, stats);
  const body = exportStream(rows, spec.createEncoder(), {
    onDone: (outcome, error) =>
      // One line per export, for operators and the benchmark; no content, no key.
      console.log(
        JSON.stringify({
          event: "export",
          requestId: r.requestId,
          workspace: r.workspace,
          format: r.format,
          sessions: total,
          outcome,
          queries: stats.queries,
          rowsRead: stats.rowsRead,
          ms: Date.now() - started,
          ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
        }),
      ),
  });
  const headers: Record<string, string> = {
    "Content-Type": spec.contentType,
    "Content-Disposition": `attachment; filename="${exportFilename(r.format, new Date())}"`,
    "X-Export-Sessions": String(total),
    "Cache-Control": "no-store",
    Vary: "Accept-Encoding",
  };
  // No Content-Encoding here: Cloudflare (and wrangler dev) gzip application/json and text/plain for clients that
  // accept it. A Worker only sees a normalised Accept-Encoding, so forcing gzip on application/x-ndjson would hand
  // compressed bytes to clients that never asked (plain curl -o file.jsonl); JSONL goes uncompressed.
  return { body, headers };
}
