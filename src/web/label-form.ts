import { EVAL_STATUSES, type EvalStatus } from "../db/schema";
import type { LabelPatch } from "../evals/labels";
import { LIMITS, utf8Length } from "../lib/limits";
import { evalFieldsSchema } from "../sessions/schemas";

/** What the label form sends, as text, exactly as typed (one `evalTags` field per tag). */
export interface LabelFormValues {
  evalStatus: string;
  evalReady: boolean;
  evalTags: string[];
  evalNotes: string;
  expectedOutput: string;
}

/** The stored labels the form was showing. */
export interface StoredLabels {
  evalStatus: EvalStatus;
  evalReady: boolean;
  evalTags: string[];
  evalNotes: string | null;
  expectedOutput: string | null;
}

export type LabelField = keyof LabelFormValues;
export type FieldErrors = Partial<Record<LabelField, string>>;

export type LabelFormResult = { ok: true; patch: LabelPatch } | { ok: false; values: LabelFormValues; errors: FieldErrors };

/** Browsers send every line break of a textarea as CRLF. */
const lines = (s: string) => s.replace(/\r\n?/g, "\n");

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/**
 * Checks what a reviewer submitted and builds the patch. A field whose submitted value equals what is stored
 * (once the browser's line-break rewriting is undone) is left out of the patch, so an unchanged Save stores
 * exactly what was there: tags with commas, leading newlines, whitespace-only notes. Errors are in plain words,
 * keyed by the field they belong next to.
 */
export function parseLabelForm(values: LabelFormValues, stored: StoredLabels): LabelFormResult {
  const errors: FieldErrors = {};
  const tags = values.evalTags.map((t) => t.trim()).filter((t) => t !== "");
  const uniqueTags = [...new Set(tags)];
  const notes = lines(values.evalNotes);
  const expected = lines(values.expectedOutput);

  if (!(EVAL_STATUSES as readonly string[]).includes(values.evalStatus)) {
    errors.evalStatus = "Pick one of the four statuses: golden, correct, incorrect or needs review.";
  }
  const long = uniqueTags.find((t) => t.length > LIMITS.tagLength);
  if (long !== undefined) {
    errors.evalTags = `The tag “${long.length > 40 ? `${long.slice(0, 40)}…` : long}” is ${plural(long.length, "character")} long; a tag can have at most ${LIMITS.tagLength}.`;
  } else if (uniqueTags.length > LIMITS.tagsPerSession) {
    errors.evalTags = `A session can have at most ${LIMITS.tagsPerSession} tags; this has ${uniqueTags.length}. Remove ${uniqueTags.length - LIMITS.tagsPerSession}.`;
  }
  if (notes.length > 100_000) errors.evalNotes = `Notes can be at most 100,000 characters; these are ${plural(notes.length, "character")}.`;
  if (utf8Length(expected) > LIMITS.messageContentBytes) {
    errors.expectedOutput = `The expected output can be at most 1 MiB; this is ${(utf8Length(expected) / 1_048_576).toFixed(1)} MiB.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, values, errors };

  const candidate: LabelPatch = {
    evalStatus: values.evalStatus as EvalStatus,
    evalReady: values.evalReady,
    evalTags: uniqueTags,
    evalNotes: notes === "" ? null : notes,
    expectedOutput: expected === "" ? null : expected,
  };
  const sameText = (a: string | null | undefined, b: string | null) => (a ?? null) === (b === null ? null : lines(b));
  if (sameText(candidate.evalNotes, stored.evalNotes)) delete candidate.evalNotes;
  if (sameText(candidate.expectedOutput, stored.expectedOutput)) delete candidate.expectedOutput;
  if (candidate.evalTags!.length === stored.evalTags.length && candidate.evalTags!.every((t, i) => t === stored.evalTags[i])) delete candidate.evalTags;

  // The API's schema is the final word; anything it still refuses is reported against its field.
  const parsed = evalFieldsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "evalStatus") as LabelField;
      errors[field] ??= `${FIELD_LABEL[field] ?? "This field"}: ${issue.message}.`;
    }
    return { ok: false, values, errors };
  }
  return { ok: true, patch: parsed.data as LabelPatch };
}

export const FIELD_LABEL: Record<LabelField, string> = {
  evalStatus: "Status",
  evalReady: "Eval-ready",
  evalTags: "Tags",
  evalNotes: "Notes",
  expectedOutput: "Expected output",
};

/** The form's values for stored labels, as the page shows them. */
export function valuesOf(stored: StoredLabels): LabelFormValues {
  return {
    evalStatus: stored.evalStatus,
    evalReady: stored.evalReady,
    evalTags: stored.evalTags,
    evalNotes: stored.evalNotes ?? "",
    expectedOutput: stored.expectedOutput ?? "",
  };
}
