import { afterEach, describe, expect, it, vi } from "vitest";
import { FORMAT_SPECS, type Encoder } from "../../src/export/encoders";
import type { ExportSession } from "../../src/export/model";
import { exportStream } from "../../src/export/stream";
import { asst, session, user } from "../export/fixtures";
import { bodyText, exportCall, exportOk, ingestMany, parseOpenAi, smallSessions, workspaceKey } from "./support";

type Outcome = "complete" | "cancelled" | "failed";

/** A source the test drives: it yields `groups` and records every next() and whether it was closed (finally ran). */
function source(groups: ExportSession[][], opts: { failAfter?: number; gate?: Promise<void> } = {}) {
  const log = { nexts: 0, closed: false };
  async function* gen(): AsyncGenerator<ExportSession[]> {
    try {
      for (let i = 0; i < groups.length; i++) {
        if (opts.failAfter !== undefined && i >= opts.failAfter) throw new Error("D1 went away");
        if (opts.gate && i > 0) await opts.gate;
        yield groups[i]!;
      }
      if (opts.failAfter !== undefined && opts.failAfter >= groups.length) throw new Error("D1 went away");
    } finally {
      log.closed = true;
    }
  }
  const it = gen();
  const counting: AsyncGenerator<ExportSession[]> = {
    next: (...args) => {
      log.nexts++;
      return it.next(...args);
    },
    return: (value) => it.return(value),
    throw: (err) => it.throw(err),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { gen: counting, log };
}

const s = (n: number) => session([user(`q${n}`), asst(`a${n}`)], { id: `ses_${n}`, externalId: `ext_${n}` });
const groups = (count: number, per = 2) => Array.from({ length: count }, (_, g) => Array.from({ length: per }, (_, i) => s(g * per + i)));
const decoder = () => new TextDecoder();
const tick = () => new Promise((r) => setTimeout(r, 0));

function outcomes() {
  const calls: [Outcome, unknown][] = [];
  return { calls, onDone: (outcome: Outcome, error?: unknown) => void calls.push([outcome, error]) };
}

/** Reads a stream to its end, or to its error; returns the text and how it ended. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number; error?: unknown }> {
  const reader = stream.getReader();
  const d = decoder();
  let text = "";
  let chunks = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, chunks };
      expect(value.byteLength).toBeGreaterThan(0);
      chunks++;
      text += d.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, chunks, error };
  }
}

describe("exportStream", () => {
  it("reads nothing until the consumer reads, then one group per chunk", async () => {
    const src = source(groups(3));
    const done = outcomes();
    const stream = exportStream(src.gen, FORMAT_SPECS.deepeval.createEncoder(), done);
    await tick();
    expect(src.log.nexts).toBe(0);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(decoder().decode(first.value)).toMatch(/^\[\n\{"input":"q0"/);
    await tick();
    expect(src.log.nexts).toBe(1);
    reader.releaseLock();
    const rest = await drain(stream);
    expect(rest.chunks).toBe(3); // two more groups, then the closing "]"
    expect(JSON.parse(decoder().decode(first.value) + rest.text)).toHaveLength(6);
    expect(done.calls).toEqual([["complete", undefined]]);
  });

  it("sends a large group in chunks of about 64 KiB, never splitting a session, reading the group once", async () => {
    const big = (n: number) => session([user(`q${n}`), asst("x".repeat(10_000))], { id: `ses_b${n}`, externalId: `ext_b${n}` });
    const src = source([Array.from({ length: 40 }, (_, i) => big(i))]); // ~400 KB of text in one D1 group
    const stream = exportStream(src.gen, FORMAT_SPECS.openai.createEncoder());
    const reader = stream.getReader();
    const sizes: number[] = [];
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.byteLength);
      text += new TextDecoder().decode(value);
    }
    expect(src.log.nexts).toBe(2); // the group, then the end
    expect(sizes.length).toBeGreaterThan(4);
    for (const size of sizes) expect(size).toBeLessThan(64 * 1024 + 11_000);
    const lines = parseOpenAi(text);
    expect(lines).toHaveLength(40);
  });

  it("keeps pulling past groups that encode to nothing, never sending an empty chunk", async () => {
    const silent = [session([user("no reply")], { id: "ses_silent" })];
    const src = source([silent, silent, groups(1)[0]!, silent]);
    const { text, chunks } = await drain(exportStream(src.gen, FORMAT_SPECS.openai.createEncoder()));
    expect(chunks).toBe(1);
    expect(parseOpenAi(text)).toHaveLength(2);
  });

  it("aborts on a failure after the first byte: the reader errors, and the dataset is never closed", async () => {
    const src = source(groups(3), { failAfter: 1 });
    const done = outcomes();
    const reader = exportStream(src.gen, FORMAT_SPECS.deepeval.createEncoder(), done).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const text = decoder().decode(first.value);
    expect(text.startsWith("[")).toBe(true);
    await expect(reader.read()).rejects.toThrow("D1 went away");
    expect(text.trimEnd().endsWith("]")).toBe(false);
    expect(() => JSON.parse(text)).toThrow();
    expect(done.calls.map((c) => c[0])).toEqual(["failed"]);
    expect(String(done.calls[0]![1])).toContain("D1 went away");
  });

  it.each(["deepeval-jsonl", "openai", "text"] as const)("%s: a failure after the first byte errors the stream too", async (format) => {
    const src = source(groups(3), { failAfter: 2 });
    const result = await drain(exportStream(src.gen, FORMAT_SPECS[format].createEncoder()));
    expect(result.chunks).toBe(2);
    expect(String(result.error)).toContain("D1 went away");
  });

  it("a failure before any byte errors the stream: never an empty dataset that looks complete", async () => {
    const src = source(groups(2), { failAfter: 0 });
    const result = await drain(exportStream(src.gen, FORMAT_SPECS.deepeval.createEncoder()));
    expect(result.text).toBe("");
    expect(String(result.error)).toContain("D1 went away");
  });

  it("an encoder failure errors the stream and closes the source", async () => {
    const src = source(groups(3));
    const real = FORMAT_SPECS.openai.createEncoder();
    let sessions = 0;
    const failing: Encoder = {
      begin: () => real.begin(),
      session: (x) => {
        if (++sessions > 2) throw new Error("encoder broke");
        return real.session(x);
      },
      end: () => real.end(),
    };
    const done = outcomes();
    const result = await drain(exportStream(src.gen, failing, done));
    expect(result.chunks).toBe(1);
    expect(String(result.error)).toContain("encoder broke");
    expect(done.calls.map((c) => c[0])).toEqual(["failed"]);
    await tick();
    expect(src.log.closed).toBe(true);
    expect(src.log.nexts).toBe(2);
  });

  it("a cancelled stream closes the source and reads no further", async () => {
    const src = source(groups(5));
    const done = outcomes();
    const reader = exportStream(src.gen, FORMAT_SPECS.deepeval.createEncoder(), done).getReader();
    expect((await reader.read()).done).toBe(false);
    await expect(reader.cancel()).resolves.toBeUndefined();
    await tick();
    expect(src.log.closed).toBe(true);
    expect(src.log.nexts).toBe(1);
    expect(done.calls).toEqual([["cancelled", undefined]]);
  });

  it("a cancel while a read is in flight ends as cancelled, once, without touching the cancelled stream", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const src = source(groups(4), { gate });
    const done = outcomes();
    const reader = exportStream(src.gen, FORMAT_SPECS.deepeval.createEncoder(), done).getReader();
    await reader.read();
    const pending = reader.read(); // pulls the second group, which waits at the gate
    await tick();
    const cancelled = reader.cancel();
    open();
    await expect(cancelled).resolves.toBeUndefined();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    for (let i = 0; i < 5; i++) await tick();
    expect(src.log.closed).toBe(true);
    expect(src.log.nexts).toBe(2);
    expect(done.calls).toEqual([["cancelled", undefined]]);
  });
});

describe("GET /api/export streams", () => {
  afterEach(() => vi.restoreAllMocks());

  /** The export log lines (console.log JSON with event "export") of one request id. */
  function exportLogs(spy: { mock: { calls: unknown[][] } }, requestId: string | null): Record<string, unknown>[] {
    return spy.mock.calls
      .map((args) => {
        try {
          return JSON.parse(String(args[0])) as Record<string, unknown>;
        } catch {
          return null;
        }
      })
      .filter((l): l is Record<string, unknown> => l !== null && l.event === "export" && l.requestId === requestId);
  }

  it("sends the first chunk before the export is produced, and a cancel stops it", async () => {
    const { key } = await workspaceKey("stream");
    await ingestMany(key, smallSessions(300));
    const full = (await exportOk(key, "format=openai")).body;
    const spy = vi.spyOn(console, "log");
    const res = await exportCall(key, "format=openai");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-export-sessions")).toBe("300");
    const requestId = res.headers.get("x-request-id");
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const chunk = decoder().decode(first.value);
    expect(chunk.length).toBeGreaterThan(0);
    expect(chunk.length).toBeLessThan(full.length);
    expect(full.startsWith(chunk)).toBe(true);
    // The export has not run to its end: its one log line comes when it ends.
    expect(exportLogs(spy, requestId).filter((l) => l.outcome === "complete")).toEqual([]);
    await expect(reader.cancel()).resolves.toBeUndefined();
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 10));
    expect(exportLogs(spy, requestId).filter((l) => l.outcome === "complete")).toEqual([]);
  });

  it("logs one line per finished export, with its sessions and D1 figures, and no content", async () => {
    const { key, ws } = await workspaceKey("log");
    await ingestMany(key, smallSessions(3));
    const spy = vi.spyOn(console, "log");
    const res = await exportCall(key, "format=text");
    const body = await bodyText(res);
    const lines = exportLogs(spy, res.headers.get("x-request-id"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: "export", workspace: ws, format: "text", sessions: 3, outcome: "complete" });
    expect(lines[0]!.rowsRead).toEqual(expect.any(Number));
    expect(lines[0]!.queries).toEqual(expect.any(Number));
    expect(JSON.stringify(lines[0])).not.toContain("question");
    expect(JSON.stringify(lines[0])).not.toContain(key);
    expect(body).toContain("question 0");
  });
});

describe("compression", () => {
  // The Worker never sets Content-Encoding itself: Cloudflare (and wrangler dev, emulating it) gzip application/json
  // and text/plain for clients that accept it, and a Worker only sees a normalised Accept-Encoding, so forcing gzip
  // on application/x-ndjson would send compressed bytes to clients that never asked for them.
  it("leaves the encoding to the platform for every format, whatever Accept-Encoding says", async () => {
    const { key } = await workspaceKey("gzip");
    await ingestMany(key, smallSessions(40));
    for (const format of ["deepeval", "deepeval-jsonl", "openai", "text"] as const) {
      const plain = await exportCall(key, `format=${format}`);
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(plain.headers.get("vary")).toMatch(/accept-encoding/i);
      const plainText = await bodyText(plain);
      for (const accept of ["gzip, deflate, br", "identity", "gzip;q=0"]) {
        const res = await exportCall(key, `format=${format}`, { "accept-encoding": accept });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-encoding"), `${format} ${accept}`).toBeNull();
        expect(res.headers.get("x-export-sessions")).toBe("40");
        expect(await bodyText(res)).toBe(plainText);
      }
    }
  });
});
