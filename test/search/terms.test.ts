import { describe, expect, it } from "vitest";
import { nextTags } from "../../src/evals/bulk-label";
import { ftsString, parseSearch, searchTerms } from "../../src/sessions/search";
import { clientBucket } from "../../src/auth/admin-failures";

describe("searchTerms / ftsString (pure)", () => {
  it("splits words and quoted phrases, dropping terms with nothing to index", () => {
    expect(searchTerms('login  "redirect loop" Auth')).toEqual(["login", "redirect loop", "Auth"]);
    expect(searchTerms('"unclosed phrase here')).toEqual(["unclosed phrase here"]);
    expect(searchTerms("%% -- ** a.ts")).toEqual(["a.ts"]);
    expect(searchTerms('""  " "')).toEqual([]);
    expect(searchTerms("naïve 東京")).toEqual(["naïve", "東京"]);
  });

  it("quotes every term so FTS5 syntax typed by a user is only text", () => {
    expect(ftsString("a")).toBe('"a"');
    expect(ftsString('say "hi"')).toBe('"say ""hi"""');
    expect(parseSearch("NEAR(a b) OR title:x *")).toEqual(['"NEAR(a"', '"b)"', '"OR"', '"title:x"']);
  });

  it("a q with nothing searchable, or too many terms, is a 400 naming q", () => {
    for (const q of ["%", '""', "a ".repeat(13)]) {
      try {
        parseSearch(q);
        throw new Error("no error");
      } catch (err) {
        expect((err as { code?: string }).code).toBe("invalid_request");
        expect((err as { details?: { path: string }[] }).details?.[0]?.path).toBe("q");
      }
    }
  });
});

describe("nextTags (pure)", () => {
  it("removes, then appends missing tags in order, keeping the existing order", () => {
    expect(nextTags(["a", "b", "c"], ["d", "a", "e"], ["b"])).toEqual(["a", "c", "d", "e"]);
    expect(nextTags([], ["x"], ["y"])).toEqual(["x"]);
    expect(nextTags(["A"], ["a"])).toEqual(["A", "a"]); // case-sensitive, as evalTags are
    expect(nextTags(["a"])).toEqual(["a"]);
  });
});

describe("clientBucket (pure)", () => {
  it("counts IPv4 per address, IPv6 per /64, and no header in one bucket", () => {
    expect(clientBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(clientBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientBucket("2001:0db8:0001:0002:ffff:0:0:2")).toBe("2001:db8:1:2::/64");
    expect(clientBucket("::1")).toBe("0:0:0:0::/64");
    expect(clientBucket(undefined)).toBe("unknown");
    expect(clientBucket(" ")).toBe("unknown");
  });
});
