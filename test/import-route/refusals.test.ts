import { describe, expect, it } from "vitest";
import { call, makeKey } from "../helpers";
import { expectError, expectInvalid, expectKeyRefusals } from "../routes/_support";
import { claudeTranscript } from "../importers/fixtures/claude-code";
import { codexRollout } from "../importers/fixtures/codex";
import { importFile, imported, listAll } from "./support";

describe("POST /api/import — refusals change nothing", () => {
  it("answers 400 naming the line for an empty body, another tool's file and a file with no conversation", async () => {
    const key = await makeKey("imp-bad");
    await expectInvalid(await importFile(key, "claude-code", ""), "line 1");
    await expectInvalid(await importFile(key, "claude-code", codexRollout()), "line 1");
    await expectInvalid(await importFile(key, "codex", "\n\n{\"type\":\"turn_context\",\"payload\":{}}\n"), "line 3");
    await expectInvalid(await importFile(key, "opencode", "not json"), "line 1");
    expect(await listAll(key)).toHaveLength(0);
  });

  it("answers 400 for an unknown format and 415 for a body that is not a file", async () => {
    const key = await makeKey("imp-fmt");
    await expectInvalid(await importFile(key, "cursor", claudeTranscript()), "format");
    await expectError(await importFile(key, "claude-code", claudeTranscript(), "image/png"), 415, "unsupported_media_type");
    expect(await listAll(key)).toHaveLength(0);
  });

  it("answers 413 for a body announced over 100 MiB, before reading it", async () => {
    const key = await makeKey("imp-big");
    const res = await call("/api/import?format=claude-code", {
      method: "POST", key, body: claudeTranscript(), headers: { "content-length": String(100 * 1024 * 1024 + 1), "content-type": "text/plain" },
    });
    await expectError(res, 413, "payload_too_large");
    expect(await listAll(key)).toHaveLength(0);
  });

  it("needs a key with sessions:write", async () => {
    await expectKeyRefusals("imp-sec", "sessions:write", (authorization) =>
      call("/api/import?format=claude-code", { method: "POST", body: claudeTranscript(), headers: authorization ? { authorization } : {} }),
    );
  });

  it("keeps workspaces apart: the same file in two workspaces is two sessions, each invisible to the other", async () => {
    const a = await makeKey("imp-ten-a");
    const b = await makeKey("imp-ten-b");
    const inA = await imported(a, "claude-code", claudeTranscript(), 201);
    const inB = await imported(b, "claude-code", claudeTranscript(), 201);
    expect(inB.sessions[0]!.id).not.toBe(inA.sessions[0]!.id);
    expect((await call(`/api/sessions/${inA.sessions[0]!.id}`, { key: b })).status).toBe(404);
  });
});
