/**
 * The `promptfoo` export run through promptfoo itself (the pinned devDependency, offline): sessions with template
 * syntax, loader prefixes, unicode and a long text are loaded into the e2e `wrangler dev`, labelled eval-ready,
 * exported with GET /api/export?format=promptfoo, and written beside a promptfooconfig.yaml whose provider is
 * promptfoo's `echo` (the output is the rendered prompt) and whose grading provider for `llm-rubric` is a local
 * file:// one (`defaultTest.options.provider`, promptfoo's documented override of the grader): it passes when the
 * output contains the reference answer named in the rubric. So each case's outcome is known in advance: the
 * exchange prompt echoes context and input, which holds the reference for one session and not for another.
 * `promptfoo validate` and `promptfoo eval` run from node_modules/.bin with a throwaway HOME and config dir,
 * telemetry, update checks, sharing and the cache off, and a clean environment.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey, loadSessions, ROOT } from "../scripts/lib/dev-server";

const BASE = inject("baseURL");
const ADMIN_TOKEN = inject("adminToken");
const PROMPTFOO = join(ROOT, "node_modules", ".bin", "promptfoo");
const RUBRIC_PREFIX = "Matches the reference answer: ";

interface Msg {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  toolCalls?: { id: string; name: string; arguments: unknown }[];
  toolCallId?: string;
  toolName?: string;
}
interface SessionIn {
  externalId: string;
  title?: string;
  expectedOutput?: string;
  messages: Msg[];
}

const m = (role: Msg["role"], content: string, extra: Partial<Msg> = {}): Msg => ({ role, content, ...extra });

/** Emoji (astral, ZWJ), CJK, RTL with a bidi mark, combining marks, line and paragraph separators. */
const UNICODE = "héllo 👩‍💻 你好 שלום \u200f مرحبا e\u0301 \u2028x\u2029y";
/** About 240 KB of text dense with template syntax. */
const LONG = `${"{{ input }} {% if a %}{# c #}{% endif %} 你好 👩‍💻 #} %} }} — ".repeat(4000)}the end`;

/** The two sessions whose reference answer decides their outcome, and a multi-turn one without a reference. */
const NAMED: SessionIn[] = [
  {
    externalId: "pf-passes",
    title: "Echo {{ answer }} — {% raw %}kept{% endraw %}",
    // The input holds the reference answer, so the echoed prompt contains it: the rubric passes.
    expectedOutput: "{{ answer }} {% if x %}yes{% endif %}",
    messages: [
      m("system", "Answer in one line. {# a comment #}\n"),
      m("user", "Say exactly: {{ answer }} {% if x %}yes{% endif %}"),
      m("assistant", "{{ answer }} yes"),
    ],
  },
  {
    externalId: "pf-fails",
    title: "Six times seven",
    // Nothing of the conversation before the reply contains this: the rubric fails.
    expectedOutput: "{% raw %}42{% endraw %} is the answer, {{ 6 * 7 }}",
    messages: [m("user", "What is {{ 6 * 7 }}?"), m("assistant", "42")],
  },
  {
    externalId: "pf-multi",
    title: "{{ env.HOME }} file://promptfooconfig.yaml",
    messages: [
      m("system", "{% endraw %} closes nothing; {%- raw -%} opens nothing"),
      // Values promptfoo would read as a file or a package export if they reached it unescaped.
      m("user", "file://promptfooconfig.yaml"),
      m("assistant", "", { toolCalls: [{ id: "c1", name: "read_file", arguments: { path: "{{ env.HOME }}/a.ts", note: "{%" } }] }),
      m("tool", "{#}", { toolCallId: "c1", toolName: "read_file" }),
      m("assistant", "Read it: {{ content }}"),
      m("user", "package:fs:readFileSync"),
      m("assistant", "no"),
      // Names of the test's own vars, promptfoo's env global, raw tags, and final newlines.
      m("user", "{{ input }} {{ context }} {{ expected_output }} {{ env.HOME }} {% raw %}r{% endraw %} {{{x}}} {\n\n"),
      m("assistant", "ok"),
      m("user", `${UNICODE}\n${LONG}`),
      m("assistant", UNICODE),
    ],
  },
];

/** Short texts built from template-syntax atoms by a fixed generator: the same every run. */
function fuzzTexts(n: number): string[] {
  const atoms = ["{", "}", "%", "#", "-", " ", "\n", "x", "input", "context", "expected_output", " raw ", "endraw", "if ", "for ", "file://", "package:", '"', "\\", "|", "env.HOME", "{{", "}}", "{%", "%}", "{#", "#}", "'", "👩‍💻", "\t"];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = "";
    for (let j = 1 + Math.floor(next() * 12); j > 0; j--) s += atoms[Math.floor(next() * atoms.length)];
    texts.push(s.trim() === "" ? `${s}x` : s);
  }
  return texts;
}
const FUZZ: SessionIn[] = fuzzTexts(60).map((t, i) => ({
  externalId: `pf-fuzz-${i}`,
  title: `Fuzz ${i}`,
  expectedOutput: t,
  messages: [m("system", t), m("user", t), m("assistant", "ok")],
}));

/** The local grading provider: passes when the graded output contains the rubric's reference answer. */
const GRADER = `import { appendFileSync } from "node:fs";
const PREFIX = ${JSON.stringify(RUBRIC_PREFIX)};
export default class ReferenceGrader {
  id() { return "reference-grader"; }
  async callApi(prompt) {
    const messages = JSON.parse(prompt);
    const text = messages[messages.length - 1].content;
    const output = text.slice(text.indexOf("<Output>\\n") + 9, text.lastIndexOf("\\n</Output>"));
    const rubric = text.slice(text.lastIndexOf("<Rubric>\\n") + 9, text.lastIndexOf("\\n</Rubric>"));
    const pass = rubric.startsWith(PREFIX) && output.includes(rubric.slice(PREFIX.length));
    appendFileSync(new URL("./grader.jsonl", import.meta.url), JSON.stringify({ output, rubric, pass }) + "\\n");
    const reason = pass ? "the output contains the reference answer" : "the reference answer is not in the output";
    return { output: JSON.stringify({ reason, pass, score: pass ? 1 : 0 }) };
  }
}
`;

/** promptfoo's config (YAML is a superset of JSON): one prompt echoing the exchange, one echoing the reference. */
const CONFIG = {
  description: "evalport promptfoo export",
  prompts: [
    { label: "exchange", raw: "{{ context }}\n=====\n{{ input }}" },
    { label: "reference", raw: "{{ expected_output }}" },
  ],
  providers: ["echo"],
  defaultTest: { options: { provider: "file://grader.mjs" } },
  tests: "file://evalport.jsonl",
};

interface Run {
  code: number | null;
  out: string;
}

/** Runs promptfoo in `dir` with nothing of this process's environment but PATH. */
function promptfoo(args: string[], dir: string): Promise<Run> {
  const home = join(dir, "home");
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    HOME: home,
    PROMPTFOO_CONFIG_DIR: join(home, ".promptfoo"),
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_DISABLE_SHARING: "1",
    PROMPTFOO_CACHE_ENABLED: "false",
    NO_COLOR: "1",
    CI: "true",
  };
  return new Promise((resolve, reject) => {
    const child = spawn(PROMPTFOO, args, { cwd: dir, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function api(path: string, key: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${BASE}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
}

/** A DeepEval case of the same export: the original texts the promptfoo case must carry. */
interface DeepEvalLine {
  input: string;
  context: string[];
  expected_output: string | null;
  additional_metadata: { external_id: string; turn: number };
}
interface PromptfooLine {
  description: string;
  vars: Record<string, string>;
  assert: { type: string; value: string }[];
  metadata: { external_id: string; turn: number };
}
interface Result {
  success: boolean;
  error?: string;
  prompt: { label: string };
  response?: { output: string };
  testCase: PromptfooLine;
  gradingResult?: { pass: boolean; componentResults?: { pass: boolean; reason: string }[] } | null;
}

const jsonLines = <T>(body: string): T[] => body.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as T);
const caseKey = (meta: { external_id: string; turn: number }) => `${meta.external_id}#${meta.turn}`;

let dir: string;
let lines: PromptfooLine[];
let originals: Map<string, DeepEvalLine>;
let titles: Map<string, string>;
let exportSessions: string | null;
let body: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "evalport-promptfoo-"));
  const workspace = `promptfoo-${process.pid}`;
  const { key } = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, workspace);
  const sessions = [...NAMED, ...FUZZ];
  const stored = await loadSessions({ url: BASE }, key, sessions);
  // One more session that stays out of evals, and one eval-ready session of another workspace.
  await loadSessions({ url: BASE }, key, [{ externalId: "pf-not-ready", messages: [m("user", "NOT-READY-MARKER"), m("assistant", "a")] }]);
  const other = await createKey({ url: BASE, adminToken: ADMIN_TOKEN }, `${workspace}-other`);
  const [foreign] = await loadSessions({ url: BASE }, other.key, [
    { externalId: "pf-foreign", messages: [m("user", "FOREIGN-MARKER"), m("assistant", "a")] },
  ]);
  expect((await api("/api/evals/ready", other.key, { method: "POST", body: { sessionIds: [foreign!.id] } })).status).toBe(200);

  const label = await api("/api/evals/label", key, {
    method: "POST",
    body: { sessionIds: stored.map((s) => s.id), evalStatus: "golden", addTags: ["promptfoo-proof"], evalReady: true },
  });
  expect(label.status).toBe(200);
  expect(((await label.json()) as { updated: number }).updated).toBe(sessions.length);

  const res = await api("/api/export?format=promptfoo", key);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
  exportSessions = res.headers.get("x-export-sessions");
  body = await res.text();
  lines = jsonLines<PromptfooLine>(body);
  const deepeval = await api("/api/export?format=deepeval-jsonl", key);
  expect(deepeval.status).toBe(200);
  originals = new Map(jsonLines<DeepEvalLine>(await deepeval.text()).map((c) => [caseKey(c.additional_metadata), c]));
  titles = new Map(sessions.map((s) => [s.externalId, s.title ?? ""]));

  writeFileSync(join(dir, "evalport.jsonl"), body);
  writeFileSync(join(dir, "grader.mjs"), GRADER);
  writeFileSync(join(dir, "promptfooconfig.yaml"), JSON.stringify(CONFIG, null, 2));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the promptfoo export in promptfoo", () => {
  it("exports one case per exchange of this workspace's eval-ready sessions, as the deepeval format does", () => {
    expect(exportSessions).toBe(String(NAMED.length + FUZZ.length));
    expect(lines.length).toBe(originals.size);
    expect(lines.length).toBe(2 + 4 + FUZZ.length); // pf-multi has four exchanges
    expect(new Set(lines.map((l) => caseKey(l.metadata)))).toEqual(new Set(originals.keys()));
    expect(body).not.toContain("NOT-READY-MARKER");
    expect(body).not.toContain("FOREIGN-MARKER");
    // The test's template texts really went through the escaping (else the proof below proves nothing).
    expect(lines.find((l) => l.metadata.external_id === "pf-multi" && l.metadata.turn === 1)!.vars.input).not.toBe(
      "file://promptfooconfig.yaml",
    );
    for (const l of lines) {
      const original = originals.get(caseKey(l.metadata))!;
      expect(l.description).toBe(`${titles.get(l.metadata.external_id)} — turn ${l.metadata.turn}`);
      expect("expected_output" in l.vars).toBe(original.expected_output !== null);
      expect(l.assert.length).toBe(original.expected_output === null ? 0 : 1);
    }
  });

  it("passes promptfoo validate", async () => {
    const r = await promptfoo(["validate", "-c", "promptfooconfig.yaml"], dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("Configuration is valid");
  });

  it("runs every case with the texts verbatim, and the reference assertion passes or fails as predicted", async () => {
    const r = await promptfoo(
      ["eval", "-c", "promptfooconfig.yaml", "-o", "results.json", "--no-cache", "--no-share", "--no-write", "--no-progress-bar", "--no-table"],
      dir,
    );
    // promptfoo's exit code for an eval with failed cases (and no errors) is 100.
    expect(r.code, r.out).toBe(100);
    const summary = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as {
      results: { stats: { successes: number; failures: number; errors: number }; results: Result[] };
    };
    const results = summary.results.results;
    // Every case ran under both prompts, none with an error.
    expect(results.length).toBe(lines.length * 2);
    expect(results.filter((x) => x.error && x.success === false && !x.gradingResult)).toEqual([]);
    expect(summary.results.stats).toMatchObject({ successes: lines.length * 2 - 1, failures: 1, errors: 0 });

    const seen = new Set<string>();
    for (const x of results) {
      const original = originals.get(caseKey(x.testCase.metadata))!;
      const key = `${caseKey(x.testCase.metadata)}/${x.prompt.label}`;
      seen.add(key);
      // The echo provider answers the rendered prompt: each var arrived exactly as the session had it.
      if (x.prompt.label === "exchange") {
        expect(x.response?.output, key).toBe(`${original.context.join("\n\n")}\n=====\n${original.input}`);
      } else {
        expect(x.response?.output, key).toBe(original.expected_output ?? "");
      }
      const failsHere = x.testCase.metadata.external_id === "pf-fails" && x.prompt.label === "exchange";
      expect(x.success, key).toBe(!failsHere);
      if (original.expected_output !== null) {
        expect(x.gradingResult?.componentResults?.map((c) => c.pass), key).toEqual([!failsHere]);
      }
    }
    expect(seen.size).toBe(lines.length * 2);

    // The grader saw each reference answer verbatim, after promptfoo rendered the assertion value once.
    const graded = readFileSync(join(dir, "grader.jsonl"), "utf8").split("\n").filter(Boolean)
      .map((l) => JSON.parse(l) as { output: string; rubric: string; pass: boolean });
    const withReference = [...originals.values()].filter((c) => c.expected_output !== null);
    expect(graded.length).toBe(withReference.length * 2);
    expect(new Set(graded.map((g) => g.rubric))).toEqual(new Set(withReference.map((c) => RUBRIC_PREFIX + c.expected_output)));
    const failed = graded.filter((g) => !g.pass);
    expect(failed.length).toBe(1);
    expect(failed[0]!.rubric).toBe(RUBRIC_PREFIX + NAMED[1]!.expectedOutput);
  });
});
