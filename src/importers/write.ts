import type { Db } from "../db/client";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { zodDetails } from "../middleware/errors";
import { upsertSessions } from "../sessions/ingest";
import { sessionInputSchema, type SessionInput } from "../sessions/schemas";
import type { ImportedSession } from "./types";

/** One imported session as the route answers it. */
export interface ImportedSummary {
  id: string;
  externalId: string;
  created: boolean;
  messageCount: number;
  parentExternalId: string | null;
}

/**
 * Writes parsed sessions through the one ingest path, in chunks the ingest accepts, remembering per session
 * whether any chunk created it and its latest message count, for the answer.
 */
export class ImportWriter {
  readonly results = new Map<string, ImportedSummary>();

  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
  ) {}

  async write(inputs: ImportedSession[]): Promise<void> {
    const valid: SessionInput[] = inputs.map((s) => {
      const r = sessionInputSchema.safeParse(s);
      if (r.success) return r.data;
      // The parsers fit every value to the schema; reaching this is a parser bug, reported, never a 500.
      const details = zodDetails(r.error).map((d) => ({ path: `session ${s.externalId}: ${d.path}`, message: d.message }));
      throw new ApiError("invalid_request", `The transcript produced a session evalport cannot store: ${details[0]?.message ?? "invalid"}.`, { details });
    });
    for (let i = 0; i < valid.length; i += LIMITS.sessionsPerBatch) {
      const part = valid.slice(i, i + LIMITS.sessionsPerBatch);
      const stored = await upsertSessions(this.db, this.workspaceId, part);
      stored.forEach((r, j) => {
        const before = this.results.get(r.externalId);
        this.results.set(r.externalId, {
          id: r.id,
          externalId: r.externalId,
          created: (before?.created ?? false) || r.created,
          messageCount: r.messageCount,
          parentExternalId: part[j]!.parentExternalId ?? null,
        });
      });
    }
  }
}
