import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, filtersFor, pageHref, parseView, sortHref, viewHref, viewLabel, viewStateOf, type AnyView, type ViewName } from "../../../src/web/filters";

const view = (name: ViewName, record: Record<string, string | string[]>): AnyView => {
  const v = parseView(name, record);
  if (!v.success) throw new Error(`bad view: ${JSON.stringify(record)}`);
  return v.data;
};
const params = (href: string) => {
  const out: [string, string][] = [];
  new URL(href, "http://x").searchParams.forEach((value, key) => out.push([key, value]));
  return out;
};

describe("viewStateOf: sort, page and size of a list, defaults filled in", () => {
  it("a bare list is newest first, page 1, the default size", () => {
    expect(viewStateOf(view("sessions", {}))).toEqual({ order: { key: "created", dir: "desc" }, page: 1, size: DEFAULT_PAGE_SIZE });
  });

  it("each key gets its own default direction: names A→Z, numbers largest first", () => {
    expect(viewStateOf(view("evals", { sort: "title" })).order).toEqual({ key: "title", dir: "asc" });
    for (const key of ["messages", "tokens", "cost", "created"]) {
      expect(viewStateOf(view("evals", { sort: key })).order).toEqual({ key, dir: "desc" });
    }
    expect(viewStateOf(view("evals", { sort: "cost", dir: "asc", page: "3", size: "100" }))).toEqual({ order: { key: "cost", dir: "asc" }, page: 3, size: 100 });
  });

  it("a stale or hand-edited link falls back to the defaults instead of refusing the page", () => {
    const v = view("sessions", { sort: "rowid; drop table", dir: "sideways", page: "-2", size: "7" });
    expect(viewStateOf(v)).toEqual({ order: { key: "created", dir: "desc" }, page: 1, size: DEFAULT_PAGE_SIZE });
    expect(viewStateOf(view("sessions", { page: "2.5" })).page).toBe(1);
  });

  it("the order rides along in the filters (the review walk), the page and size do not", () => {
    const f = filtersFor("sessions", view("sessions", { sort: "tokens", page: "4", size: "50", status: "golden" }));
    expect(f).toMatchObject({ statuses: ["golden"], order: { key: "tokens", dir: "desc" } });
    expect(f).not.toHaveProperty("page");
    expect(f).not.toHaveProperty("size");
  });
});

describe("sortHref: a column header's link", () => {
  it("another column starts at its default direction, on page 1, filters and size kept", () => {
    const v = view("evals", { q: "login", tag: ["auth", "sql"], size: "100", page: "5" });
    expect(params(sortHref("evals", v, "title"))).toEqual([["q", "login"], ["tag", "auth"], ["tag", "sql"], ["sort", "title"], ["size", "100"]]);
    expect(params(sortHref("evals", v, "cost"))).toEqual([["q", "login"], ["tag", "auth"], ["tag", "sql"], ["sort", "cost"], ["size", "100"]]);
  });

  it("the active column flips its direction, and back", () => {
    const asc = view("sessions", { sort: "title" });
    const flipped = sortHref("sessions", asc, "title");
    expect(params(flipped)).toEqual([["sort", "title"], ["dir", "desc"]]);
    const again = view("sessions", Object.fromEntries(params(flipped)));
    expect(params(sortHref("sessions", again, "title"))).toEqual([["sort", "title"]]);
  });

  it("the default order has one short address: the Created header of a bare list flips to oldest first", () => {
    const bare = view("sessions", {});
    expect(sortHref("sessions", bare, "created")).toBe("/sessions?dir=asc");
    expect(sortHref("sessions", view("sessions", { dir: "asc" }), "created")).toBe("/sessions");
  });

  it("links escape what a user typed", () => {
    const v = view("sessions", { q: 'a&b="c"#d', source: "my tool" });
    const href = sortHref("sessions", v, "messages");
    expect(href.startsWith("/sessions?")).toBe(true);
    expect(new URL(href, "http://x").searchParams.get("q")).toBe('a&b="c"#d');
    expect(new URL(href, "http://x").searchParams.get("source")).toBe("my tool");
  });
});

describe("page and filter links keep the rest of the view", () => {
  it("pageHref keeps filters, sort and size; page 1 is the bare address", () => {
    const v = view("evals", { status: ["golden", "correct"], sort: "messages", size: "25", page: "2" });
    expect(params(pageHref("evals", v, 3))).toEqual([["status", "golden"], ["status", "correct"], ["sort", "messages"], ["size", "25"], ["page", "3"]]);
    expect(params(pageHref("evals", v, 1))).toEqual([["status", "golden"], ["status", "correct"], ["sort", "messages"], ["size", "25"]]);
  });

  it("viewHref (a chart bar, a tag chip) changes a filter and goes back to page 1", () => {
    const v = view("evals", { tag: "auth", sort: "cost", page: "9" });
    expect(params(viewHref("evals", v, { status: ["incorrect"] }))).toEqual([["status", "incorrect"], ["tag", "auth"], ["sort", "cost"]]);
  });

  it("viewLabel names a non-default order", () => {
    expect(viewLabel("evals", view("evals", { status: "needs_review", sort: "tokens", dir: "asc" }))).toBe("Evals · needs review · by tokens ↑");
    expect(viewLabel("sessions", view("sessions", {}))).toBe("Sessions");
  });
});
