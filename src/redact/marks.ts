/**
 * For the review page's "would be masked" marks: a raw string cut into segments, each either plain text
 * (`kind: null`) or a stretch an export with `kinds` would mask. The renderer escapes each segment's text on its
 * own and wraps the marked ones (e.g. `<mark data-kind="…">`), so marks never split an HTML entity and what is
 * stored is never touched. Joining every segment's text gives back the input exactly.
 */
import { detect } from "./detect";
import { DEFAULT_REDACT, type RedactKind } from "./kinds";

export interface MarkSegment {
  text: string;
  /** The placeholder kind (`github_token`, `password`, `user`, `email`…), or `null` for text left as it is. */
  kind: string | null;
}

export function markSegments(s: string, kinds: readonly RedactKind[] = DEFAULT_REDACT): MarkSegment[] {
  if (s.length === 0) return [];
  const found = kinds.length === 0 ? [] : detect(s, kinds);
  if (found.length === 0) return [{ text: s, kind: null }];
  const out: MarkSegment[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start > at) out.push({ text: s.slice(at, f.start), kind: null });
    out.push({ text: s.slice(f.start, f.end), kind: f.kind });
    at = f.end;
  }
  if (at < s.length) out.push({ text: s.slice(at), kind: null });
  return out;
}
