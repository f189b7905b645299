import { describe, expect, it } from "vitest";
import { LIMITS, utf8Length } from "../../src/lib/limits";
import { isoUtcMs, toMs } from "../../src/importers/text";
import { fitMessage } from "../../src/importers/truncate";
import type { ImportedMessage } from "../../src/importers/types";

/** What toMs meant before its fast path: Date.parse, kept when finite and not before 1970. */
const viaDateParse = (s: string) => {
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= 0 ? t : null;
};

describe("toMs fast path for toISOString's form", () => {
  it("gives Date.parse's value for every canonical timestamp, and leaves every other shape to it", () => {
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const s = new Date(x * 1000 + (x % 1000)).toISOString();
      expect(isoUtcMs(s)).toBe(Date.parse(s));
      expect(toMs(s)).toBe(viaDateParse(s));
    }
    const odd = [
      "2026-02-30T00:00:00.000Z", "2026-04-31T23:59:59.999Z", "2024-02-29T12:00:00.000Z", "0999-01-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z", "2026-01-01T24:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-01-01T23:60:00.000Z",
      "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000+01:00", "+012026-01-01T00:00:00.000Z", "2026-1a-01T00:00:00.000Z",
      "2026-01-01 00:00:00.000Z", "not a date at all, 24 ch", "",
    ];
    for (const s of odd) expect(toMs(s), s).toBe(viaDateParse(s));
  });
});

describe("fitMessage counts UTF-8 only where it can matter", () => {
  const msg = (content: string, extra: Partial<ImportedMessage> = {}): ImportedMessage => ({ externalId: "m", role: "assistant", content, ...extra });
  const rowBytes = (m: ImportedMessage) => utf8Length(m.content) + (m.toolCalls ? utf8Length(JSON.stringify(m.toolCalls)) : 0) + utf8Length(m.reasoning ?? "");

  it("leaves small messages alone, with tool calls and reasoning", () => {
    const m = msg("short €", { toolCalls: [{ id: "t", name: "Bash", arguments: { command: "ls" } }], reasoning: "think 😀" });
    expect(fitMessage(m)).toEqual({ message: m, cut: false });
  });

  it("keeps a row of multi-byte content, large tool calls and reasoning within the row's limit", () => {
    // 3-byte characters: the 3-per-unit bound is exact here, so the budgets sit right at the limits.
    const content = "€".repeat(340_000); // 1,020,000 bytes
    const args = "ü".repeat(400_000); // 800,000 bytes
    const m = msg(content, { toolCalls: [{ id: "t", name: "Write", arguments: args }], reasoning: "日".repeat(300_000) });
    const { message, cut } = fitMessage(m);
    expect(cut).toBe(true);
    expect(message.content).toBe(content);
    expect(rowBytes(message)).toBeLessThanOrEqual(LIMITS.messageRowBytes);
    expect(utf8Length(message.reasoning ?? "")).toBeLessThanOrEqual(LIMITS.messageContentBytes);
  });

  it("counts ASCII exactly when the bound alone would cut: a row that fits is not shortened", () => {
    const content = "a".repeat(1_000_000); // bound 3 MB, exact 1 MB
    const args = "b".repeat(700_000);
    const m = msg(content, { toolCalls: [{ id: "t", name: "Write", arguments: args }], reasoning: "c".repeat(100_000) });
    expect(fitMessage(m)).toEqual({ message: m, cut: false });
  });
});
