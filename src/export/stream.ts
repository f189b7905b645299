import type { Encoder } from "./encoders";
import type { ExportSession } from "./model";

/**
 * Wires a source of session groups through an encoder into a pull-based byte stream (highWaterMark 0): nothing
 * is read from D1 until the client reads, a cancelled download stops the reads, and a failure after the first
 * byte errors the stream — the client sees a broken transfer, never a clean end of a truncated dataset.
 */
export function exportStream(
  source: AsyncGenerator<ExportSession[]>,
  encoder: Encoder,
  hooks: { onDone?: (outcome: "complete" | "cancelled" | "failed", error?: unknown) => void } = {},
): ReadableStream<Uint8Array> {
  const utf8 = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let text = started ? "" : encoder.begin();
          started = true;
          // Keep pulling groups until there is something to send: a group may encode to nothing.
          for (;;) {
            const next = await source.next();
            if (next.done) {
              text += encoder.end();
              if (text) controller.enqueue(utf8.encode(text));
              controller.close();
              hooks.onDone?.("complete");
              return;
            }
            for (const s of next.value) text += encoder.session(s);
            if (text) {
              controller.enqueue(utf8.encode(text));
              return;
            }
          }
        } catch (err) {
          hooks.onDone?.("failed", err);
          controller.error(err);
        }
      },
      async cancel() {
        await source.return(undefined);
        hooks.onDone?.("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}
