/** `String.prototype.isWellFormed` (ES2024; in workerd's V8, not yet in the ES2023 lib this project compiles against). */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The dotted path of the first string (or object key) in a parsed JSON value that holds a lone UTF-16 surrogate
 * (`"\ud800"` escaped in JSON), or null when there is none. Such text has no UTF-8 form: D1 would store U+FFFD in
 * its place, so what was sent would not be what is stored.
 */
export function loneSurrogatePath(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return wellFormed(value) ? null : path.join(".");
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogatePath(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (!wellFormed(k)) return [...path, k.replace(/[\ud800-\udfff]/g, "\ufffd")].join(".");
      const found = loneSurrogatePath(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}
