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

/** Epoch ms from an ISO string or a number (seconds when it is too small to be ms); null when unusable. */
export function toMs(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    return Math.round(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value === "string" && value) {
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
