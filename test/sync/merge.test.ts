import { describe, expect, it } from "vitest";
import { dedupeByExternalId, mergeStored, type StoredMessage } from "../../src/sync/merge";

const stored: StoredMessage = {
  externalId: "m", role: "assistant", content: "full answer", toolCalls: JSON.stringify([{ id: "c", name: "Read" }]),
  toolCallId: null, toolName: null, reasoning: "why", model: "gpt-5", promptTokens: 10, completionTokens: 5, createdAt: 1000,
};

describe("mergeStored", () => {
  it("keeps stored values where the resend is empty or silent", () => {
    expect(mergeStored({ externalId: "m", role: "assistant", content: "" }, stored)).toEqual({
      externalId: "m", role: "assistant", content: "full answer", toolCalls: [{ id: "c", name: "Read" }], reasoning: "why",
      model: "gpt-5", promptTokens: 10, completionTokens: 5, createdAt: 1000,
    });
  });

  it("lets non-empty resent values win", () => {
    const m = mergeStored({ externalId: "m", role: "assistant", content: "new", model: "gpt-5.1", promptTokens: 12 }, stored);
    expect([m.content, m.model, m.promptTokens, m.completionTokens]).toEqual(["new", "gpt-5.1", 12, 5]);
  });

  it("keeps a tool message's call link", () => {
    const s: StoredMessage = { ...stored, role: "tool", toolCalls: null, reasoning: null, toolCallId: "c", toolName: "Read" };
    expect(mergeStored({ externalId: "m", role: "tool", content: "out" }, s)).toMatchObject({ toolCallId: "c", toolName: "Read" });
  });
});

describe("dedupeByExternalId", () => {
  it("keeps the first position and merges later copies over it", () => {
    const out = dedupeByExternalId([
      { externalId: "a", role: "assistant", content: "draft", model: "m1" },
      { externalId: "b", role: "user", content: "q" },
      { externalId: "a", role: "assistant", content: "final" },
    ]);
    expect(out).toEqual([
      { externalId: "a", role: "assistant", content: "final", model: "m1" },
      { externalId: "b", role: "user", content: "q" },
    ]);
  });
});
