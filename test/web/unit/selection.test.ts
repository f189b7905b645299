import { describe, expect, it } from "vitest";
import { filtersFor, parseView } from "../../../src/web/filters";
import { exportFiltersOf } from "../../../src/web/selection";

const evalsFilters = (record: Record<string, string | string[]>) => {
  const v = parseView("evals", record);
  if (!v.success) throw new Error("bad view");
  return filtersFor("evals", v.data);
};

describe("exportFiltersOf: the filtered view as the export reader's own filters", () => {
  it("a status/tag view exports by its filters, whatever the list's sort (no id list, no size cap)", () => {
    expect(exportFiltersOf(evalsFilters({ status: "golden", tag: "auth", sort: "title", dir: "asc" }))).toEqual({ statuses: ["golden"], tags: ["auth"] });
    expect(exportFiltersOf(evalsFilters({}))).toEqual({ statuses: undefined, tags: undefined });
  });

  it("a view filtered by more than status and tags must name its ids", () => {
    expect(exportFiltersOf(evalsFilters({ q: "login" }))).toBeNull();
    expect(exportFiltersOf(evalsFilters({ source: "codex" }))).toBeNull();
    expect(exportFiltersOf(evalsFilters({ reviewed: "false" }))).toBeNull();
  });
});
