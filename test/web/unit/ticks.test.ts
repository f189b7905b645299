/** Ticks kept across a list's pages (client/ticks.ts): the store, the merge of a page's boxes, what a post carries, the line. */
import { describe, expect, it } from "vitest";
import { loadTicks, mergeTicks, offPageTicks, saveTicks, ticksStoreKey, ticksSummary, TICKS_KEEP_MAX, validTickId, type TickStorage } from "../../../src/web/client/ticks";
import { APP_JS } from "../../../src/web/client/script";

class MemoryStorage implements TickStorage {
  map = new Map<string, string>();
  full = false;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new Error("QuotaExceededError");
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const id = (n: number) => `ses_01JD8X4T2M7Q3N5P6R8S9T${String(n).padStart(4, "0")}`;

describe("validTickId", () => {
  it("takes the ids the lists render, nothing that could be markup or a selector", () => {
    expect(validTickId("ses_01JD8X4T2M7Q3N5P6R8S9TVWXY")).toBe(true);
    expect(validTickId("a-b_C9")).toBe(true);
    for (const bad of ["", "x".repeat(129), '"><img src=x onerror=alert(1)>', "a b", "a,b", "a]", "ses_1\n", 42, null, undefined, ["ses_1"], { id: "ses_1" }]) {
      expect(validTickId(bad)).toBe(false);
    }
    expect(validTickId("x".repeat(128))).toBe(true);
  });
});

describe("the tick store", () => {
  it("keeps the ids under the form's key, one list per key, and removes the key when none is left", () => {
    const s = new MemoryStorage();
    const key = ticksStoreKey("ws|evals?tag=auth");
    expect(key).toBe("evalport:ticks:ws|evals?tag=auth");
    expect(loadTicks(s, key)).toEqual([]);
    expect(saveTicks(s, key, [id(1), id(2)])).toBe(true);
    expect(loadTicks(s, key)).toEqual([id(1), id(2)]);
    expect(loadTicks(s, ticksStoreKey("ws|evals"))).toEqual([]);
    expect(saveTicks(s, key, [])).toBe(true);
    expect(s.map.has(key)).toBe(false);
  });

  it("reads back only well-shaped ids, each once; anything else in storage is ignored", () => {
    const s = new MemoryStorage();
    const key = ticksStoreKey("ws|sessions");
    s.setItem(key, JSON.stringify([id(1), '"><script>alert(1)</script>', id(1), 7, null, { x: 1 }, id(2)]));
    expect(loadTicks(s, key)).toEqual([id(1), id(2)]);
    for (const broken of ["{not json", '"ses_1"', '{"0":"ses_1"}', "null", "42"]) {
      s.setItem(key, broken);
      expect(loadTicks(s, key)).toEqual([]);
    }
  });

  it("caps what it keeps, and a full storage is not an error", () => {
    const s = new MemoryStorage();
    const key = ticksStoreKey("ws|sessions");
    const many = Array.from({ length: TICKS_KEEP_MAX + 5 }, (_, i) => id(i));
    expect(saveTicks(s, key, many)).toBe(true);
    expect(loadTicks(s, key)).toHaveLength(TICKS_KEEP_MAX);
    s.full = true;
    expect(saveTicks(s, key, [id(1)])).toBe(false);
  });
});

describe("mergeTicks", () => {
  it("keeps the other pages' ticks, and this page's as its boxes say", () => {
    const stored = [id(1), id(2), id(10), id(11)]; // 1, 2 on page 1; 10, 11 on page 2
    // On page 2: 10 unticked, 12 ticked, 11 still ticked.
    expect(mergeTicks(stored, [id(10), id(11), id(12)], [id(11), id(12)])).toEqual([id(1), id(2), id(11), id(12)]);
    // Nothing ticked yet anywhere.
    expect(mergeTicks([], [id(1), id(2)], [id(2)])).toEqual([id(2)]);
    // All of this page unticked.
    expect(mergeTicks(stored, [id(1), id(2)], [])).toEqual([id(10), id(11)]);
    // Duplicates and odd values never get in.
    expect(mergeTicks([id(1), id(1)], [id(3)], [id(3), id(3), "bad id"])).toEqual([id(1), id(3)]);
  });
});

describe("offPageTicks", () => {
  it("is what a post from this page adds: the ticks of other pages only", () => {
    expect(offPageTicks([id(1), id(2), id(10)], [id(10), id(11)])).toEqual([id(1), id(2)]);
    expect(offPageTicks([id(10)], [id(10), id(11)])).toEqual([]);
    expect(offPageTicks([], [])).toEqual([]);
  });
});

describe("ticksSummary", () => {
  const line = (onPage: number, total: number, o: { all?: boolean; exportMax?: number } = {}) =>
    ticksSummary({ onPage, total, all: o.all ?? false, bulkMax: 10_000, exportMax: o.exportMax ?? 0 });
  it("counts every page, naming the ones not shown", () => {
    expect(line(0, 0)).toBe("Nothing selected");
    expect(line(3, 3)).toBe("3 selected");
    expect(line(2, 5)).toBe("5 selected (3 on other pages)");
    expect(line(0, 1)).toBe("1 selected (1 on other pages)");
    expect(line(2, 5, { all: true })).toBe("Every session in this filtered view is selected.");
  });
  it("says when a selection is more than the actions take", () => {
    expect(line(25, 10_001)).toBe("10,001 selected (9,976 on other pages). One action takes at most 10,000 ticked sessions: untick some, or narrow the filters and tick “Every session in this filtered view”.");
    expect(line(25, 501, { exportMax: 500 })).toBe("501 selected (476 on other pages). Export and Save as dataset take at most 500 ticked sessions.");
    expect(line(25, 501)).toBe("501 selected (476 on other pages)");
    expect(line(25, 500, { exportMax: 500 })).toBe("500 selected (475 on other pages)");
  });
});

describe("the shipped script", () => {
  it("carries the tested functions by their source", () => {
    for (const f of [ticksStoreKey, validTickId, loadTicks, saveTicks, mergeTicks, offPageTicks, ticksSummary]) expect(APP_JS).toContain(f.toString());
    // Stored ids reach the DOM as properties of created inputs only.
    expect(APP_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
