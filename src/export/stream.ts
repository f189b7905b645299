import type { Encoder } from "./encoders";
import type { ExportSession } from "./model";

type Outcome = "complete" | "cancelled" | "failed";

/**
 * Output is sent in chunks of about this many characters. A chunk ends on a piece boundary (an encoder's piece is
 * at most one message's text), so a long session's output is spread over many chunks.
 */
const CHUNK_CHARS = 64 * 1024;

/**
 * Wires a source of session groups through an encoder into a pull-based byte stream (highWaterMark 0): nothing
 * is read from D1 until the client reads, a cancelled download stops the reads, and a failure after the first
 * byte errors the stream — the client sees a broken transfer, never a clean end of a truncated dataset.
 * Memory is one group of sessions plus one chunk: the encoder's pieces are pulled only as far as the chunk needs,
 * so even a session whose output is hundreds of megabytes never exists as a whole.
 * `onDone` is called exactly once, with the first way the export ended.
 */
export function exportStream(
  source: AsyncGenerator<ExportSession[]>,
  encoder: Encoder,
  hooks: { onDone?: (outcome: Outcome, error?: unknown) => void } = {},
): ReadableStream<Uint8Array> {
  const utf8 = new TextEncoder();
  let started = false;
  let ended = false;
  // The group D1 gave last, how far into it the encoder has got, and the pieces of the session being written.
  let group: (ExportSession | undefined)[] = [];
  let at = 0;
  let pieces: Iterator<string> | null = null;
  const end = (outcome: Outcome, error?: unknown): boolean => {
    if (ended) return false;
    ended = true;
    hooks.onDone?.(outcome, error);
    return true;
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // The opening ("[") waits for the first session's text, so a failure before it sends no byte at all.
          let text = "";
          const send = (more = "") => {
            const head = started ? "" : encoder.begin();
            started = true;
            controller.enqueue(utf8.encode(head + text + more));
          };
          for (;;) {
            while (pieces || at < group.length) {
              if (!pieces) {
                pieces = encoder.session(group[at]!)[Symbol.iterator]();
                group[at++] = undefined; // the encoder holds the session now; let it go when its pieces are done
              }
              for (let piece = pieces.next(); !piece.done; piece = pieces.next()) {
                text += piece.value;
                if (text.length >= CHUNK_CHARS) return send();
              }
              pieces = null;
            }
            // The group is done: send what it gave now rather than wait on D1 for the next one.
            if (text) return send();
            // Nothing yet (a group may encode to nothing): pull the next group.
            const next = await source.next();
            // Cancelled while D1 answered: the stream is closed, its controller must not be touched again.
            if (ended) return;
            if (next.done) {
              const tail = encoder.end();
              if (!started || tail) send(tail);
              controller.close();
              end("complete");
              return;
            }
            group = [...next.value]; // our own copy: its slots are cleared as sessions are encoded
            at = 0;
          }
        } catch (err) {
          if (!end("failed", err)) return;
          controller.error(err);
          // The failure may be the encoder's: close the source too, so it reads nothing further.
          await source.return(undefined).catch(() => undefined);
        }
      },
      async cancel() {
        if (!end("cancelled")) return;
        pieces?.return?.();
        await source.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
