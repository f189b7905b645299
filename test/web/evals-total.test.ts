/**
 * The Evals view's total ("N eval-ready sessions match", its pages) comes from its chart's status counts, not from
 * a count of its own: over a grid of views it must equal the API's `total` for the same filters.
 */
import { describe, expect, it } from "vitest";
import { call, sessionBody } from "../helpers";
import { signedIn } from "./_support";

const SIZE = 25;
const STATUSES = ["golden", "correct", "incorrect", "needs_review"] as const;

describe("Evals view total", () => {
  it("equals GET /api/sessions?evalReady=true's total for statuses, tags, search, source, model, reviewed and their mixes", async () => {
    const { key, browser: b } = await signedIn("evals-total");
    const bodies = Array.from({ length: 80 }, (_, i) =>
      sessionBody({
        title: i % 3 ? `otter ${i}` : `seal ${i}`,
        evalReady: i % 7 !== 0,
        evalStatus: STATUSES[i % 4],
        evalTags: [i % 2 ? "auth" : "sql", ...(i % 5 === 0 ? ["flaky"] : [])],
        source: i % 4 === 1 ? "codex" : "claude-code",
        model: i % 3 === 2 ? "o3" : "claude-sonnet-4",
      }),
    );
    const res = await call("/api/sessions/batch", { method: "POST", key, json: { sessions: bodies } });
    expect(res.status).toBe(200);
    // Some reviewed: a label change sets reviewedAt.
    const listed = (await (await call("/api/evals?limit=200", { key })).json()) as { sessions: { id: string }[] };
    for (const s of listed.sessions.slice(0, 9)) {
      expect((await call(`/api/sessions/${s.id}/eval`, { method: "PATCH", key, json: { evalNotes: "seen" } })).status).toBe(200);
    }
    const views = [
      "",
      "status=golden",
      "status=golden&status=incorrect",
      "tag=auth",
      "tag=auth&tag=flaky",
      "tag=sql&status=correct&reviewed=true",
      "q=otter",
      "q=otter&status=needs_review",
      "q=seal&tag=sql",
      "source=codex",
      "source=codex&model=o3&status=golden",
      "reviewed=false",
      "reviewed=true&status=golden&status=correct&status=incorrect&status=needs_review",
      "q=nothingmatches",
    ];
    for (const v of views) {
      const api = (await (await call(`/api/sessions?evalReady=true&${v}`, { key })).json()) as { total: number };
      const page = await b.get(`/evals?${v}`);
      expect(page.status, v).toBe(200);
      const shown = /data-total="(\d+)"/.exec(page.text)?.[1];
      expect(Number(shown), `/evals?${v}`).toBe(api.total);
    }
    // A page past the last answers the last page, whose number follows from the same total.
    const api = (await (await call("/api/sessions?evalReady=true&tag=auth", { key })).json()) as { total: number };
    const pages = Math.ceil(api.total / SIZE);
    expect(pages).toBeGreaterThan(1);
    const last = await b.get(`/evals?tag=auth&size=${SIZE}&page=99`);
    expect(last.status).toBe(200);
    expect(last.text).toContain(`data-total="${api.total}"`);
    expect(last.text).toContain(`Page ${pages} of ${pages}`);
  });
});
