/** Small text helpers the parsers share: titles, project names, git remotes, timestamps. */

const TITLE_CHARS = 80;

/** A title from the first prompt: its first 80 characters on one line, or null when it is blank. */
export function titleFromPrompt(prompt: string): string | null {
  const flat = prompt.replace(/\s+/g, " ").trim();
  if (!flat) return null;
  const chars = Array.from(flat);
  return chars.length <= TITLE_CHARS ? flat : `${chars.slice(0, TITLE_CHARS).join("")}…`;
}

/** The last path segment of a working directory (POSIX or Windows), e.g. `/home/me/app` → `app`. */
export function projectNameOf(cwd: string | null | undefined): string | null {
  if (!cwd) return null;
  const parts = cwd.split(/[\\/]+/).filter(Boolean);
  return parts.length > 0 ? parts[parts.length - 1]!.slice(0, 256) : null;
}

/**
 * A git remote as `host/owner/repo`, whatever form the tool recorded (https, ssh, scp-like `git@host:`), without
 * credentials: a remote URL may carry a token (`https://user:ghp_…@github.com/…`) that must not be stored.
 */
export function normalizeRemote(url: string | null | undefined): string | null {
  if (!url) return null;
  let s = url.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(s);
  if (scp) s = `${scp[1]}/${scp[2]}`;
  else {
    s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
    s = s.replace(/^[^@/]*@/, "");
  }
  s = s.replace(/\.git\/?$/, "").replace(/\/+$/, "");
  return s ? s.slice(0, 1024) : null;
}

/** Two ASCII digits of `s` at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (what JavaScript's toISOString writes, and every transcript line's timestamp) as epoch ms,
 * the same value Date.parse gives, or NaN for any other shape. Date.parse is a slow builtin in workerd (a 50 MB
 * transcript has ~20,000 timestamps; it was 6% of an import's CPU); other forms still go through it.
 */
export function isoUtcMs(s: string): number {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return NaN;
  const c = digits2(s, 0);
  const y = digits2(s, 2);
  const mo = digits2(s, 5);
  const d = digits2(s, 8);
  const h = digits2(s, 11);
  const mi = digits2(s, 14);
  const sec = digits2(s, 17);
  const ms1 = digits2(s, 20);
  const ms2 = s.charCodeAt(22) - 48;
  // Years below 1000 are left to Date.parse (Date.UTC reads 0–99 as 1900–1999); so are out-of-range fields.
  if (c < 10 || y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 ||
    ms1 < 0 || ms2 < 0 || ms2 > 9) return NaN;
  return Date.UTC(c * 100 + y, mo - 1, d, h, mi, sec, ms1 * 10 + ms2);
}

/** Epoch ms from an ISO string or a number (seconds when it is too small to be ms); null when unusable. */
export function toMs(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    return Math.round(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value === "string" && value) {
    const fast = isoUtcMs(value);
    if (fast >= 0) return fast;
    const t = Date.parse(value);
    return Number.isFinite(t) && t >= 0 ? t : null;
  }
  return null;
}

/** `s` cut to `max` UTF-16 units: ids and names have column limits, and a tool's odd value must not fail a file. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}

/** The plain object a JSON line parsed to, or null for arrays, scalars and text that is not JSON. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/** Approximate bytes of a base64 payload once decoded, as `12 KB` for a placeholder. */
export function base64Size(data: unknown): string {
  const len = typeof data === "string" ? Math.floor((data.length * 3) / 4) : 0;
  return len >= 1024 * 1024 ? `${(len / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(len / 1024))} KB`;
}
