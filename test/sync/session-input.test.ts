import { describe, expect, it } from "vitest";
import { isMachineTitle } from "../../src/sync/placeholders";
import { syncSessionSchema } from "../../src/sync/schemas";
import { toSessionCandidate } from "../../src/sync/session-input";

const parse = (body: unknown) => syncSessionSchema.parse(body);

describe("toSessionCandidate", () => {
  it("keeps every field evalport has a column for, and sessionId stands in for externalId", () => {
    const c = toSessionCandidate(
      parse({
        sessionId: "s-1", title: "Fix login", projectPath: "/home/me/app", projectName: "app", model: "claude-sonnet-4",
        provider: "anthropic", source: "claude-code", promptTokens: 1200, completionTokens: 300, cost: 0.02, durationMs: 5000,
        createdAt: "2026-11-26T10:00:00Z", messageCount: 4, toolCallCount: 2, endReason: "exit",
      }),
      undefined,
    );
    expect(c).toEqual({
      externalId: "s-1", messages: [], title: "Fix login", projectPath: "/home/me/app", projectName: "app",
      model: "claude-sonnet-4", provider: "anthropic", source: "claude-code", promptTokens: 1200, completionTokens: 300,
      cost: 0.02, durationMs: 5000, createdAt: Date.parse("2026-11-26T10:00:00Z"),
    });
  });

  it("leaves out zeros, empty strings, nulls and the placeholder model, so they keep what is stored", () => {
    const c = toSessionCandidate(
      parse({ externalId: "s-2", title: "", model: "unknown", promptTokens: 0, completionTokens: 0, cost: 0, projectPath: null, source: "opencode" }),
      { id: "ses_1", title: "Stored" },
    );
    expect(c).toEqual({ externalId: "s-2", messages: [], source: "opencode" });
  });

  it("a slug title never replaces a stored title but is kept when none is stored", () => {
    const slug = parse({ externalId: "s-3", title: "gentle-humming-lantern" });
    expect(toSessionCandidate(slug, { id: "ses_1", title: "Fix the login redirect" }).title).toBeUndefined();
    expect(toSessionCandidate(slug, { id: "ses_1", title: null }).title).toBe("gentle-humming-lantern");
    expect(toSessionCandidate(parse({ externalId: "s-3", title: "Untitled Session" }), { id: "ses_1", title: "Real" }).title).toBeUndefined();
    // A title a person wrote replaces a stored slug.
    expect(toSessionCandidate(parse({ externalId: "s-3", title: "Add dark mode" }), { id: "ses_1", title: "gentle-humming-lantern" }).title).toBe("Add dark mode");
  });

  it("names the source opencode when a new session names none (opencode-sync-plugin never sends one)", () => {
    expect(toSessionCandidate(parse({ externalId: "s-4" }), undefined).source).toBe("opencode");
    expect(toSessionCandidate(parse({ externalId: "s-4" }), { id: "ses_1", title: null }).source).toBeUndefined();
  });

  it("rounds fractional counts", () => {
    expect(toSessionCandidate(parse({ externalId: "s-5", promptTokens: 10.6 }), undefined).promptTokens).toBe(11);
  });
});

describe("syncSessionSchema", () => {
  it("needs externalId or sessionId and rejects wrong types", () => {
    expect(syncSessionSchema.safeParse({ title: "x" }).success).toBe(false);
    expect(syncSessionSchema.safeParse({ externalId: "a", promptTokens: "many" }).success).toBe(false);
    expect(syncSessionSchema.safeParse({ externalId: "a", promptTokens: -1 }).success).toBe(false);
  });
});

describe("isMachineTitle", () => {
  it("knows slugs and Untitled fallbacks from real titles", () => {
    expect(isMachineTitle("gentle-humming-lantern")).toBe(true);
    expect(isMachineTitle("Untitled")).toBe(true);
    expect(isMachineTitle("fix-login-bug now")).toBe(false);
    expect(isMachineTitle("Fix-Login-Bug")).toBe(false);
    expect(isMachineTitle("two-words")).toBe(false);
    expect(isMachineTitle("refactor")).toBe(false);
  });
});
