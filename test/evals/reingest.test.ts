import { describe, expect, it } from "vitest";
import { call, ingest, sessionBody } from "../helpers";
import { getSession, labelsOf, listIds, markReady, patchEval, workspaceKey, type Json } from "./helpers";

const extraMessages = [
  { externalId: "m5", role: "user", content: "Thanks, and the logout page?" },
  { externalId: "m6", role: "assistant", content: "Same fix: clear the cookie before redirecting." },
];

describe("re-ingesting a labelled session", () => {
  it("keeps every label and appends the new messages", async () => {
    const { key } = await workspaceKey();
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const patched = await patchEval(key, id, {
      evalReady: true,
      evalStatus: "golden",
      evalNotes: "Reference answer.",
      evalTags: ["auth", "redirect"],
      expectedOutput: "Clear the cookie.",
    });
    expect(patched.status).toBe(200);
    const labels = await labelsOf(key, id);
    expect(labels.reviewedAt).toEqual(expect.any(Number));

    const res = await call("/api/sessions", {
      method: "POST",
      key,
      json: { ...body, messages: [...body.messages, ...extraMessages] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, created: false, messageCount: 6 });

    const got = await getSession(key, id);
    expect(await labelsOf(key, id)).toEqual(labels);
    expect(got.body.messages.map((m: Json) => m.externalId)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6"]);
    expect(got.body.messages[5].content).toBe(extraMessages[1]!.content);
    expect(got.body.messageCount).toBe(6);
    // The tag index and the eval views still see it.
    expect(await listIds(key, "/api/sessions?tag=auth&tag=redirect")).toEqual([id]);
    expect(await listIds(key, "/api/evals?status=golden&tag=auth")).toEqual([id]);
  });

  it("a resend of only the messages (no eval fields, no metadata) keeps labels set through /evals/ready too", async () => {
    const { key } = await workspaceKey();
    const body = sessionBody();
    const { id } = await ingest(key, body);
    await markReady(key, { sessionIds: [id] });
    await ingest(key, { externalId: body.externalId, messages: [...body.messages, ...extraMessages] });
    const labels = await labelsOf(key, id);
    expect(labels).toEqual({
      evalReady: true,
      evalStatus: "needs_review",
      evalNotes: null,
      evalTags: [],
      expectedOutput: null,
      reviewedAt: null,
    });
  });

  it("re-sending the exact same body changes nothing: same ETag, same labels, same messages", async () => {
    const { key } = await workspaceKey();
    const body = sessionBody();
    const { id } = await ingest(key, body);
    await patchEval(key, id, { evalStatus: "correct", evalTags: ["x"] });
    const before = await getSession(key, id);

    const again = await ingest(key, body);
    expect(again).toMatchObject({ id, created: false, messageCount: 4 });
    const after = await getSession(key, id);
    expect(after.etag).toBe(before.etag);
    expect(after.body).toEqual(before.body);

    // The ETag read before the resend is still good for If-Match.
    expect((await patchEval(key, id, { evalNotes: "still fresh" }, before.etag!)).status).toBe(200);
  });

  it("re-sending the same longer body twice: the first changes the ETag, the second does not", async () => {
    const { key } = await workspaceKey();
    const body = sessionBody();
    const { id } = await ingest(key, body);
    await patchEval(key, id, { evalStatus: "golden" });
    const v1 = (await getSession(key, id)).etag;
    const longer = { ...body, messages: [...body.messages, ...extraMessages] };
    await ingest(key, longer);
    const v2 = (await getSession(key, id)).etag;
    expect(v2).not.toBe(v1);
    await ingest(key, longer);
    expect((await getSession(key, id)).etag).toBe(v2);
  });

  it("a stale ETag after a real resend answers 412 on PATCH", async () => {
    const { key } = await workspaceKey();
    const body = sessionBody();
    const { id } = await ingest(key, body);
    const before = (await getSession(key, id)).etag!;
    await ingest(key, { ...body, title: "A new title" });
    const res = await patchEval(key, id, { evalStatus: "golden" }, before);
    expect(res.status).toBe(412);
    expect((await labelsOf(key, id)).evalStatus).toBe("needs_review");
  });
});
