/**
 * Redaction end to end (issue 12, API.md "Redaction"): sessions holding real-shaped secrets in every field an export
 * shows, exported through GET /api/export in every format, through a dataset's export and through the web view's
 * export post. Default masks secrets; `redact=none` is the stored text byte for byte; stored data never changes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS } from "../../src/export/encoders";
import { b64, fake, upper32 } from "../redact/corpus/fake";
import { call, makeKey } from "../helpers";
import { signedIn } from "../web/_support";
import { bodyText, exportCall, exportOk, expectError, expectInvalid, ingestMany, jsonLines, readyBody, workspaceKey, type Json } from "./support";

// Fake credentials of the real shapes (seeded, never real keys).
const AKID = "AKIA" + upper32(16, 101);
const AWS_SECRET = b64(40, 102);
const GHP = "ghp_" + fake(36, 103);
const GHO = "gho_" + fake(36, 104);
const GHS = "ghs_" + fake(36, 105);
const STRIPE = "sk_live_" + fake(24, 106);
const DB_PASS = "Vq8rT2m9xL4w";
const SLACK = "xoxb-" + "2984173" + "50231-" + "5123348" + "67890-" + fake(24, 107);
const API_PASSWORD = "Zk3pQ9wLm2Hx";
const SECRETS = { AKID, AWS_SECRET, GHP, GHO, GHS, STRIPE, DB_PASS, SLACK, API_PASSWORD };

const OBJECT_ARGS = { command: "stripe charges list", env: { STRIPE_API_KEY: STRIPE, region: "eu" }, flags: ["--live", 3] };
const STRING_ARGS = JSON.stringify({
  command: `curl -H "Authorization: Bearer ${GHO}" https://api.github.com/user`,
  cwd: "/Users/alice/app",
  login: { user: "app", password: API_PASSWORD },
});
const TOOL_OUTPUT = `DATABASE_URL=postgres://app:${DB_PASS}@db.internal:5432/app\nGITHUB_TOKEN=${GHP}\n`;

/** Session A: GHP first appears in the title, so it is github_token#1 everywhere in A; GHO is #2. */
const A = {
  title: `Rotate the leaked ${GHP}`,
  expectedOutput: `Revoke ${GHP} and rotate ${AKID}.`,
  evalNotes: `the bot token ${SLACK} was also in the logs; ping alice@acme.io`,
  messages: [
    { role: "user", content: `my .env:\nAWS_ACCESS_KEY_ID=${AKID}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nmail alice@acme.io` },
    {
      role: "assistant",
      content: "Let me check the keys.",
      toolCalls: [
        { id: "c1", name: "bash", arguments: OBJECT_ARGS },
        { id: "c2", name: "bash", arguments: STRING_ARGS },
      ],
    },
    { role: "tool", toolCallId: "c1", toolName: "bash", content: TOOL_OUTPUT },
    { role: "tool", toolCallId: "c2", toolName: "bash", content: '{"login": "octocat"}' },
    { role: "assistant", content: `Found ${GHP} in /Users/alice/app/.env; revoke it.` },
  ],
};
/** Session B: GHS first, then GHP — numbering restarts per session, so here GHP is github_token#2. */
const B = {
  title: "Second session",
  messages: [
    { role: "user", content: `token one ${GHS}` },
    { role: "assistant", content: `and ${GHP} again, then ${GHS}` },
  ],
};

let key: string;
let ws: string;
let idA: string;
let idB: string;

beforeAll(async () => {
  ({ key, ws } = await workspaceKey("redact"));
  [idA, idB] = (await ingestMany(key, [readyBody({ ...A, createdAt: Date.UTC(2026, 0, 1) }), readyBody({ ...B, createdAt: Date.UTC(2026, 0, 2) })])) as [string, string];
});

function expectNoSecret(body: string) {
  for (const [name, s] of Object.entries(SECRETS)) expect(body.includes(s), `${name} leaked`).toBe(false);
}

const placeholders = (s: string) => [...new Set(s.match(/\[REDACTED:[a-z_]+#\d+\]/g) ?? [])].sort();

/** The same tree with every string replaced by "s": keys, nesting and non-string values must survive redaction. */
function shape(v: unknown): unknown {
  if (typeof v === "string") return "s";
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v;
}

const golden = async (query: string, id: string) => {
  const { body } = await exportOk(key, `format=deepeval-conversational&id=${id}${query}`);
  return (JSON.parse(body) as Json[])[0]!;
};

describe("GET /api/export masks secrets by default", () => {
  it.each(EXPORT_FORMATS)("%s: no secret leaves, placeholders numbered per session, same as redact=secrets", async (format) => {
    const { body } = await exportOk(key, `format=${format}`);
    expectNoSecret(body);
    expect(body).toContain("[REDACTED:github_token#1]");
    // promptfoo shows only user inputs and the expected output, where each session has one GitHub token.
    if (format !== "promptfoo") expect(body).toContain("[REDACTED:github_token#2]");
    // Three distinct GitHub tokens over two sessions: a per-export counter would reach #3.
    expect(body).not.toContain("github_token#3");
    // emails are not masked by default (every format shows the first user message)
    expect(body).toContain("alice@acme.io");
    expect((await exportOk(key, `format=${format}&redact=secrets`)).body).toBe(body);
  });

  it("every field of a session is masked, one secret one placeholder throughout the session", async () => {
    const a = await golden("", idA);
    expect(a.scenario).toBe("Rotate the leaked [REDACTED:github_token#1]");
    expect(a.expected_outcome).toBe("Revoke [REDACTED:github_token#1] and rotate [REDACTED:aws_access_key_id#1].");
    expect(a.comments).toBe("the bot token [REDACTED:slack_token#1] was also in the logs; ping alice@acme.io");
    const [user, assistant] = a.turns as Json[];
    expect(user!.content).toBe(
      "my .env:\nAWS_ACCESS_KEY_ID=[REDACTED:aws_access_key_id#1]\nAWS_SECRET_ACCESS_KEY=[REDACTED:aws_secret_access_key#1]\nmail alice@acme.io",
    );
    const [objCall, strCall] = assistant!.tools_called as Json[];
    expect(objCall!.input_parameters).toEqual({ ...OBJECT_ARGS, env: { STRIPE_API_KEY: "[REDACTED:stripe_key#1]", region: "eu" } });
    // Conversation order: the call's password (message 2) is #1, the tool output's (message 3) #2.
    expect(objCall!.output).toBe("DATABASE_URL=postgres://app:[REDACTED:password#2]@db.internal:5432/app\nGITHUB_TOKEN=[REDACTED:github_token#1]\n");
    expect(strCall!.input_parameters).toEqual({
      command: 'curl -H "Authorization: Bearer [REDACTED:github_token#2]" https://api.github.com/user',
      cwd: "/Users/alice/app",
      login: { user: "app", password: "[REDACTED:password#1]" },
    });
    expect(assistant!.content).toBe("Let me check the keys.\n\nFound [REDACTED:github_token#1] in /Users/alice/app/.env; revoke it.");
    expect(a.turns).toHaveLength(2);

    const b = await golden("", idB);
    expect((b.turns as Json[]).map((t) => t.content)).toEqual([
      "token one [REDACTED:github_token#1]",
      "and [REDACTED:github_token#2] again, then [REDACTED:github_token#1]",
    ]);
  });

  it("tool-call arguments stay valid JSON with their keys (openai function.arguments, object and string)", async () => {
    const { body } = await exportOk(key, `format=openai&id=${idA}`);
    const calls = (jsonLines(body)[0]!.messages as Json[]).flatMap((m) => (m.tool_calls ?? []) as Json[]);
    expect(calls).toHaveLength(2);
    const [obj, str] = calls.map((c) => JSON.parse(c.function.arguments as string) as unknown);
    expect(shape(obj)).toEqual(shape(OBJECT_ARGS));
    expect(shape(str)).toEqual(shape(JSON.parse(STRING_ARGS)));
    expectNoSecret(body);
  });

  it("redact=secrets,paths,emails also masks home-directory users and addresses", async () => {
    for (const format of EXPORT_FORMATS) {
      const { body } = await exportOk(key, `format=${format}&redact=emails,paths,secrets`);
      expectNoSecret(body);
      expect(body).not.toContain("alice");
    }
    const a = await golden("&redact=secrets,paths,emails", idA);
    expect(JSON.stringify(a)).toContain("/Users/<user>/app/.env");
    expect(a.comments).toBe("the bot token [REDACTED:slack_token#1] was also in the logs; ping [REDACTED:email#1]");
    expect((a.turns as Json[])[0]!.content).toMatch(/\nmail \[REDACTED:email#1\]$/);
  });

  it("redact=paths alone leaves secrets as they are", async () => {
    const a = await golden("&redact=paths", idA);
    expect(a.scenario).toBe(A.title);
    expect(JSON.stringify(a)).toContain("/Users/<user>/app");
  });
});

describe("redact=none is the stored text, byte for byte", () => {
  it.each(EXPORT_FORMATS)("%s: no placeholder, every secret kept", async (format) => {
    const { body } = await exportOk(key, `format=${format}&redact=none`);
    expect(body).not.toContain("[REDACTED:");
    expect(body).toContain(AKID);
    expect(body).toContain(GHS);
  });

  it("every string equals what was ingested; string arguments keep their exact bytes", async () => {
    const a = await golden("&redact=none", idA);
    expect(a.scenario).toBe(A.title);
    expect(a.expected_outcome).toBe(A.expectedOutput);
    expect(a.comments).toBe(A.evalNotes);
    const turns = a.turns as Json[];
    expect(turns.map((t) => t.content)).toEqual([A.messages[0]!.content, `${A.messages[1]!.content}\n\n${A.messages[4]!.content}`]);
    const [objCall, strCall] = turns[1]!.tools_called as Json[];
    expect(objCall!.input_parameters).toEqual(OBJECT_ARGS);
    expect(objCall!.output).toBe(TOOL_OUTPUT);
    expect(strCall!.input_parameters).toEqual(JSON.parse(STRING_ARGS));
    const { body } = await exportOk(key, `format=openai&id=${idA}&redact=none`);
    const calls = (jsonLines(body)[0]!.messages as Json[]).flatMap((m) => (m.tool_calls ?? []) as Json[]);
    expect(calls[1]!.function.arguments).toBe(STRING_ARGS);
  });
});

describe("refusals and stored data", () => {
  it.each(["bogus", "secrets,bogus", "", "none,secrets", "Secrets"])("redact=%j: 400 naming redact, before any byte", async (v) => {
    await expectInvalid(await exportCall(key, `format=text&redact=${encodeURIComponent(v)}`), "redact");
  });

  it("no key 401, a key without export:read 403, another workspace sees nothing", async () => {
    await expectError(await exportCall(undefined, "redact=none"), 401, "unauthorized");
    const readOnly = await makeKey(ws, ["sessions:read", "sessions:write"]);
    await expectError(await exportCall(readOnly, "redact=none"), 403, "forbidden");
    const other = await workspaceKey("redact-other");
    const res = await exportCall(other.key, `format=text&redact=none&id=${idA}`);
    const body = await bodyText(res);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-export-sessions")).toBe("0");
    expectNoSecret(body);
  });

  it("GET /api/sessions/:id still returns the secrets: exporting changed nothing stored", async () => {
    await exportOk(key, "format=deepeval");
    const res = await call(`/api/sessions/${idA}`, { key });
    expect(res.status).toBe(200);
    const s = (await res.json()) as Json;
    expect(s.title).toBe(A.title);
    expect(s.expectedOutput).toBe(A.expectedOutput);
    expect(s.evalNotes).toBe(A.evalNotes);
    const messages = s.messages as Json[];
    expect(messages.map((m) => m.content)).toEqual(A.messages.map((m) => m.content));
    expect(messages[1]!.toolCalls.map((c: Json) => c.arguments)).toEqual([OBJECT_ARGS, STRING_ARGS]);
  });

  it("parallel exports of the same sessions give the same masked bytes", async () => {
    const formats = [...EXPORT_FORMATS, ...EXPORT_FORMATS];
    const sequential = new Map<string, string>();
    for (const f of EXPORT_FORMATS) sequential.set(f, (await exportOk(key, `format=${f}`)).body);
    const parallel = await Promise.all(formats.map(async (f) => [f, (await exportOk(key, `format=${f}`)).body] as const));
    for (const [f, body] of parallel) expect(body, f).toBe(sequential.get(f));
  });
});

describe("GET /api/datasets/:id/export masks by default", () => {
  let datasetId: string;
  beforeAll(async () => {
    const res = await call("/api/datasets", { method: "POST", key, json: { name: "redact", id: [idA, idB] } });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    datasetId = (JSON.parse(text) as { id: string }).id;
  });
  const datasetExport = (k: string | undefined, query: string) => call(`/api/datasets/${datasetId}/export?${query}`, { key: k });

  it.each(EXPORT_FORMATS)("%s: masked like the live export; redact=none keeps the secrets", async (format) => {
    const res = await datasetExport(key, `format=${format}`);
    const body = await bodyText(res);
    expect(res.status, body.slice(0, 300)).toBe(200);
    expectNoSecret(body);
    expect(body).toContain("[REDACTED:github_token#1]");
    expect(body).not.toContain("github_token#3");
    const none = await bodyText(await datasetExport(key, `format=${format}&redact=none`));
    expect(none).toContain(AKID);
    expect(none).not.toContain("[REDACTED:");
  });

  it("refuses a bad redact, no key, a key without export:read", async () => {
    await expectInvalid(await datasetExport(key, "redact=bogus"), "redact");
    await expectError(await datasetExport(undefined, "format=text"), 401, "unauthorized");
    await expectError(await datasetExport(await makeKey(ws, ["sessions:read"]), "format=text"), 403, "forbidden");
  });
});

describe("POST /export (web view) masks by default", () => {
  it("the Evals view's export hands out no secret, the same file as the API", async () => {
    const w = await signedIn(`redact-web-${crypto.randomUUID().slice(0, 8)}`);
    const [a] = await ingestMany(w.key, [readyBody({ ...A })]);
    const token = await w.browser.csrf("/evals");
    for (const format of EXPORT_FORMATS) {
      const res = await w.browser.post("/export", { _csrf: token, format, id: [a!] });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expectNoSecret(res.text);
      expect(res.text).toContain("[REDACTED:github_token#1]");
      const api = await call(`/api/export?format=${format}&id=${a}`, { key: w.key });
      expect(res.text).toBe(await bodyText(api));
    }
  });
});
