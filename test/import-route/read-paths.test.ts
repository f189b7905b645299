import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeKey } from "../helpers";
import { longTranscript } from "../importers/fixtures/claude-code";
import { importFile, type ImportAnswer } from "./support";

/** A transcript of ~1.4 MB with 2-, 3- and 4-byte characters in every tool output: several 256 KiB reads. */
const text = longTranscript(300, 4000).replaceAll("xxxxxxxxxx", "é€😀xxxxxx");
const bytes = new TextEncoder().encode(text);

/** The bytes in `piece`-sized chunks (splitting multi-byte characters), as a default or a byte stream. */
function stream(piece: number, type?: "bytes"): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    ...(type ? { type } : {}),
    pull(controller) {
      if (at >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  } as UnderlyingDefaultSource<Uint8Array>);
}

async function stored(workspace: string, body: BodyInit): Promise<string[]> {
  const key = await makeKey(workspace);
  const res = await importFile(key, "claude-code", body, "application/x-ndjson");
  const answer = (await res.json()) as ImportAnswer;
  expect(res.status, JSON.stringify(answer)).toBe(201);
  const id = answer.sessions[0]!.id;
  const rows = await env.DB.prepare("SELECT content FROM messages WHERE session_id = ? ORDER BY seq").bind(id).all<{ content: string }>();
  return rows.results.map((r) => r.content);
}

describe("the body is read the same whatever stream it comes in", () => {
  it("stores the same messages from a request body, a byte stream and a default stream, multi-byte characters split across chunks", async () => {
    const whole = await stored("read-whole", text);
    expect(whole.length).toBe(1200);
    expect(whole[2]).toContain("é€😀");
    expect(await stored("read-bytes", stream(1001, "bytes"))).toEqual(whole);
    expect(await stored("read-default", stream(4093))).toEqual(whole);
  });
});
