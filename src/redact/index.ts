/**
 * The redaction engine (issue 12): secrets, home-directory user names and e-mail addresses masked in exported
 * strings, never in what is stored. Pure functions on plain strings; the export pipeline and the web view call:
 *
 * - `parseRedactParam(value)` — the `redact` query parameter: `undefined` → `["secrets"]`, `"none"` → `[]`,
 *   invalid → `null` (answer 400 before sending a byte).
 * - `createSessionRedactor(kinds)` — one per exported session; `text(s)` for content, tool outputs, expected
 *   output, notes and titles, `toolArguments(args)` for tool-call arguments (object or JSON string, kept valid).
 *   Placeholders are `[REDACTED:<kind>#<n>]`, numbered by first appearance in that session; home-directory user
 *   names become `<user>`. With `kinds = []` both functions return their input unchanged.
 * - `findSecrets(s, kinds?)` — for the review page's "would be masked" marks: the spans, nothing changed.
 * - `markSegments(s, kinds?)` — the same as `{text, kind|null}[]` segments, for a renderer that escapes each one.
 *
 * What each kind covers, and the measured recall / false-positive figures, are in docs/readme/redaction.md.
 */
import { detect } from "./detect";
import { DEFAULT_REDACT, type RedactKind } from "./kinds";

export { DEFAULT_REDACT, parseRedactParam, REDACT_KINDS, type RedactKind } from "./kinds";
export { createSessionRedactor, type SessionRedactor } from "./session";
export { markSegments, type MarkSegment } from "./marks";

export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

/** Where a string holds what an export with `kinds` would mask (UTF-16 offsets, sorted, non-overlapping). */
export function findSecrets(s: string, kinds: readonly RedactKind[] = DEFAULT_REDACT): SecretSpan[] {
  return detect(s, kinds).map(({ start, end, kind }) => ({ start, end, kind }));
}
