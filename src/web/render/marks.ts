import { findSecrets, markSegments } from "../../redact/index";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Escaped HTML of a raw text with every stretch an export would mask wrapped in `<mark class="would-mask">`.
 * Each segment is escaped on its own, so a mark never splits an entity and no raw HTML gets through.
 */
export function markedHtml(text: string): string {
  let out = "";
  for (const seg of markSegments(text)) {
    const t = escapeHtml(seg.text);
    out += seg.kind ? `<mark class="would-mask" data-kind="${escapeHtml(seg.kind)}" title="masked in exports as [${escapeHtml(seg.kind)}]">${t}</mark>` : t;
  }
  return out;
}

/** Whether an export would mask anything in this text. */
export function hasMarks(text: string): boolean {
  return text.length > 0 && findSecrets(text).length > 0;
}

/** How many values in these texts an export would mask — the number the review page's legend states. */
export function countMarks(texts: Iterable<string>): number {
  let n = 0;
  for (const t of texts) if (t) n += findSecrets(t).length;
  return n;
}
