import type { Db } from "../db/client";
import { exportKey } from "../db/schema";
import { ApiError } from "../lib/errors";
import { exportFilename, FORMAT_SPECS, type ExportFormat } from "./encoders";
import type { ExportSession } from "./model";
import {
  idOfKey,
  liveExtent,
  liveHeads,
  positionOf,
  readExport,
  type ExportExtent,
  type ExportFilters,
  type HeadPager,
  type ReadOptions,
  type ReadStats,
} from "./reader";
import { redactSession, REDACT_DEFAULT, type RedactKind } from "./redaction";
import { exportStream } from "./stream";

/** What every export takes beyond its selection: who asks, the format, and how strings are shown. */
export interface ExportCommon {
  db: Db;
  d1: D1Database;
  workspace: string;
  format: ExportFormat;
  /** Kinds to mask (API.md "Redaction"); default secrets, `[]` is `redact=none`. */
  redact?: readonly RedactKind[];
  contextMessages?: number;
  requestId?: string;
}

export interface ExportRequest extends ExportCommon {
  filters: Omit<ExportFilters, "after">;
  /** A session id to resume after; unknown in this workspace → 400. */
  afterId?: string;
}

export type ExportAnswer = { body: ReadableStream<Uint8Array>; headers: Record<string, string> };

/** `after` as an export position; a session id unknown in this workspace is the contract's 400. */
export async function resolveAfter(db: Db, workspace: string, afterId: string | undefined): Promise<ExportFilters["after"]> {
  if (afterId === undefined) return undefined;
  const after = await positionOf(db, workspace, afterId);
  if (!after) {
    throw new ApiError("invalid_request", "`after` is not a session id of this workspace.", {
      details: [{ path: "after", message: "unknown session id" }],
    });
  }
  return after;
}

/** The redact layer over a source of groups: each session masked on its way to the encoder. */
async function* redacted(source: AsyncGenerator<ExportSession[]>, kinds: readonly RedactKind[]): AsyncGenerator<ExportSession[]> {
  if (kinds.length === 0) return yield* source;
  for await (const group of source) yield group.map((s) => redactSession(s, kinds));
}

/**
 * Everything of a live export up to the first byte — resolve `after`, decide the extent, headers — then the
 * streamed body. Shared by the API route and the web view's Export button so both give the same file.
 */
export async function exportResponse(r: ExportRequest): Promise<ExportAnswer> {
  const after = await resolveAfter(r.db, r.workspace, r.afterId);
  const filters: ExportFilters = { ...r.filters, after };
  const stats: ReadStats = { queries: 0, rowsRead: 0 };
  const started = Date.now();
  const extent = await liveExtent(r.db, r.d1, r.workspace, filters, stats);
  // Read at most the sessions counted and never past the last one: the body holds what the headers say, even when
  // sessions are marked ready while it streams; an empty export reads nothing more.
  const pager = liveHeads(r.db, r.d1, r.workspace, filters, extent.lastKey, stats);
  const read: ReadOptions = { afterKey: after ? exportKey(after.createdAt, after.id) : null, limit: extent.count, split: filters.split };
  return streamedExport(r, extent, pager, read, stats, started, exportFilename(r.format, new Date()));
}

/**
 * The response for an export whose extent is decided: headers (count, first and last session, so a client can
 * resume with `after=<X-Export-Last-Session>`), and the body streamed through redact and encode.
 */
export function streamedExport(
  r: ExportCommon,
  extent: ExportExtent,
  pager: HeadPager,
  read: ReadOptions,
  stats: ReadStats,
  started: number,
  filename: string,
  logExtra: Record<string, unknown> = {},
): ExportAnswer {
  const spec = FORMAT_SPECS[r.format];
  const rows = extent.count === 0 ? empty() : readExport(r.d1, r.workspace, pager, read, stats);
  const body = exportStream(redacted(rows, r.redact ?? REDACT_DEFAULT), spec.createEncoder({ contextMessages: r.contextMessages }), {
    onDone: (outcome, error) =>
      // One line per export, for operators and the benchmark; no content, no key.
      console.log(
        JSON.stringify({
          event: "export",
          requestId: r.requestId,
          workspace: r.workspace,
          format: r.format,
          ...logExtra,
          sessions: extent.count,
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
    "Content-Disposition": `attachment; filename="${filename}"`,
    "X-Export-Sessions": String(extent.count),
    ...(extent.firstKey !== null ? { "X-Export-First-Session": idOfKey(extent.firstKey) } : {}),
    ...(extent.lastKey !== null ? { "X-Export-Last-Session": idOfKey(extent.lastKey) } : {}),
    "Cache-Control": "no-store",
    Vary: "Accept-Encoding",
  };
  // No Content-Encoding here: Cloudflare (and wrangler dev) gzip application/json and text/plain for clients that
  // accept it. A Worker only sees a normalised Accept-Encoding, so forcing gzip on application/x-ndjson would hand
  // compressed bytes to clients that never asked (plain curl -o file.jsonl); JSONL goes uncompressed.
  return { body, headers };
}

/** The source of an export with nothing to hold: it reads nothing more. */
async function* empty(): AsyncGenerator<ExportSession[]> {}
