/** The pure parts of "Save as dataset" and the Datasets page (src/web/dataset-form.ts), on plain inputs. */
import { describe, expect, it } from "vitest";
import {
  EMPTY_DATASET_FORM,
  filtersInWords,
  freezePlan,
  parseDatasetForm,
  parseSelection,
  redactFromForm,
  splitInWords,
} from "../../../src/web/dataset-form";

describe("freezePlan", () => {
  it("freezes by filters when the view uses only status and tags (sort order is not a filter)", () => {
    expect(freezePlan({ evalReady: true })).toEqual({ by: "filters", selection: {} });
    expect(freezePlan({ evalReady: true, statuses: ["golden"], tags: ["auth"], order: { key: "createdAt", dir: "desc" } })).toEqual({
      by: "filters",
      selection: { status: ["golden"], tag: ["auth"] },
    });
    expect(freezePlan({ evalReady: true, statuses: [], tags: undefined })).toEqual({ by: "filters", selection: {} });
  });

  it("resolves ids when the view filters by something the dataset API does not take", () => {
    for (const extra of [{ q: "login" }, { source: "codex" }, { model: "gpt-5" }, { reviewed: false }, { evalReady: false }]) {
      expect(freezePlan({ evalReady: true, statuses: ["golden"], ...extra })).toEqual({ by: "ids" });
    }
  });
});

describe("parseSelection", () => {
  it("reads what the save form carries", () => {
    expect(parseSelection({ by: "filters", status: ["golden", "golden", "correct"], tag: [" auth "], id: [] })).toEqual({ status: ["golden", "correct"], tag: ["auth"] });
    expect(parseSelection({ by: "filters", status: [], tag: [], id: [] })).toEqual({});
    expect(parseSelection({ by: "ticked", status: [], tag: [], id: ["a", "b", "a"] })).toEqual({ id: ["a", "b"] });
  });

  it("refuses a form this page could not have written", () => {
    expect(parseSelection({ by: undefined, status: [], tag: [], id: [] })).toBeNull();
    expect(parseSelection({ by: "everything", status: [], tag: [], id: [] })).toBeNull();
    // An id selection without ids would otherwise freeze every eval-ready session.
    expect(parseSelection({ by: "ids", status: [], tag: [], id: [] })).toBeNull();
    expect(parseSelection({ by: "ticked", status: ["golden"], tag: [], id: ["a"] })).toBeNull();
    expect(parseSelection({ by: "filters", status: [], tag: [], id: ["a"] })).toBeNull();
    expect(parseSelection({ by: "filters", status: ["great"], tag: [], id: [] })).toBeNull();
    expect(parseSelection({ by: "filters", status: [], tag: ["x".repeat(65)], id: [] })).toBeNull();
    expect(parseSelection({ by: "ids", status: [], tag: [], id: Array.from({ length: 501 }, (_, i) => `s${i}`) })).toBeNull();
  });
});

describe("parseDatasetForm", () => {
  const sel = { status: ["golden" as const] };

  it("builds the freeze input: trimmed name, CRLF undone, empty split fields mean the API's defaults", () => {
    expect(parseDatasetForm({ ...EMPTY_DATASET_FORM, name: "  Goldens ", description: "a\r\nb" }, sel)).toEqual({
      ok: true,
      input: { name: "Goldens", description: "a\nb", filters: { status: ["golden"] } },
    });
    expect(parseDatasetForm({ ...EMPTY_DATASET_FORM, name: "T", split: "test" }, sel)).toEqual({
      ok: true,
      input: { name: "T", description: null, filters: { status: ["golden"], split: "test" } },
    });
    expect(parseDatasetForm({ name: "T", description: "", split: "train", testFraction: " .3 ", seed: "s" }, {})).toEqual({
      ok: true,
      input: { name: "T", description: null, filters: { split: "train", testFraction: 0.3, seed: "s" } },
    });
  });

  it("says what is wrong, by field, in plain words", () => {
    const r = parseDatasetForm({ name: " ", description: "d".repeat(2001), split: "both", testFraction: "1", seed: "s".repeat(129) }, sel);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toMatch(/^Give the dataset a name/);
    expect(r.errors.description).toBe("A description can have at most 2,000 characters; this one has 2,001 characters.");
    expect(r.errors.split).toMatch(/no split, the train side or the test side/);
    expect(r.errors.testFraction).toMatch(/between 0 and 1/);
    expect(r.errors.seed).toMatch(/at most 128 characters/);
    for (const bad of ["0", "-0.1", "abc", "1e-1", "0.2.1", "20%"]) {
      const x = parseDatasetForm({ ...EMPTY_DATASET_FORM, name: "n", split: "test", testFraction: bad }, sel);
      expect(x.ok, bad).toBe(false);
    }
    const noSplit = parseDatasetForm({ ...EMPTY_DATASET_FORM, name: "n", testFraction: "0.2", seed: "x" }, sel);
    expect(noSplit.ok).toBe(false);
    if (!noSplit.ok) {
      expect(noSplit.errors.testFraction).toMatch(/only applies with a split/);
      expect(noSplit.errors.seed).toMatch(/only applies with a split/);
    }
    expect(parseDatasetForm({ ...EMPTY_DATASET_FORM, name: "x".repeat(129) }, sel)).toMatchObject({ ok: false, errors: { name: "A name can have at most 128 characters; this one has 129 characters." } });
  });
});

describe("redactFromForm", () => {
  it("no boxes ticked masks nothing; a bare link keeps the default; unknown kinds are refused", () => {
    expect(redactFromForm(["none"])).toEqual([]);
    expect(redactFromForm(["none", "emails", "secrets"])).toEqual(["secrets", "emails"]);
    expect(redactFromForm([])).toEqual(["secrets"]);
    expect(redactFromForm(["none", "everything"])).toBeNull();
  });
});

describe("filters and split in words", () => {
  it("reads like a sentence", () => {
    expect(filtersInWords({})).toBe("every eval-ready session");
    expect(filtersInWords({ status: ["golden", "needs_review"], tag: ["auth"] })).toBe("Golden or Needs review · tag auth");
    expect(filtersInWords({ id: ["a", "b"], tag: ["a", "b"] })).toBe("picked by id (2 ids) · tags a, b");
    expect(splitInWords({})).toBeNull();
    expect(splitInWords({ split: "train" })).toBe("Train side (test share 20%, seed “evalport”)");
    expect(splitInWords({ split: "test", testFraction: 0.125, seed: "x" })).toBe("Test side (test share 12.5%, seed “x”)");
  });
});
