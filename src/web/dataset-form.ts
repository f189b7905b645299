import type { FreezeInput } from "../datasets/freeze";
import { EVAL_STATUSES, type DatasetFilters, type EvalStatus } from "../db/schema";
import { EXPORT_FORMATS, type ExportFormat } from "../export/encoders";
import { SPLIT_DEFAULTS } from "../export/split";
import { LIMITS } from "../lib/limits";
import { REDACT_KINDS, type RedactKind } from "../redact";
import type { SessionFilters } from "../sessions/queries";
import { STATUS_LABEL } from "./format";

/**
 * The pure parts of the Datasets page and "Save as dataset": what to freeze for a selection, the save form's
 * checks in plain words (the same bounds as POST /api/datasets), the export menu's fields, and filters in words.
 */

/** The bounds of POST /api/datasets' body (src/routes/datasets.ts), so the web form refuses what the API would. */
export const DATASET_LIMITS = { name: 128, description: 2000, seed: 128, tags: 20, tagLength: 64, ids: LIMITS.exportIdsMax } as const;

/** What a dataset is frozen from: the API body's selection fields (export filters, as arrays). */
export type DatasetSelection = Pick<DatasetFilters, "status" | "tag" | "id">;

/**
 * How "Save as dataset" freezes a filtered Evals view: by the view's status and tag filters when those are all it
 * uses (one set-based freeze, any size), or by the view's resolved ids when it filters by something the dataset
 * API does not take (search, source, model, reviewed).
 */
export function freezePlan(f: SessionFilters & { order?: unknown }): { by: "filters"; selection: DatasetSelection } | { by: "ids" } {
  // Only the filters listed here may be frozen as filters; any other one (or one added later) resolves to ids, so
  // the dataset never holds more than the view shows. The list's order is view state and changes nothing frozen.
  const setBased = Object.entries(f).every(
    ([k, v]) => v === undefined || k === "order" || (k === "evalReady" && v === true) || k === "statuses" || k === "tags",
  );
  if (!setBased) return { by: "ids" };
  const selection: DatasetSelection = {};
  if (f.statuses && f.statuses.length > 0) selection.status = f.statuses;
  if (f.tags && f.tags.length > 0) selection.tag = f.tags;
  return { by: "filters", selection };
}

/** Where a selection came from: the view's filters, the ticked rows, or the filtered view's resolved ids. */
export const SELECTION_SOURCES = ["filters", "ticked", "ids"] as const;
export type SelectionSource = (typeof SELECTION_SOURCES)[number];

/**
 * Reads the selection the save form carries as hidden `by`, `status`, `tag` and `id` fields; null when it is not
 * one this page could have written (a tampered form), which the handler refuses without creating anything. An id
 * selection without ids is refused rather than read as "no filter", which would freeze every eval-ready session.
 */
export function parseSelection(fields: { by: string | undefined; status: string[]; tag: string[]; id: string[] }): DatasetSelection | null {
  const by = SELECTION_SOURCES.find((s) => s === fields.by);
  if (!by) return null;
  if (by === "filters" ? fields.id.length > 0 : fields.id.length === 0 || fields.status.length > 0 || fields.tag.length > 0) return null;
  const out: DatasetSelection = {};
  if (fields.status.length > 0) {
    if (!fields.status.every((s) => (EVAL_STATUSES as readonly string[]).includes(s)) || fields.status.length > EVAL_STATUSES.length) return null;
    out.status = [...new Set(fields.status)] as EvalStatus[];
  }
  if (fields.tag.length > 0) {
    const tags = [...new Set(fields.tag.map((t) => t.trim()))];
    if (tags.length > DATASET_LIMITS.tags || tags.some((t) => t === "" || t.length > DATASET_LIMITS.tagLength)) return null;
    out.tag = tags;
  }
  if (fields.id.length > 0) {
    if (fields.id.length > DATASET_LIMITS.ids || fields.id.some((id) => id === "" || id.length > 128)) return null;
    out.id = [...new Set(fields.id)];
  }
  return out;
}

/** The save form's fields, exactly as typed. */
export interface DatasetFormValues {
  name: string;
  description: string;
  /** "" (no split), "train" or "test". */
  split: string;
  testFraction: string;
  seed: string;
}

export type DatasetField = keyof DatasetFormValues;
export type DatasetFieldErrors = Partial<Record<DatasetField, string>>;

export const EMPTY_DATASET_FORM: DatasetFormValues = { name: "", description: "", split: "", testFraction: "", seed: "" };

const chars = (n: number) => `${n.toLocaleString("en-US")} character${n === 1 ? "" : "s"}`;
/** Browsers send every line break of a textarea as CRLF. */
const lines = (s: string) => s.replace(/\r\n?/g, "\n");

/**
 * Checks the save form and builds what `freezeDataset` takes, with the selection; errors in plain words, keyed by
 * the field they belong next to. Empty split fields mean the API's defaults.
 */
export function parseDatasetForm(
  values: DatasetFormValues,
  selection: DatasetSelection,
): { ok: true; input: FreezeInput } | { ok: false; errors: DatasetFieldErrors } {
  const errors: DatasetFieldErrors = {};
  const name = values.name.trim();
  const description = lines(values.description);
  if (name === "") errors.name = "Give the dataset a name, so you can find it again (for example “login bugs, March”).";
  else if (name.length > DATASET_LIMITS.name) errors.name = `A name can have at most ${chars(DATASET_LIMITS.name)}; this one has ${chars(name.length)}.`;
  if (description.length > DATASET_LIMITS.description) {
    errors.description = `A description can have at most ${chars(DATASET_LIMITS.description)}; this one has ${chars(description.length)}.`;
  }

  const split = values.split;
  const fractionText = values.testFraction.trim();
  const seed = values.seed.trim();
  let testFraction: number | undefined;
  if (split !== "" && split !== "train" && split !== "test") errors.split = "Pick no split, the train side or the test side.";
  if (fractionText !== "") {
    const n = /^(0|[1-9]\d*)?(\.\d+)?$/.test(fractionText) ? Number(fractionText) : Number.NaN;
    if (!(n > 0 && n < 1)) errors.testFraction = `The test share is a number between 0 and 1 (not included), such as ${SPLIT_DEFAULTS.testFraction}.`;
    else if (split === "") errors.testFraction = "A test share only applies with a split: pick the train or test side, or clear this field.";
    else testFraction = n;
  }
  if (seed !== "") {
    if (seed.length > DATASET_LIMITS.seed) errors.seed = `A seed can have at most ${chars(DATASET_LIMITS.seed)}; this one has ${chars(seed.length)}.`;
    else if (split === "") errors.seed = "A seed only applies with a split: pick the train or test side, or clear this field.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const filters: DatasetFilters = { ...selection };
  if (split === "train" || split === "test") {
    filters.split = split;
    if (testFraction !== undefined) filters.testFraction = testFraction;
    if (seed !== "") filters.seed = seed;
  }
  return { ok: true, input: { name, description: description === "" ? null : description, filters } };
}

export const FORMAT_LABEL: Record<ExportFormat, string> = {
  deepeval: "DeepEval (JSON)",
  "deepeval-jsonl": "DeepEval (JSONL)",
  "deepeval-conversational": "DeepEval conversational (JSON)",
  openai: "OpenAI chat (JSONL)",
  promptfoo: "promptfoo (JSONL)",
  text: "Text",
};

export const isExportFormat = (v: string | undefined): v is ExportFormat => v !== undefined && (EXPORT_FORMATS as readonly string[]).includes(v);

/**
 * The export menu's masking: it always sends a hidden `redact=none` before its checkboxes, so no box ticked means
 * nothing masked, while a bare link (no `redact` at all) keeps the API's default, secrets. Null for an unknown kind.
 */
export function redactFromForm(values: string[]): RedactKind[] | null {
  if (values.length === 0) return ["secrets"];
  const kinds = values.filter((v) => v !== "none");
  if (!kinds.every((k) => (REDACT_KINDS as readonly string[]).includes(k))) return null;
  return REDACT_KINDS.filter((k) => kinds.includes(k));
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A dataset's frozen filters as a line a person reads: "Golden or Correct · tags auth, sql · test side of a 20% split". */
export function filtersInWords(f: DatasetFilters): string {
  const parts: string[] = [];
  // The ids as given: ticked rows that were not eval-ready are in the list but were never frozen.
  if (f.id) parts.push(`picked by id (${f.id.length.toLocaleString("en-US")} id${f.id.length === 1 ? "" : "s"})`);
  if (f.status && f.status.length > 0) parts.push(f.status.map((s) => STATUS_LABEL[s] ?? s).join(" or "));
  if (f.tag && f.tag.length > 0) parts.push(`${f.tag.length === 1 ? "tag" : "tags"} ${f.tag.join(", ")}`);
  if (parts.length === 0) parts.push("every eval-ready session");
  return parts.join(" · ");
}

/** The split a dataset was frozen with, in words; null without one. */
export function splitInWords(f: DatasetFilters): string | null {
  if (!f.split) return null;
  const fraction = f.testFraction ?? SPLIT_DEFAULTS.testFraction;
  const seed = f.seed ?? SPLIT_DEFAULTS.seed;
  return `${f.split === "test" ? "Test" : "Train"} side (test share ${percent(fraction)}, seed “${seed}”)`;
}
