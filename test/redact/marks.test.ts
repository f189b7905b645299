import { describe, expect, it } from "vitest";
import { findSecrets, markSegments } from "../../src/redact/index";
import { fake } from "./corpus/fake";

const GHP = "ghp_" + fake(36, 301);

describe("markSegments", () => {
  it("cuts a string into plain and would-be-masked segments that join back to the input", () => {
    const s = `token <${GHP}> & DB_PASSWORD=Vq8rT2mxL4 "é"`;
    const segs = markSegments(s);
    expect(segs.map((x) => x.text).join("")).toBe(s);
    expect(segs.filter((x) => x.kind !== null)).toEqual([
      { text: GHP, kind: "github_token" },
      { text: "Vq8rT2mxL4", kind: "password" },
    ]);
    // Raw text, not HTML: the renderer escapes `<`, `&`, `"` in each segment itself.
    expect(segs[0]).toEqual({ text: "token <", kind: null });
  });

  it("segments are the findSecrets spans, in UTF-16 units (astral characters before a secret)", () => {
    const s = `🔑🔑 ${GHP}`;
    const [span] = findSecrets(s);
    expect(span).toEqual({ start: 5, end: 5 + GHP.length, kind: "github_token" });
    expect(s.slice(span!.start, span!.end)).toBe(GHP);
    expect(markSegments(s)).toEqual([{ text: "🔑🔑 ", kind: null }, { text: GHP, kind: "github_token" }]);
  });

  it("nothing to mark, empty string, kinds = [] and paths/emails on request", () => {
    expect(markSegments("plain text")).toEqual([{ text: "plain text", kind: null }]);
    expect(markSegments("")).toEqual([]);
    expect(markSegments(GHP, [])).toEqual([{ text: GHP, kind: null }]);
    expect(markSegments("/home/alice/x bob@acme.io", ["paths", "emails"])).toEqual([
      { text: "/home/", kind: null },
      { text: "alice", kind: "user" },
      { text: "/x ", kind: null },
      { text: "bob@acme.io", kind: "email" },
    ]);
  });
});
