import { describe, expect, it } from "vitest";
import { utf8Length } from "../../src/lib/limits";
import { fitText } from "../../src/sync/fit";

describe("fitText", () => {
  it("leaves text within the limit alone", () => {
    expect(fitText("hello", 5)).toBe("hello");
  });

  it("cuts to the byte limit with a marker naming the bytes removed, never inside a character", () => {
    const s = "é".repeat(100); // 200 bytes
    const out = fitText(s, 60);
    expect(utf8Length(out)).toBeLessThanOrEqual(60);
    const m = /…\[truncated (\d+) bytes\]$/.exec(out)!;
    expect(m).not.toBeNull();
    const kept = out.slice(0, m.index);
    expect(kept).toBe("é".repeat(kept.length));
    expect(utf8Length(kept) + Number(m[1])).toBe(200);
  });

  it("keeps surrogate pairs whole", () => {
    const out = fitText("😀".repeat(50), 40);
    expect(out.slice(0, out.indexOf("…"))).toMatch(/^(😀)*$/u);
  });
});
