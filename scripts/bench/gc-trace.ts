/**
 * The Worker isolate's heap as V8 itself reports it: the bench's runtime workerd runs with `--trace-gc --expose-gc`
 * (scripts/bench/workerd-with-flags), so every GC of every isolate in the process prints one line to workerd's stdout,
 * which the wrapper copies to `<trace>.<workerd pid>`:
 *
 *   [8302:0x32b2ffc64000]     2134 ms: Scavenge 36.7 (45.9) -> 26.5 (44.5) MB, pooled: 0.0 MB, 28.50 / 0.00 ms (…) allocation failure;
 *   [pid:isolate]        ms since the isolate started: kind, used (committed) before -> used (committed) after
 *
 * Unlike the DevTools poll, these lines are written by the isolate's own thread while it works, so a busy request
 * shows all of its GCs. Which isolate is the app Worker (workerd also runs miniflare's D1 Durable Object, the entry
 * and loopback workers, each its own isolate): `gc()` evaluated through the Worker's DevTools target runs a full GC
 * with reason "testing" in that isolate only. Two such marks bracket the measured work: the lines of the marked
 * isolate between them are the work's GCs, and the marks themselves give the live heap at rest before and after.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { Cdp } from "./inspector";

export interface GcLine {
  pid: number;
  isolate: string;
  /** ms since the isolate started (its own clock). */
  ms: number;
  kind: string;
  /** Used heap before / after this GC, MB (V8 prints one decimal). */
  before: number;
  after: number;
  /** Committed heap before / after, MB. */
  committedBefore: number;
  committedAfter: number;
  /** A full GC (Mark-Compact / Mark-Sweep), whose "after" is the live heap at that moment. */
  full: boolean;
  /** A `gc()` call (reason "testing"): the bench's marks. */
  testing: boolean;
}

const LINE = /^\[(\d+):(0x[0-9a-f]+)(?::\d+)?\]\s+(\d+(?:\.\d+)?) ms: ([A-Za-z][A-Za-z -]*?(?: \([a-z ]+\))?) (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\) -> (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\) MB/;

export function parseGcLine(line: string): GcLine | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const kind = m[4]!;
  return {
    pid: Number(m[1]), isolate: m[2]!, ms: Number(m[3]), kind,
    before: Number(m[5]), committedBefore: Number(m[6]), after: Number(m[7]), committedAfter: Number(m[8]),
    full: /Mark-(Compact|Sweep)/.test(kind) && !/Minor/.test(kind),
    testing: /\btesting\b/.test(line),
  };
}

/** A GC line of the trace file, with the byte offset right after it. */
export type TracedGc = GcLine & { end: number };

/** The GC trace file of one workerd process. */
export class GcTrace {
  constructor(readonly path: string) {}

  /** Bytes written so far (0 before the first line). */
  size(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** The GC lines written after byte `from` (whole lines only; other output of workerd is skipped). */
  linesFrom(from: number): TracedGc[] {
    if (!existsSync(this.path)) return [];
    const buf = readFileSync(this.path);
    const out: TracedGc[] = [];
    let pos = from;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const g = parseGcLine(buf.subarray(pos, nl).toString("utf8"));
      pos = nl + 1;
      if (g) out.push({ ...g, end: pos });
    }
    return out;
  }
}

export interface GcMark {
  /** Trace offset just after the mark's line. */
  end: number;
  isolate: string;
  /** Used heap when gc() ran (garbage included), MB. */
  beforeMb: number;
  /** The live heap after the full GC, MB. */
  liveMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const contexts = new WeakMap<Cdp, Promise<number>>();

/**
 * The Worker's execution context for Runtime.evaluate (workerd has no default one): Runtime.enable reports the
 * isolate's contexts as events; the first one is taken. Runtime is disabled again right after, so no console or
 * exception events are sent during the measurement.
 */
function workerContext(cdp: Cdp): Promise<number> {
  let p = contexts.get(cdp);
  if (!p) {
    p = (async () => {
      const ids: number[] = [];
      cdp.on("Runtime.executionContextCreated", (params) => {
        const id = (params as { context?: { id?: number } }).context?.id;
        if (typeof id === "number") ids.push(id);
      });
      await cdp.send("Runtime.enable");
      for (let i = 0; i < 50 && ids.length === 0; i++) await sleep(20);
      await cdp.send("Runtime.disable").catch(() => undefined);
      if (ids.length === 0) throw new Error("Runtime.enable reported no execution context for the Worker");
      return ids[0]!;
    })();
    contexts.set(cdp, p);
  }
  return p;
}

/**
 * A full GC in the Worker's isolate (gc() through its DevTools target), and the trace line it printed: the isolate's
 * address and live heap. `isolate`, when known, must match (a mark in another isolate would be a mix-up).
 */
export async function markGc(cdp: Cdp, trace: GcTrace, isolate?: string, timeoutMs = 10_000): Promise<GcMark> {
  const contextId = await workerContext(cdp);
  const from = trace.size();
  const r = await cdp.send<{ result?: { value?: unknown }; exceptionDetails?: { text?: string } }>("Runtime.evaluate", {
    expression: "typeof gc === 'function' ? (gc(), 'ok') : 'no gc'",
    returnByValue: true,
    contextId,
  });
  if (r.exceptionDetails || r.result?.value !== "ok") {
    throw new Error(`gc() in the Worker: ${r.exceptionDetails?.text ?? String(r.result?.value)} (is --expose-gc in the runtime's v8Flags?)`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mark = trace.linesFrom(from).find((l) => l.testing && (isolate === undefined || l.isolate === isolate));
    if (mark) return { end: mark.end, isolate: mark.isolate, beforeMb: mark.before, liveMb: mark.after };
    if (Date.now() > deadline) throw new Error(`no "testing" GC line in ${trace.path} within ${timeoutMs} ms of gc()`);
    await sleep(20);
  }
}

export interface IsolateHeap {
  isolate: string;
  gcs: number;
  fullGcs: number;
  /** Highest used heap just before a GC: the peak the heap reached, garbage included, MB. */
  peakBeforeMb: number;
  /** Highest used heap just after any GC (a scavenge leaves old-space garbage in), MB. */
  peakAfterMb: number;
  /** Highest live heap after a full GC, MB (null when the work ran no full GC). */
  peakAfterFullMb: number | null;
  peakCommittedMb: number;
  /**
   * Most a single young-generation GC (scavenge) freed, MB: about the size the young generation reached (V8 sizes it;
   * it fills with short-lived garbage between scavenges), i.e. how much of `peakBeforeMb` was young garbage.
   */
  youngFreedMb: number;
}

export interface WorkerHeap {
  /** The Worker's isolate, its live heap at rest before the work (full GC), its GCs during the work, live after it. */
  worker: IsolateHeap & { liveBeforeMb: number; liveAfterMb: number };
  /** The other isolates of the same workerd during the work (local D1's Durable Object and miniflare's workers). */
  others: IsolateHeap[];
}

function summarise(isolate: string, lines: GcLine[]): IsolateHeap {
  const full = lines.filter((l) => l.full);
  return {
    isolate,
    gcs: lines.length,
    fullGcs: full.length,
    peakBeforeMb: Math.max(0, ...lines.map((l) => l.before)),
    peakAfterMb: Math.max(0, ...lines.map((l) => l.after)),
    peakAfterFullMb: full.length ? Math.max(...full.map((l) => l.after)) : null,
    peakCommittedMb: Math.max(0, ...lines.map((l) => Math.max(l.committedBefore, l.committedAfter))),
    youngFreedMb: Math.max(0, ...lines.filter((l) => !l.full).map((l) => l.before - l.after)),
  };
}

/**
 * Runs `work` between two full-GC marks in the Worker's isolate and summarises its GC lines, with the process's other
 * isolates beside it. The Worker's peak includes the second mark's "before" (the heap right after the work, garbage
 * included), so a work that ends with no GC of its own still shows its heap.
 */
export async function withGcTrace<T>(cdp: Cdp, trace: GcTrace, work: () => Promise<T>, isolate?: string): Promise<{ value: T; heap: WorkerHeap }> {
  const start = await markGc(cdp, trace, isolate);
  const value = await work();
  const stop = await markGc(cdp, trace, start.isolate);
  const during = trace.linesFrom(start.end).filter((l) => l.end <= stop.end);
  const mine = during.filter((l) => l.isolate === start.isolate && l.end < stop.end);
  // The closing mark's "before" is the heap the work left (garbage included); its "after" is not part of the work.
  const w = summarise(start.isolate, mine);
  const worker = { ...w, peakBeforeMb: Math.max(w.peakBeforeMb, stop.beforeMb), liveBeforeMb: start.liveMb, liveAfterMb: stop.liveMb };
  const others = [...new Set(during.filter((l) => l.isolate !== start.isolate).map((l) => l.isolate))]
    .map((iso) => summarise(iso, during.filter((l) => l.isolate === iso)))
    .sort((a, b) => b.peakBeforeMb - a.peakBeforeMb);
  return { value, heap: { worker, others } };
}
