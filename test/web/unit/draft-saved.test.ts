/** Drafts and a confirmed save: a draft typed before the save goes, one typed on the saved version stays. */
import { describe, expect, it } from "vitest";
import { draftDecision, draftSurvivesSave, type Draft } from "../../../src/web/client/draft";

const values = { evalStatus: "golden", evalReady: true, evalTags: ["a"], evalNotes: "typed after the save", expectedOutput: "" };
const draft = (etag: string): Draft => ({ values, etag, savedAt: 1 });

describe("draftSurvivesSave", () => {
  it("keeps a draft started from the version the save produced, drops one from before it", () => {
    expect(draftSurvivesSave(draft('"v4"'), '"v4"')).toBe(true);
    expect(draftSurvivesSave(draft('"v3"'), '"v4"')).toBe(false);
  });
  it("drops it when the saved version is not known, and there is nothing to keep without a draft", () => {
    expect(draftSurvivesSave(draft('"v4"'), undefined)).toBe(false);
    expect(draftSurvivesSave(draft('"v4"'), "")).toBe(false);
    expect(draftSurvivesSave(null, '"v4"')).toBe(false);
  });
  it("with the page's decision: a surviving draft is offered back instead of cleared", () => {
    const shown = { ...values, evalNotes: "" };
    const d = draft('"v4"');
    expect(draftDecision(d, shown, !draftSurvivesSave(d, '"v4"'))).toBe("offer");
    expect(draftDecision(draft('"v3"'), shown, !draftSurvivesSave(draft('"v3"'), '"v4"'))).toBe("clear");
  });
});
