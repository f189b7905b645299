/**
 * The per-session redactor: placeholders are numbered by first appearance within one exported session, so the
 * same secret reads the same everywhere in it and two secrets never share a number.
 */
import { acceptValue } from "./assignments";
import { detect } from "./detect";
import { type Finding, PRIORITY, resolveOverlaps } from "./finding";
import type { RedactKind } from "./kinds";
import { classifyName } from "./names";

export interface SessionRedactor {
  /** Content, tool outputs, expected output, notes, titles. */
  text(s: string): string;
  /**
   * Tool-call arguments: an object comes back with the same shape and keys, string values redacted; a JSON string
   * comes back as a still-valid JSON string (byte-identical when nothing was masked); any other string as `text()`.
   */
  toolArguments(args: unknown): unknown;
}

const IDENTITY: SessionRedactor = { text: (s) => s, toolArguments: (a) => a };

/** Values found only by context are looked for again, bare, in later strings; the cap bounds that cost. */
const MAX_REMEMBERED = 128;
const AUTH_PROBE = "Authorization: ";

export function createSessionRedactor(kinds: readonly RedactKind[]): SessionRedactor {
  if (kinds.length === 0) return IDENTITY;
  const placeholders = new Map<string, string>();
  const counters = new Map<string, number>();
  const remembered: string[] = [];
  const secrets = kinds.includes("secrets");

  function placeholder(kind: string, value: string): string {
    if (kind === "user") return "<user>";
    const known = placeholders.get(value);
    if (known !== undefined) return known;
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const p = `[REDACTED:${kind}#${n}]`;
    placeholders.set(value, p);
    return p;
  }

  function remember(value: string): void {
    if (remembered.length < MAX_REMEMBERED && value.length >= 6 && !remembered.includes(value)) remembered.push(value);
  }

  function text(s: string): string {
    if (typeof s !== "string" || s.length < 4) return s;
    let found = detect(s, kinds);
    if (secrets && remembered.length > 0) {
      const extra: Finding[] = [];
      for (const v of remembered) {
        for (let i = s.indexOf(v); i !== -1; i = s.indexOf(v, i + v.length)) {
          const kind = placeholders.get(v)?.match(/^\[REDACTED:([^#]+)#/)?.[1] ?? "secret";
          extra.push({ start: i, end: i + v.length, kind, priority: PRIORITY.known });
        }
      }
      if (extra.length > 0) found = resolveOverlaps([...found, ...extra]);
    }
    if (found.length === 0) return s;
    let out = "";
    let at = 0;
    for (const f of found) {
      const value = s.slice(f.start, f.end);
      out += s.slice(at, f.start) + placeholder(f.kind, value);
      if (f.remember) remember(value);
      at = f.end;
    }
    return out + s.slice(at);
  }

  /** A string under a JSON key: its own content first, then the key's say (`"password": "…"`). */
  function jsonString(value: string, key: string | undefined): string {
    if (key !== undefined && secrets) {
      if (/^(?:proxy-)?authorization$/i.test(key)) return text(AUTH_PROBE + value).slice(AUTH_PROBE.length);
      const redacted = text(value);
      if (redacted !== value) return redacted;
      const name = classifyName(key);
      if (name !== null && acceptValue(value, name.strong, true, false, true, key)) {
        remember(value);
        return placeholder(name.kind, value);
      }
      return value;
    }
    return text(value);
  }

  /** Deep redaction that keeps the input object when nothing changed (cheap, and byte-exact on re-serialising). */
  function json(value: unknown, key: string | undefined): unknown {
    if (typeof value === "string") return jsonString(value, key);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const r = json(value[i], undefined);
        if (r !== value[i]) (copy ??= [...value])[i] = r;
      }
      return copy ?? value;
    }
    if (value !== null && typeof value === "object") {
      let copy: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(value)) {
        const r = json(v, k);
        if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = r;
      }
      return copy ?? value;
    }
    return value;
  }

  function toolArguments(args: unknown): unknown {
    if (typeof args !== "string") return json(args, undefined);
    const first = args.trimStart().charCodeAt(0);
    if (first === 123 || first === 91 || first === 34) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch {
        return text(args);
      }
      const redacted = json(parsed, undefined);
      return redacted === parsed ? args : JSON.stringify(redacted);
    }
    return text(args);
  }

  return { text, toolArguments };
}
