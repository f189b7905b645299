/** The web view's pure parts on plain inputs: markdown, label form, keyboard map, drafts, return paths, detection. */
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../src/web/client/detect";
import { draftDecision, draftKey, loadDraft, pruneDrafts, saveDraft, type DraftStorage } from "../../../src/web/client/draft";
import { keyAction, type KeyInput } from "../../../src/web/client/keyboard";
import { parseLabelForm } from "../../../src/web/label-form";
import { safeNext } from "../../../src/web/next-path";
import { argPreview, buildConversation, foldOf } from "../../../src/web/render/conversation";
import { renderMarkdown } from "../../../src/web/render/markdown";

describe("renderMarkdown", () => {
  it("renders markdown and highlights fenced code", () => {
    const html = renderMarkdown("**bold**\n\n```ts\nconst a = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<code class="hljs language-typescript"><span class="hljs-keyword">const</span>');
    expect(html).toContain('<div class="md-table"><table>');
  });
  it("lets no raw HTML, script URL or remote image through", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) ![i](https://evil.example/p.png) <a href="x" onclick="y">a</a>');
    expect(html).not.toMatch(/<script|<img|<a href="x"|href="javascript/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("[image: i https://evil.example/p.png]");
  });
});

describe("parseLabelForm", () => {
  const stored = { evalStatus: "golden" as const, evalReady: true, evalTags: ["lang:c,c++"], evalNotes: "  ", expectedOutput: "\nleading newline" };
  it("an unchanged save leaves every text field out, so nothing is rewritten", () => {
    const r = parseLabelForm({ evalStatus: "golden", evalReady: true, evalTags: ["lang:c,c++", ""], evalNotes: "  ", expectedOutput: "\r\nleading newline" }, stored);
    expect(r).toEqual({ ok: true, patch: { evalStatus: "golden", evalReady: true } });
  });
  it("reports errors in plain words next to their field", () => {
    const r = parseLabelForm({ evalStatus: "x", evalReady: false, evalTags: ["y".repeat(70)], evalNotes: "", expectedOutput: "" }, stored);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.evalStatus).toMatch(/^Pick one of the four statuses/);
    expect(r.errors.evalTags).toMatch(/is 70 characters long; a tag can have at most 64\./);
  });
});

describe("keyAction", () => {
  const k = (key: string, o: Partial<KeyInput> = {}): KeyInput => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, typing: false, multiline: false, ...o });
  it("maps the shortcuts, and none fires while typing except the save chords", () => {
    expect(["j", "k", "1", "4", "t", "e", "n", "r", "?"].map((x) => keyAction(k(x)))).toEqual(["next", "prev", "status:golden", "status:needs_review", "tags", "expected", "notes", "toggle-ready", "help"]);
    expect(keyAction(k("j", { typing: true }))).toBeNull();
    expect(keyAction(k("Enter", { ctrlKey: true, typing: true, multiline: true }))).toBe("save");
    expect(keyAction(k("Enter", { metaKey: true, shiftKey: true, typing: true }))).toBe("save-next");
    expect(keyAction(k("Enter", { shiftKey: true, typing: true, multiline: true }))).toBeNull();
    expect(keyAction(k("Enter", { shiftKey: true }))).toBe("save-next");
    expect(keyAction(k("j", { ctrlKey: true }))).toBeNull();
  });
});

class MemoryStorage implements DraftStorage {
  map = new Map<string, string>();
  get length() { return this.map.size; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}

describe("draft store", () => {
  const v = { evalStatus: "golden", evalReady: true, evalTags: ["a"], evalNotes: "typed", expectedOutput: "" };
  it("keeps, offers back and drops drafts", () => {
    const s = new MemoryStorage();
    const key = draftKey("ws", "ses_1");
    expect(saveDraft(s, key, v, '"v3"', 1000)).toBe(true);
    const d = loadDraft(s, key);
    expect(d?.values).toEqual(v);
    expect(draftDecision(d, { ...v, evalNotes: "" }, false)).toBe("offer");
    expect(draftDecision(d, { ...v, evalNotes: "typed\r\n".slice(0, 5) }, false)).toBe("keep");
    expect(draftDecision(d, v, true)).toBe("clear");
    s.setItem("evalport:draft:other", "{broken");
    expect(loadDraft(s, "evalport:draft:other")).toBeNull();
    expect(pruneDrafts(s, 1000 + 10, 5)).toBe(2);
  });
});

describe("safeNext", () => {
  it("keeps only paths of this site", () => {
    expect(safeNext("/review/ses_1?view=evals&status=golden")).toBe("/review/ses_1?view=evals&status=golden");
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/signin", "", undefined]) expect(safeNext(bad)).toBe("/sessions");
  });
});

describe("conversation", () => {
  it("pairs a call with the result after it, previews arguments, folds long text", () => {
    const base = { externalId: null, toolCalls: null, toolCallId: null, toolName: null, reasoning: null, model: null, promptTokens: null, completionTokens: null, createdAt: null };
    const items = buildConversation([
      { ...base, seq: 0, role: "assistant", content: "", toolCalls: [{ id: "c1", name: "read", arguments: { path: "a.ts" } }] },
      { ...base, seq: 1, role: "tool", content: "out", toolCallId: "c1" },
      { ...base, seq: 2, role: "tool", content: "orphan", toolCallId: "zz" },
    ]);
    expect(items).toHaveLength(2);
    expect(items[0]!.calls[0]!.result?.content).toBe("out");
    expect(argPreview({ path: "a.ts", n: 2 })).toBe('path: "a.ts", n: 2');
    expect(foldOf("x".repeat(3000))).toMatchObject({ folded: true, size: "3.0 KB" });
    expect(foldOf("short").folded).toBe(false);
  });
});

describe("detectFormat", () => {
  it("tells the three tools apart, and says when it cannot", () => {
    expect(detectFormat('{"type":"user","sessionId":"s","message":{}}\n')).toBe("claude-code");
    expect(detectFormat('{"timestamp":"t","type":"session_meta","payload":{}}\n')).toBe("codex");
    expect(detectFormat('{"info":{"id":"x"},"messages":[]}')).toBe("opencode");
    expect(detectFormat("hello")).toBeNull();
  });
});
