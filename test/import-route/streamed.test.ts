import { describe, expect, it } from "vitest";
import { makeKey } from "../helpers";
import { expectError } from "../routes/_support";
import { longTranscript } from "../importers/fixtures/claude-code";
import { importFile, listAll, readSession, type ImportAnswer } from "./support";

const MiB = 1024 * 1024;

/** A body streamed in `piece`-byte chunks with no Content-Length (chunked), as a pipe into curl -T - sends it. */
function streamed(head: string, fillerBytes = 0, piece = 256 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(head);
  // Filler: copies of the transcript's first line, skipped as duplicates once parsed.
  const line = new TextEncoder().encode(`${head.slice(0, head.indexOf("\n"))}\n`);
  const block = new Uint8Array(Math.floor(piece / line.byteLength) * line.byteLength);
  for (let o = 0; o < block.byteLength; o += line.byteLength) block.set(line, o);
  let offset = 0;
  let filled = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset < bytes.byteLength) {
        controller.enqueue(bytes.slice(offset, offset + piece));
        offset += piece;
      } else if (filled < fillerBytes) {
        controller.enqueue(block);
        filled += block.byteLength;
      } else controller.close();
    },
  });
}

describe("POST /api/import — a body streamed without Content-Length", () => {
  it("is imported whole: every chunk held back until the end is written, in order", async () => {
    const key = await makeKey("imp-stream");
    const turns = 700; // 2,800 messages: more than one flushed chunk goes through the spool
    const res = await importFile(key, "claude-code", streamed(longTranscript(turns)));
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const out = JSON.parse(text) as ImportAnswer;
    expect(out.sessions[0]!.messageCount).toBe(turns * 4);
    const { body } = await readSession(key, out.sessions[0]!.id);
    expect(body.messages).toHaveLength(turns * 4);
    expect(body.messages.every((m: any, i: number) => m.seq === i)).toBe(true);
    expect(body.messages[4 * 650 + 3].content).toBe("Answer 650");
  });

  it("passing 100 MiB mid-stream is a 413 and stores nothing, although chunks were parsed before the limit", async () => {
    const key = await makeKey("imp-stream-big");
    const res = await importFile(key, "claude-code", streamed(longTranscript(700), 100 * MiB));
    await expectError(res, 413, "payload_too_large");
    expect(await listAll(key)).toHaveLength(0);
  }, 60_000); // streams 100 MiB through the Worker: seconds alone, longer beside the other test files
});
