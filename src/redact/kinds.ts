/** What an export can mask; `secrets` is on by default because a dataset leaves the workspace. */
export const REDACT_KINDS = ["secrets", "paths", "emails"] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** The `redact` value when the request gives none. */
export const DEFAULT_REDACT: readonly RedactKind[] = ["secrets"];

const KNOWN = new Set<string>(REDACT_KINDS);

/**
 * Reads the `redact` export parameter: absent → `["secrets"]`, `none` → `[]`, otherwise a comma-separated set of
 * kinds in any order (returned de-duplicated, in canonical order). Anything else — an unknown kind, an empty item,
 * `none` mixed with kinds — is `null`, so the caller can answer 400 before any byte is sent.
 */
export function parseRedactParam(value: string | undefined): RedactKind[] | null {
  if (value === undefined) return [...DEFAULT_REDACT];
  const trimmed = value.trim();
  if (trimmed === "none") return [];
  const seen = new Set<string>();
  for (const raw of trimmed.split(",")) {
    const item = raw.trim();
    if (!KNOWN.has(item)) return null;
    seen.add(item);
  }
  return REDACT_KINDS.filter((k) => seen.has(k));
}
