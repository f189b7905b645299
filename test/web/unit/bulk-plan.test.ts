/** The bulk actions' and export dialog's pure parts, and the action bars as they render, on plain inputs. */
import { describe, expect, it } from "vitest";
import {
  changeFields,
  changes,
  countsSentence,
  describeChange,
  fineTuningWarning,
  overTagLimit,
  parseBulkChange,
  preview,
  redactChoice,
  undoEntries,
  type BulkChange,
  type Prior,
} from "../../../src/web/bulk-plan";
import { EvalsActions, SessionsActions, UndoNotice } from "../../../src/web/pages/list-actions";
import type { WebSession } from "../../../src/web/session";

const prior = (id: string, over: Partial<Prior> = {}): Prior => ({
  id,
  version: 3,
  evalStatus: "needs_review",
  evalTags: [],
  evalReady: false,
  reviewedAt: null,
  reviewedBy: null,
  ...over,
});

describe("parseBulkChange", () => {
  it("reads each button and its field; a form asking for the change again reads the same", () => {
    const cases: [Record<string, string>, BulkChange][] = [
      [{ op: "ready" }, { kind: "ready", ready: true }],
      [{ op: "unready" }, { kind: "ready", ready: false }],
      [{ op: "status", status: "golden" }, { kind: "status", status: "golden" }],
      [{ op: "addTag", tag: "  auth " }, { kind: "tags", add: ["auth"], remove: [] }],
      [{ op: "removeTag", tag: "a, b" }, { kind: "tags", add: [], remove: ["a, b"] }],
    ];
    for (const [fields, change] of cases) {
      const parsed = parseBulkChange(fields);
      expect(parsed).toEqual({ ok: true, change });
      const again = Object.fromEntries(changeFields(change).map(([k, v]) => [k === "bulk_status" ? "status" : k === "bulk_tag" ? "tag" : k, v]));
      expect(parseBulkChange(again)).toEqual(parsed);
    }
  });
  it("refuses a missing tag, an unknown status or button, an over-long tag, in words", () => {
    expect(parseBulkChange({ op: "addTag", tag: " " })).toMatchObject({ ok: false, message: expect.stringMatching(/Type the tag to add/) });
    expect(parseBulkChange({ op: "status", status: "great" })).toMatchObject({ ok: false });
    expect(parseBulkChange({ op: "status" })).toMatchObject({ ok: false });
    expect(parseBulkChange({})).toMatchObject({ ok: false });
    expect(parseBulkChange({ op: "addTag", tag: "x".repeat(65) })).toMatchObject({ ok: false, message: expect.stringMatching(/64 characters/) });
  });
  it("describes the change", () => {
    expect(describeChange({ kind: "status", status: "needs_review" })).toBe("Set status to Needs review");
    expect(describeChange({ kind: "tags", add: ["auth"], remove: [] })).toBe("Add the tag “auth”");
    expect(describeChange({ kind: "ready", ready: false })).toMatch(/^Unmark/);
  });
});

describe("what a change does, and what its undo keeps", () => {
  const status: BulkChange = { kind: "status", status: "golden" };
  const add: BulkChange = { kind: "tags", add: ["x"], remove: [] };

  it("counts only the sessions it really changes", () => {
    const ps = [prior("a"), prior("b", { evalStatus: "golden" }), prior("c", { evalTags: ["x"] })];
    expect(preview(ps, status)).toEqual({ found: 3, willChange: 2 });
    expect(preview(ps, add)).toEqual({ found: 3, willChange: 2 });
    expect(changes(prior("d", { evalReady: true }), { kind: "ready", ready: true })).toBe(false);
  });

  it("finds a session that would pass the tag limit", () => {
    const full = prior("full", { evalTags: Array.from({ length: 64 }, (_, i) => `t${i}`) });
    expect(overTagLimit([prior("a"), full], add)).toBe("full");
    expect(overTagLimit([prior("a"), full], { kind: "tags", add: ["t1"], remove: [] })).toBeNull();
    expect(overTagLimit([full], status)).toBeNull();
  });

  it("keeps the prior values of exactly the changed fields; a session another writer touched meanwhile is raced", () => {
    const ps = [
      prior("changed", { reviewedAt: 5, reviewedBy: "ann" }),
      prior("same", { evalStatus: "golden" }),
      prior("raced"),
      prior("gone"),
      prior("same-but-moved", { evalStatus: "golden" }),
    ];
    const after = new Map([
      ["changed", 4],
      ["same", 3],
      ["raced", 5],
      ["same-but-moved", 4],
    ]);
    expect(undoEntries(ps, after, status)).toEqual({
      entries: [{ id: "changed", v: 4, status: "needs_review", ra: 5, rb: "ann" }],
      raced: 3,
    });
    expect(undoEntries([prior("a", { evalTags: ["k"] })], new Map([["a", 4]]), add).entries).toEqual([{ id: "a", v: 4, tags: ["k"], ra: null, rb: null }]);
    expect(undoEntries([prior("a")], new Map([["a", 4]]), { kind: "ready", ready: true }).entries).toEqual([{ id: "a", v: 4, ready: 0 }]);
  });
});

describe("the export dialog's words", () => {
  it("counts by status, zeros left out", () => {
    expect(countsSentence({ golden: 30, correct: 12, incorrect: 0, needs_review: 0 })).toBe("42 sessions: 30 golden, 12 correct");
    expect(countsSentence({ golden: 0, correct: 0, incorrect: 1, needs_review: 0 })).toBe("1 session: 1 incorrect");
    expect(countsSentence({ golden: 1200, correct: 0, incorrect: 0, needs_review: 0 })).toBe("1,200 sessions: 1,200 golden");
  });
  it("warns for a fine-tuning format with incorrect or needs-review sessions only", () => {
    const mixed = { golden: 3, correct: 0, incorrect: 2, needs_review: 1 };
    expect(fineTuningWarning("openai", mixed)).toMatch(/3 of these sessions are not known to be right \(2 incorrect, 1 needs review\)/);
    expect(fineTuningWarning("deepeval", mixed)).toBeNull();
    expect(fineTuningWarning("openai", { golden: 3, correct: 1, incorrect: 0, needs_review: 0 })).toBeNull();
  });
  it("reads the masking: the dialog's boxes, else the API's redact, else the default", () => {
    expect(redactChoice({ masks: "1", mask: ["secrets"] })).toEqual(["secrets"]);
    expect(redactChoice({ masks: "1", mask: [] })).toEqual([]);
    expect(redactChoice({ masks: "1", mask: ["emails", "paths", "bogus"] })).toEqual(["paths", "emails"]);
    expect(redactChoice({ mask: [] })).toEqual(["secrets"]);
    expect(redactChoice({ mask: [], redact: "none" })).toEqual([]);
    expect(redactChoice({ mask: [], redact: "all" })).toBeNull();
  });
});

describe("the action bars", () => {
  const web = (scopes: WebSession["scopes"]): WebSession =>
    ({ keyId: "k", keyHash: "h", workspace: "w", scopes, csrf: "t", createdAt: 0, auth: { id: "k", workspace: "w", scopes } }) as WebSession;
  const html = (node: unknown) => String(node);

  it("offer every bulk action as a confirmation post, and the Undo of the last action in a form of its own", () => {
    const out = html(SessionsActions({ web: web(["sessions:read", "evals:write"]) }));
    for (const op of ["addTag", "removeTag", "status", "ready", "unready"]) expect(out).toContain(`formaction="/sessions/bulk" name="op" value="${op}"`);
    expect(out).not.toContain("disabled");
    expect(out).not.toContain("Undo");
    // Not inside the selection form, where it would be the first submit button: Enter in the Tag field would undo.
    const undo = html(UndoNotice({ view: "sessions", last: { id: "abc", at: Date.now(), description: "Set status to Golden", found: 42, changed: 30 }, canWrite: true, csrf: "t", filters: [["status", "golden"]] }));
    expect(undo).toMatch(/^<form method="post" action="\/sessions\/undo" class="undo-form"><input type="hidden" name="_csrf" value="t"\/><input type="hidden" name="f_status" value="golden"\/>/);
    expect(undo).toContain("Last bulk action (just now): Set status to Golden on 42 sessions (30 changed).");
    expect(undo).toMatch(/<button type="submit" formaction="\/sessions\/undo" name="undo" value="abc">Undo<\/button>/);
    expect(undo).not.toContain("disabled");
  });

  it("disable what the key may not do, saying why; Save as dataset only with export:read", () => {
    const ro = html(EvalsActions({ web: web(["sessions:read"]) }));
    expect(ro).toMatch(/value="status" disabled="" aria-describedby="bulk-why-evals"/);
    expect(ro).toContain("lacks the evals:write scope");
    expect(ro).toMatch(/formaction="\/export\/confirm" disabled="" aria-describedby="export-why"/);
    expect(ro).toContain("lacks the export:read scope");
    expect(ro).not.toContain("Save as dataset");
    const exp = html(EvalsActions({ web: web(["sessions:read", "export:read"]) }));
    expect(exp).toMatch(/formaction="\/export\/confirm" aria-describedby|formaction="\/export\/confirm">Export/);
    expect(exp).toContain('<button type="submit" formaction="/datasets/new">Save as dataset</button>');
  });
});
