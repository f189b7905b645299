import { fitMessage } from "./truncate";
import { parseJsonObject, titleFromPrompt } from "./text";
import type { ImportedMessage, ImportedSession } from "./types";

/** Fields of a session that the first line decides and no later line changes: safe to send with every chunk. */
export type FixedFields = Pick<ImportedSession, "source" | "provider" | "projectPath" | "projectName" | "parentExternalId">;
/** Fields known only once the whole file is read (totals, the last branch, a summary line's title). */
export type FinalFields = Omit<ImportedSession, "externalId" | "messages" | keyof FixedFields | "createdAt">;

/** A rough size of a message's text, to decide when a chunk is big enough to write. */
export const messageSize = (m: ImportedMessage): number =>
  m.content.length + (m.reasoning?.length ?? 0) + (m.toolCalls ? JSON.stringify(m.toolCalls).length : 0);

/**
 * One session being read from a file: its messages in order, waiting to be drained in chunks, with what the
 * parser learns on the way. Every message carries an externalId (the tool's own ids, or line numbers), so a
 * chunk written again — or a later, longer version of the file — updates rows in place and appends only the new.
 */
export class SessionBuilder {
  readonly externalId: string;
  fixed: FixedFields;
  final: FinalFields = {};
  /** The tool's own title (a summary line), else the first prompt's start is used. */
  title: string | null = null;
  firstPrompt: string | null = null;
  firstAt: number | null = null;
  lastAt: number | null = null;
  /** Messages produced so far, re-sent ones counted once. */
  count = 0;

  private pending: ImportedMessage[] = [];
  private inPending = new Set<string>();
  private seen = new Set<string>();
  private bytes = 0;

  constructor(externalId: string, fixed: FixedFields) {
    this.externalId = externalId;
    this.fixed = fixed;
  }

  /** Notes a line's timestamp: the first is the session's createdAt, the last ends its duration. */
  at(ms: number | null): void {
    if (ms === null) return;
    this.firstAt ??= ms;
    if (this.lastAt === null || ms > this.lastAt) this.lastAt = ms;
  }

  has(externalId: string): boolean {
    return this.seen.has(externalId);
  }

  /** Adds a message; false (nothing added) when one with its externalId was already added, e.g. a repeated line. */
  add(m: ImportedMessage): boolean {
    const id = m.externalId!;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.count++;
    if (m.role === "user" && this.firstPrompt === null && m.content.trim()) this.firstPrompt = m.content;
    this.queue(m);
    return true;
  }

  /** A message the parser changed after adding it (a later block of one response): send it again if it left. */
  changed(m: ImportedMessage, grownBy: number): void {
    if (this.inPending.has(m.externalId!)) this.bytes += grownBy;
    else this.queue(m);
  }

  private queue(m: ImportedMessage): void {
    this.pending.push(m);
    this.inPending.add(m.externalId!);
    this.bytes += messageSize(m);
  }

  pendingBytes(): number {
    return this.bytes;
  }

  pendingCount(): number {
    return this.pending.length;
  }

  /**
   * The waiting messages as one session input (null when there is nothing to send). Before the end, the message
   * named `open` — one later lines may still extend — and all after it stay behind, so stored order never changes.
   * `onCut` hears of each message that had to be shortened to fit.
   */
  drain(final: boolean, open: string | null, onCut: (externalId: string) => void): ImportedSession | null {
    let take = this.pending.length;
    if (!final && open !== null && this.inPending.has(open)) take = this.pending.findIndex((m) => m.externalId === open);
    if (take === 0 && !final) return null;
    if (final && this.count === 0) return null;
    const out = this.pending.splice(0, take);
    for (const m of out) this.inPending.delete(m.externalId!);
    this.bytes = this.pending.reduce((n, m) => n + messageSize(m), 0);
    const messages = out.map((m) => {
      const fitted = fitMessage(m);
      if (fitted.cut) onCut(m.externalId!);
      return fitted.message;
    });
    const base: ImportedSession = { externalId: this.externalId, ...this.fixed, createdAt: this.firstAt, messages };
    if (!final) return base;
    const duration = this.firstAt !== null && this.lastAt !== null ? this.lastAt - this.firstAt : null;
    return {
      ...base,
      title: this.title ?? (this.firstPrompt !== null ? titleFromPrompt(this.firstPrompt) : null),
      durationMs: duration,
      updatedAt: this.lastAt,
      ...this.final,
    };
  }
}

/** The sessions of one file, in order of first appearance, and the counters every parser reports. */
export class ImportState {
  readonly sessions = new Map<string, SessionBuilder>();
  readonly skipped: Record<string, number> = {};
  private cut = new Set<string>();
  firstBad?: { line: number; message: string };

  skip(kind: string, n = 1): void {
    this.skipped[kind] = (this.skipped[kind] ?? 0) + n;
  }

  /** Records the first line that is not usable (malformed or another format), for a 400 if nothing else is. */
  bad(line: number, message: string): void {
    this.firstBad ??= { line, message };
  }

  /** One line of a JSONL transcript as an object; blank lines are ignored, anything else is counted malformed. */
  jsonLine(text: string, lineNo: number): Record<string, unknown> | null {
    if (!text.trim()) return null;
    const o = parseJsonObject(text);
    if (!o) {
      this.skip("malformed");
      this.bad(lineNo, "not a JSON object");
    }
    return o;
  }

  session(externalId: string, fixed: () => FixedFields): SessionBuilder {
    let s = this.sessions.get(externalId);
    if (!s) {
      s = new SessionBuilder(externalId, fixed());
      this.sessions.set(externalId, s);
    }
    return s;
  }

  pendingBytes(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.pendingBytes();
    return n;
  }

  pendingMessages(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.pendingCount();
    return n;
  }

  drain(final: boolean, openOf: (s: SessionBuilder) => string | null): ImportedSession[] {
    const out: ImportedSession[] = [];
    for (const s of this.sessions.values()) {
      const input = s.drain(final, final ? null : openOf(s), (id) => this.cut.add(`${s.externalId}\u0000${id}`));
      if (input) out.push(input);
    }
    return out;
  }

  report() {
    let messages = 0;
    for (const s of this.sessions.values()) messages += s.count;
    return { skipped: { ...this.skipped }, truncated: this.cut.size, messages, firstBad: this.firstBad };
  }
}
