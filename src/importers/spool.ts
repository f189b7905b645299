import { ApiError } from "../lib/errors";
import type { ImportedSession } from "./types";

/**
 * Chunks of parsed sessions held back, deflated in memory, until the whole body has been read: a body sent without
 * Content-Length may pass the limit after its first chunks were parsed, and a refused import must write nothing.
 * Parsed chunks carry no image data and no more than 1 MiB per message, and transcripts deflate well (every line
 * repeats the session's ids and paths), so a 50 MB transcript is held in a few MB; past `maxBytes` compressed
 * the import is refused rather than risk the Worker's memory.
 */
export class SessionSpool {
  private readonly stream = new CompressionStream("deflate-raw");
  private readonly input = this.stream.writable.getWriter();
  private readonly chunks: BufferSource[] = [];
  private readonly collected: Promise<void>;
  private readonly encoder = new TextEncoder();
  private size = 0;
  /** Chunks of sessions added. */
  records = 0;

  constructor(private readonly maxBytes: number) {
    const reader = this.stream.readable.getReader();
    this.collected = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        this.chunks.push(value);
        this.size += value.byteLength;
      }
    })();
    // A refused import abandons the spool; its failure must not surface as an unhandled rejection.
    this.collected.catch(() => undefined);
  }

  /** Compressed bytes held so far. */
  get bytes(): number {
    return this.size;
  }

  async add(sessions: ImportedSession[]): Promise<void> {
    if (sessions.length === 0) return;
    // JSON escapes every newline inside strings: one record per line.
    await this.input.write(this.encoder.encode(`${JSON.stringify(sessions)}\n`));
    this.records++;
    if (this.size > this.maxBytes) {
      await this.input.abort().catch(() => undefined);
      throw new ApiError(
        "payload_too_large",
        `This transcript, sent without Content-Length, holds more than ${this.maxBytes / (1024 * 1024)} MiB that does not compress; send it with Content-Length (curl --data-binary does), or split it.`,
      );
    }
  }

  /** Ends the input and hands back each chunk of sessions in the order added, freeing memory as it goes. */
  async *replay(): AsyncGenerator<ImportedSession[]> {
    await this.input.close();
    await this.collected;
    const chunks = this.chunks;
    const source = new ReadableStream<BufferSource>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const reader = source.pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    const decoder = new TextDecoder();
    let parts: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      let start = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        parts.push(text.slice(start, nl));
        const record = parts.join("");
        parts = [];
        yield JSON.parse(record) as ImportedSession[];
        start = nl + 1;
      }
      if (start < text.length) parts.push(text.slice(start));
    }
  }
}
