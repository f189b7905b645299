import { describe, expect, it } from "vitest";
import { createSessionRedactor, findSecrets, parseRedactParam } from "../../src/redact/index";
import { NEGATIVES } from "./corpus/negatives";
import { POSITIVES } from "./corpus/positives";

describe("parseRedactParam", () => {
  it("defaults to secrets, reads none and sets in any order", () => {
    expect(parseRedactParam(undefined)).toEqual(["secrets"]);
    expect(parseRedactParam("none")).toEqual([]);
    expect(parseRedactParam("emails,secrets,paths,emails")).toEqual(["secrets", "paths", "emails"]);
  });
  it("refuses unknown kinds, empty items and none mixed with kinds", () => {
    for (const bad of ["", "secret", "secrets,", "none,secrets", "ALL"]) expect(parseRedactParam(bad)).toBeNull();
  });
});

describe("corpus", () => {
  it.each(POSITIVES.map((p) => [`${p.kind} in ${p.context}`, p] as const))("masks %s", (_, p) => {
    const out = createSessionRedactor(["secrets"]).text(p.text);
    expect(out).not.toContain(p.secret);
    expect(out).toContain(`[REDACTED:${p.kind}#1]`);
  });
  it.each(NEGATIVES.map((n) => [n.context, n] as const))("leaves %s alone", (_, n) => {
    expect(findSecrets(n.text)).toEqual([]);
    expect(createSessionRedactor(["secrets"]).text(n.text)).toBe(n.text);
  });
});

describe("placeholders", () => {
  const a = "ghp_a1Z" + "Q8rT2mXyL4Vq8rT2mXyL4Vq8rT2mXyL4Vq8";
  const b = "ghp_a1Z" + "K7pW3nBcJ9Hk7pW3nBcJ9Hk7pW3nBcJ9Hk7";
  it("numbers by first appearance within a session; same secret, same placeholder", () => {
    const r = createSessionRedactor(["secrets"]);
    expect(r.text(`first ${a} then ${b}`)).toBe("first [REDACTED:github_token#1] then [REDACTED:github_token#2]");
    expect(r.text(`again ${b}`)).toBe("again [REDACTED:github_token#2]");
    expect(createSessionRedactor(["secrets"]).text(b)).toBe("[REDACTED:github_token#1]");
  });
  it("masks a context-found secret again where it later appears bare", () => {
    const r = createSessionRedactor(["secrets"]);
    expect(r.text("DB_PASSWORD=Vq8rT2mxL4")).toBe("DB_PASSWORD=[REDACTED:password#1]");
    expect(r.text("login failed for Vq8rT2mxL4")).toBe("login failed for [REDACTED:password#1]");
  });
  it("paths and emails only on request", () => {
    const s = "cd /Users/alice/app && git config user.email alice@acme.io";
    expect(createSessionRedactor(["secrets"]).text(s)).toBe(s);
    expect(createSessionRedactor(["paths", "emails"]).text(s)).toBe(
      "cd /Users/<user>/app && git config user.email [REDACTED:email#1]",
    );
    expect(createSessionRedactor(["paths"]).text("C:\\Users\\bob\\x /home/carol/y")).toBe("C:\\Users\\<user>\\x /home/<user>/y");
  });
});

describe("identity for kinds = []", () => {
  it("returns inputs unchanged, byte for byte", () => {
    const r = createSessionRedactor([]);
    const obj = { password: "Vq8rT2mxL4" };
    for (const p of POSITIVES) expect(r.text(p.text)).toBe(p.text);
    expect(r.toolArguments(obj)).toBe(obj);
    expect(r.toolArguments('{"password": "Vq8rT2mxL4"}')).toBe('{"password": "Vq8rT2mxL4"}');
  });
});

describe("toolArguments", () => {
  const token = "ghp_a1Z" + "Q8rT2mXyL4Vq8rT2mXyL4Vq8rT2mXyL4Vq8";
  it("object: same shape and keys, string values redacted, nested arrays and objects", () => {
    const r = createSessionRedactor(["secrets"]);
    const args = { command: `GITHUB_TOKEN=${token} gh pr list`, env: { DB_PASSWORD: "Vq8rT2mxL4", n: 3 }, list: [{ apiKey: "a8f3c1d9e7b2460f9c1d3e5a7b9f2c4d" }, true] };
    const out = r.toolArguments(args);
    expect(out).toEqual({
      command: "GITHUB_TOKEN=[REDACTED:github_token#1] gh pr list",
      env: { DB_PASSWORD: "[REDACTED:password#1]", n: 3 },
      list: [{ apiKey: "[REDACTED:api_key#1]" }, true],
    });
    expect(args.env.DB_PASSWORD).toBe("Vq8rT2mxL4"); // input untouched
  });
  it("JSON string: still valid JSON, redacted inside; unchanged strings byte-exact", () => {
    const r = createSessionRedactor(["secrets"]);
    const raw = JSON.stringify({ headers: { Authorization: `Bearer ${token}` }, path: "a.ts" }, null, 2);
    const out = r.toolArguments(raw) as string;
    expect(JSON.parse(out)).toEqual({ headers: { Authorization: "Bearer [REDACTED:github_token#1]" }, path: "a.ts" });
    const clean = '{ "path":  "src/a.ts" }';
    expect(r.toolArguments(clean)).toBe(clean);
  });
  it("invalid JSON string and other values", () => {
    const r = createSessionRedactor(["secrets"]);
    expect(r.toolArguments(`{"cmd": "echo ${token}"`)).toBe('{"cmd": "echo [REDACTED:github_token#1]"');
    expect(r.toolArguments(42)).toBe(42);
    expect(r.toolArguments(null)).toBe(null);
  });
});

describe("findSecrets", () => {
  it("reports spans without changing anything", () => {
    const s = "key: AKIA" + "QYLPMN5HHHFPZAM2 ok";
    expect(findSecrets(s)).toEqual([{ start: 5, end: 25, kind: "aws_access_key_id" }]);
    expect(findSecrets("mail a@acme.io", ["emails"])).toEqual([{ start: 5, end: 14, kind: "email" }]);
  });
});
