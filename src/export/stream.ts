import type { Encoder } from "./encoders";
import type { ExportSession } from "./model";

type Outcome = "complete" | "cancelled" | "failed";

/**
 * Wires a source of session groups through an encoder into a pull-based byte stream (highWaterMark 0): nothing
 * is read from D1 until the client reads, a cancelled download stops the reads, and a failure after the first
 * byte errors the stream — the client sees a broken transfer, never a clean end of a truncated dataset.
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
          let text = started ? "" : encoder.begin();
          started = true;
          // Keep pulling groups until there is something to send: a group may encode to nothing.
          for (;;) {
            const next = await source.next();
            // Cancelled while D1 answered: the stream is closed, its controller must not be touched again.
            if (ended) return;
            if (next.done) {
              text += encoder.end();
              if (text) controller.enqueue(utf8.encode(text));
              controller.close();
              end("complete");
              return;
            }
            for (const s of next.value) text += encoder.session(s);
            if (text) {
              controller.enqueue(utf8.encode(text));
              return;
            }
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
        await source.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
