/**
 * The browser-side draft store of the label form: what a reviewer typed is kept in localStorage per workspace
 * and session, so a crash, an expired sign-in or a conflict never loses it. Each function is self-contained: its
 * source is shipped to the browser as is (client/script.ts), after being unit-tested here on a plain Storage.
 */
export interface DraftValues {
  evalStatus: string;
  evalReady: boolean;
  evalTags: string[];
  evalNotes: string;
  expectedOutput: string;
}

export interface Draft {
  values: DraftValues;
  /** The ETag of the version the reviewer started from. */
  etag: string;
  savedAt: number;
}

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export function draftKey(workspace: string, sessionId: string): string {
  return "evalport:draft:" + encodeURIComponent(workspace) + ":" + encodeURIComponent(sessionId);
}

/** Two sets of form values are the same edit (line breaks compared as the server compares them). */
export function sameValues(a: DraftValues, b: DraftValues): boolean {
  const nl = /\r\n?/g;
  if (a.evalStatus !== b.evalStatus || a.evalReady !== b.evalReady) return false;
  if (a.evalNotes.replace(nl, "\n") !== b.evalNotes.replace(nl, "\n")) return false;
  if (a.expectedOutput.replace(nl, "\n") !== b.expectedOutput.replace(nl, "\n")) return false;
  const ta = a.evalTags.map((t) => t.trim()).filter((t) => t !== "");
  const tb = b.evalTags.map((t) => t.trim()).filter((t) => t !== "");
  return ta.length === tb.length && ta.every((t, i) => t === tb[i]);
}

/** Keeps the draft; a full storage (quota) is not a reason to break typing. */
export function saveDraft(storage: DraftStorage, key: string, values: DraftValues, etag: string, now: number): boolean {
  try {
    storage.setItem(key, JSON.stringify({ values: values, etag: etag, savedAt: now }));
    return true;
  } catch {
    return false;
  }
}

/** The stored draft, or null when there is none or it is not one of ours. */
export function loadDraft(storage: DraftStorage, key: string): Draft | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(key) || "null");
  } catch {
    return null;
  }
  const d = parsed as Draft | null;
  if (!d || typeof d !== "object" || !d.values || typeof d.etag !== "string" || typeof d.savedAt !== "number") return null;
  const v = d.values;
  if (typeof v.evalStatus !== "string" || typeof v.evalReady !== "boolean" || !Array.isArray(v.evalTags)) return null;
  if (typeof v.evalNotes !== "string" || typeof v.expectedOutput !== "string") return null;
  return d;
}

/**
 * What to do with a stored draft when the page opens: drop it when the server just confirmed this session was
 * saved; keep it quietly when the page already shows it (a failed save re-rendered what was typed); else offer
 * it back. A draft is never dropped on a guess.
 */
export function draftDecision(draft: Draft | null, shown: DraftValues, justSaved: boolean): "none" | "clear" | "keep" | "offer" {
  if (justSaved) return draft ? "clear" : "none";
  if (!draft) return "none";
  return sameValues(draft.values, shown) ? "keep" : "offer";
}

/**
 * Whether a draft outlives a save the page was told about: only when it was typed on the version that save
 * produced (`savedEtag`, the session's ETag now), i.e. after it. A draft from before the save is covered by it.
 * Without that ETag nothing says the draft is newer, so it goes (the save was confirmed).
 */
export function draftSurvivesSave(draft: Draft | null, savedEtag: string | undefined): boolean {
  return !!draft && !!savedEtag && draft.etag === savedEtag;
}

/** Drops drafts older than `maxAgeMs`, so the store does not grow without end. */
export function pruneDrafts(storage: DraftStorage, now: number, maxAgeMs: number): number {
  const old: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (!k || k.indexOf("evalport:draft:") !== 0) continue;
    let savedAt = 0;
    try {
      savedAt = JSON.parse(storage.getItem(k) || "{}").savedAt || 0;
    } catch {
      savedAt = 0;
    }
    if (now - savedAt > maxAgeMs) old.push(k);
  }
  for (const k of old) storage.removeItem(k);
  return old.length;
}
