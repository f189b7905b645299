import { z } from "@hono/zod-openapi";
import { EVAL_STATUSES, type EvalStatus, type SessionRow } from "../db/schema";
import { nextTags, type BulkLabelInput } from "../evals/bulk-label";
import type { ExportFormat } from "../export/encoders";
import { REDACT_DEFAULT, REDACT_KINDS, type RedactKind } from "../export/redaction";
import { LIMITS } from "../lib/limits";
import { parseRedactParam } from "../redact";
import { STATUS_LABEL } from "./format";

/**
 * The pure parts of the web view's bulk actions and export dialog: what a bulk form asks for, how it reads to a
 * person, which sessions it really changes, what an undo must restore, and what an export selection holds.
 */

/** One bulk change, as the bulk bar's buttons ask for it (one kind per action, so its undo is exact). */
export type BulkChange = { kind: "ready"; ready: boolean } | { kind: "status"; status: EvalStatus } | { kind: "tags"; add: string[]; remove: string[] };

export const BULK_OPS = ["ready", "unready", "status", "addTag", "removeTag"] as const;

/** The fields of the bulk bar: the button pressed (`op`), the status select and the tag input. */
export function parseBulkChange(f: { op?: string; status?: string; tag?: string }): { ok: true; change: BulkChange } | { ok: false; message: string } {
  switch (f.op) {
    case "ready":
    case "unready":
      return { ok: true, change: { kind: "ready", ready: f.op === "ready" } };
    case "status": {
      const st = (EVAL_STATUSES as readonly string[]).includes(f.status ?? "") ? (f.status as EvalStatus) : null;
      return st ? { ok: true, change: { kind: "status", status: st } } : { ok: false, message: "Pick the status to set (Golden, Correct, Incorrect or Needs review)." };
    }
    case "addTag":
    case "removeTag": {
      const tag = (f.tag ?? "").trim();
      if (!tag) return { ok: false, message: `Type the tag to ${f.op === "addTag" ? "add" : "remove"} in the Tag field, then press the button again.` };
      if (tag.length > LIMITS.tagLength) return { ok: false, message: `A tag has at most ${LIMITS.tagLength} characters.` };
      return { ok: true, change: f.op === "addTag" ? { kind: "tags", add: [tag], remove: [] } : { kind: "tags", add: [], remove: [tag] } };
    }
    default:
      return { ok: false, message: "Pick one of the bulk actions: mark, unmark, set status, add or remove a tag." };
  }
}

/** The form fields that ask for `change` again (the confirmation page carries them to its Confirm button). */
export function changeFields(change: BulkChange): [string, string][] {
  if (change.kind === "ready") return [["op", change.ready ? "ready" : "unready"]];
  if (change.kind === "status") return [["op", "status"], ["bulk_status", change.status]];
  return change.add.length > 0 ? [["op", "addTag"], ["bulk_tag", change.add[0]!]] : [["op", "removeTag"], ["bulk_tag", change.remove[0]!]];
}

/** "Set status to Golden", "Add the tag “auth”": the change in words, for the confirmation, the notice and the undo. */
export function describeChange(change: BulkChange): string {
  if (change.kind === "ready") return change.ready ? "Mark as eval-ready" : "Unmark (take out of the evals)";
  if (change.kind === "status") return `Set status to ${STATUS_LABEL[change.status]}`;
  return change.add.length > 0 ? `Add the tag “${change.add[0]}”` : `Remove the tag “${change.remove[0]}”`;
}

/** The list's done notice code for a change (`marked`/`unmarked` as before; any label change is `labelled`). */
export const doneCode = (change: BulkChange) => (change.kind === "ready" ? (change.ready ? "marked" : "unmarked") : "labelled");

/** The body of `POST /api/evals/label` for this change on `ids`, so the web view runs the very same update. */
export function labelInput(change: BulkChange, ids: string[]): BulkLabelInput {
  if (change.kind === "ready") return { sessionIds: ids, evalReady: change.ready };
  if (change.kind === "status") return { sessionIds: ids, evalStatus: change.status };
  return { sessionIds: ids, addTags: change.add, removeTags: change.remove };
}

/** What a bulk action reads of each session before it applies: the fields it may change, and the version. */
export type Prior = Pick<SessionRow, "id" | "version" | "evalStatus" | "evalTags" | "evalReady" | "reviewedAt" | "reviewedBy">;

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Whether `change` really changes this session (the same test as the UPDATE of `bulkLabel`). */
export function changes(p: Prior, change: BulkChange): boolean {
  if (change.kind === "ready") return p.evalReady !== change.ready;
  if (change.kind === "status") return p.evalStatus !== change.status;
  return !sameTags(p.evalTags, nextTags(p.evalTags, change.add, change.remove));
}

/** How many of the found sessions the change would alter, for the confirmation ("30 will change, 12 already…"). */
export function preview(priors: Prior[], change: BulkChange): { found: number; willChange: number } {
  return { found: priors.length, willChange: priors.filter((p) => changes(p, change)).length };
}

/** The first session the change would give more tags than allowed (checked over every chunk before any applies). */
export function overTagLimit(priors: Prior[], change: BulkChange): string | null {
  if (change.kind !== "tags") return null;
  return priors.find((p) => nextTags(p.evalTags, change.add, change.remove).length > LIMITS.tagsPerSession)?.id ?? null;
}

/**
 * One session an undo may restore: its version right after the action (`v`) and its prior values of exactly the
 * fields the action changed (`ready`; or `status`; or `tags`; with `ra`/`rb`, the prior reviewedAt/reviewedBy,
 * for label changes, which also set those).
 */
export const undoEntrySchema = z.object({
  id: z.string(),
  v: z.number().int(),
  ready: z.union([z.literal(0), z.literal(1)]).optional(),
  status: z.enum(EVAL_STATUSES).optional(),
  tags: z.array(z.string()).optional(),
  ra: z.number().nullable().optional(),
  rb: z.string().nullable().optional(),
});
export type UndoEntry = z.infer<typeof undoEntrySchema>;

/**
 * The undo entries of an applied action, from what was read before and the versions read right after. A session
 * the action changed moved exactly one version; one it left alone did not move. Anything else means another
 * writer touched it between the two reads: its prior values may be stale, so it is not restorable (`raced`) and
 * an undo reports it among those "changed since and kept".
 */
export function undoEntries(priors: Prior[], after: Map<string, number>, change: BulkChange): { entries: UndoEntry[]; raced: number } {
  const entries: UndoEntry[] = [];
  let raced = 0;
  for (const p of priors) {
    const v = after.get(p.id);
    const changed = changes(p, change);
    if (v === (changed ? p.version + 1 : p.version)) {
      if (!changed) continue;
      if (change.kind === "ready") entries.push({ id: p.id, v, ready: p.evalReady ? 1 : 0 });
      else if (change.kind === "status") entries.push({ id: p.id, v, status: p.evalStatus, ra: p.reviewedAt, rb: p.reviewedBy });
      else entries.push({ id: p.id, v, tags: p.evalTags, ra: p.reviewedAt, rb: p.reviewedBy });
    } else raced++;
  }
  return { entries, raced };
}

/** Eval-ready sessions of a selection by status. */
export type StatusCounts = Record<EvalStatus, number>;

export const emptyCounts = (): StatusCounts => ({ golden: 0, correct: 0, incorrect: 0, needs_review: 0 });

export const totalOf = (c: StatusCounts) => EVAL_STATUSES.reduce((n, s) => n + c[s], 0);

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "42 sessions: 30 golden, 12 correct" (statuses in their usual order, zeros left out). */
export function countsSentence(c: StatusCounts): string {
  const parts = EVAL_STATUSES.filter((s) => c[s] > 0).map((s) => `${c[s].toLocaleString("en-US")} ${STATUS_LABEL[s]!.toLowerCase()}`);
  return `${plural(totalOf(c), "session")}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/** Formats whose files train a model: a wrong answer in them is taught, not just measured. */
export const FINE_TUNING_FORMATS: readonly ExportFormat[] = ["openai"];

/** The export dialog's warning when a fine-tuning file would hold incorrect or unreviewed answers; else null. */
export function fineTuningWarning(format: ExportFormat, c: StatusCounts): string | null {
  if (!FINE_TUNING_FORMATS.includes(format)) return null;
  const bad = c.incorrect + c.needs_review;
  if (bad === 0) return null;
  const parts = [c.incorrect ? `${c.incorrect.toLocaleString("en-US")} incorrect` : "", c.needs_review ? `${c.needs_review.toLocaleString("en-US")} needs review` : ""].filter(Boolean);
  return `This is a fine-tuning format, and ${bad === 1 ? "1 of these sessions is" : `${bad.toLocaleString("en-US")} of these sessions are`} not known to be right (${parts.join(", ")}): a model trained on the file learns their answers too. Filter the view to Golden and Correct, or untick them, unless that is what you want.`;
}

/**
 * The masking asked for by an export post. The dialog sends `masks=1` with a `mask` checkbox per kind (nothing
 * ticked is `none`); a post without it may give `redact` as the API does; neither is the default (secrets).
 * Null when `redact` is not valid.
 */
export function redactChoice(f: { masks?: string; mask: string[]; redact?: string }): RedactKind[] | null {
  if (f.masks === "1") return REDACT_KINDS.filter((k) => f.mask.includes(k));
  if (f.redact !== undefined) return parseRedactParam(f.redact);
  return [...REDACT_DEFAULT];
}

export { plural };
