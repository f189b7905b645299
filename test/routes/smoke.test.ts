import { describe, expect, it } from "vitest";
import { call, ingest, makeKey, sessionBody } from "../helpers";

describe("smoke", () => {
  it("health", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
  it("ingest and read", async () => {
    const key = await makeKey("ws1");
    const body = sessionBody();
    const r = await ingest(key, body);
    expect(r.created).toBe(true);
    expect(r.messageCount).toBe(4);
    const again = await ingest(key, body);
    expect(again).toEqual({ ...r, created: false });
    const got = await call(`/api/sessions/${r.id}`, { key });
    expect(got.status).toBe(200);
    const s = await got.json<any>();
    expect(s.messages).toHaveLength(4);
    console.log(got.headers.get("etag"), JSON.stringify(s).slice(0, 300));
    const doc = await call("/openapi.json");
    expect(doc.status).toBe(200);
  });
});
