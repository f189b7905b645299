/** One masked stretch of a string: `[start, end)` in UTF-16 units, and the kind its placeholder names. */
export interface Finding {
  start: number;
  end: number;
  /** Placeholder kind, e.g. `github_token`; `user` for a home-directory user name. */
  kind: string;
  /** Which detector wins an overlap: a token's own shape beats the name it was assigned to. */
  priority: number;
  /**
   * Found only through its context (an assignment, a URL, a header): the session redactor also masks its later
   * bare appearances, which no detector would recognise on their own.
   */
  remember?: boolean;
}

export const PRIORITY = { shape: 4, block: 3, context: 2, assignment: 1, known: 1, personal: 0 } as const;

/** Keeps the strongest of overlapping findings (then the earliest, then the longest), sorted by start. */
export function resolveOverlaps(found: Finding[]): Finding[] {
  if (found.length <= 1) return found;
  const ranked = [...found].sort(
    (a, b) => b.priority - a.priority || a.start - b.start || b.end - b.start - (a.end - a.start),
  );
  const kept: Finding[] = [];
  for (const f of ranked) {
    if (kept.every((k) => f.end <= k.start || f.start >= k.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}
