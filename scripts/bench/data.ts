/**
 * Synthetic, deterministic sessions for the benchmark: realistic sizes (user 100–600 characters, assistant
 * 200–2,000, tool results 200–4,000, tool calls with JSON arguments), eval-ready with mixed statuses and tags.
 * A seeded PRNG makes two runs load the same bytes, so their figures compare.
 */

export interface BenchMessage {
  externalId: string;
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  toolCalls?: { id: string; name: string; arguments: Record<string, unknown> | string }[];
  toolCallId?: string;
  toolName?: string;
  createdAt: number;
}

export interface BenchSession {
  externalId: string;
  title: string;
  source: string;
  model: string;
  provider: string;
  projectPath: string;
  projectName: string;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  durationMs: number;
  createdAt: number;
  updatedAt: number;
  evalReady: boolean;
  evalStatus: "golden" | "correct" | "incorrect" | "needs_review";
  evalTags: string[];
  evalNotes?: string;
  expectedOutput?: string;
  messages: BenchMessage[];
}

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the a to of and in is it that for on with as this be are by function return const let error value type " +
  "login redirect loop session cookie token user component render state effect hook props request response " +
  "handler middleware database query index migration schema column table row cursor page export stream " +
  "encoder decoder buffer memory latency timeout retry cache invalidate deploy worker binding config test " +
  "assert expect mock fixture failing passing build compile lint format refactor rename extract inline " +
  "because when then however instead first next finally should would could might must fix bug issue change " +
  "file path line module import default async await promise resolve reject throw catch try finally class " +
  "interface implements extends generic string number boolean null undefined array object map set key " +
  "AuthProvider useEffect fetchUser redirectTo localStorage getSession middleware.ts router.push next/navigation"
).split(" ");

/** ~256 KiB of word salad, sliced at random offsets: cheap to draw from, varied enough not to be trivially compressible. */
function corpus(rand: () => number): string {
  const parts: string[] = [];
  let len = 0;
  let sentence = 0;
  while (len < 256 * 1024) {
    let w = WORDS[Math.floor(rand() * WORDS.length)]!;
    if (sentence === 0) w = w[0]!.toUpperCase() + w.slice(1);
    sentence++;
    let piece = w;
    if (sentence > 6 && rand() < 0.15) {
      piece += rand() < 0.1 ? ".\n\n" : ". ";
      sentence = 0;
    } else piece += rand() < 0.05 ? ", " : " ";
    if (rand() < 0.01) piece += "`" + Math.floor(rand() * 100000).toString(36) + "` ";
    parts.push(piece);
    len += piece.length;
  }
  return parts.join("");
}

const SOURCES = ["claude-code", "opencode", "codex", "cursor"];
const MODELS: [string, string][] = [
  ["claude-sonnet-4-20250514", "anthropic"],
  ["claude-opus-4-20250514", "anthropic"],
  ["gpt-4.1", "openai"],
  ["o3", "openai"],
  ["gemini-2.5-pro", "google"],
];
const STATUSES = ["golden", "correct", "incorrect", "needs_review"] as const;
const TAGS = ["auth", "debugging", "refactor", "tests", "perf", "frontend", "backend", "sql", "infra", "docs"];
const TOOLS = ["read_file", "write_file", "bash", "grep", "list_dir", "edit_file"];

export interface GeneratorOptions {
  /** Messages per session (exactly). */
  messages: number;
  /** Fraction of sessions marked eval-ready (the rest are stored but not exported). */
  readyFraction: number;
  /** Distinguishes workspaces so external ids and content differ. */
  seed: number;
  /** createdAt of the first session; later ones follow a second apart. */
  baseTime: number;
}

export function createGenerator(opts: GeneratorOptions) {
  const rand = prng(opts.seed);
  const text = corpus(prng(opts.seed ^ 0x5bd1e995));
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chars = (lo: number, hi: number) => {
    const n = int(lo, hi);
    const start = Math.floor(rand() * (text.length - n));
    return text.slice(start, start + n);
  };

  function toolArguments(name: string): Record<string, unknown> {
    const path = `src/${pick(["auth", "routes", "lib", "db", "components"])}/${pick(WORDS).replace(/\W/g, "") || "x"}.ts`;
    switch (name) {
      case "bash":
        return { command: `npm test -- ${path}`, timeout: int(1, 120) * 1000 };
      case "grep":
        return { pattern: pick(WORDS), path: "src", include: ["*.ts", "*.tsx"] };
      case "write_file":
      case "edit_file":
        return { path, content: chars(50, 400), createDirs: rand() < 0.5 };
      default:
        return { path, offset: int(0, 400), limit: int(20, 200) };
    }
  }

  /** Exactly `m` messages, user first (after an optional system prompt), ending on an assistant message. */
  function messagesFor(sessionIndex: number, createdAt: number, m: number): BenchMessage[] {
    const out: BenchMessage[] = [];
    let t = createdAt;
    const push = (msg: Omit<BenchMessage, "externalId" | "createdAt">) => {
      t += int(500, 20_000);
      out.push({ externalId: `m${out.length}`, createdAt: t, ...msg });
    };
    if (m >= 4 && rand() < 0.2) push({ role: "system", content: chars(100, 600) });
    let next: "user" | "assistant" = "user";
    while (out.length < m) {
      const remaining = m - out.length;
      if (next === "user" && remaining >= 2) {
        push({ role: "user", content: chars(100, 600) });
        next = "assistant";
        continue;
      }
      // An assistant turn: with room for it, call 1–2 tools, answer them, then reply.
      const calls = remaining >= 4 && rand() < 0.3 ? 2 : remaining >= 3 && rand() < 0.4 ? 1 : 0;
      if (calls > 0) {
        const toolCalls = Array.from({ length: calls }, (_, k) => {
          const name = pick(TOOLS);
          const args = toolArguments(name);
          // Some clients send arguments as a JSON string.
          return { id: `call_${sessionIndex}_${out.length}_${k}`, name, arguments: rand() < 0.1 ? JSON.stringify(args) : args };
        });
        push({ role: "assistant", content: rand() < 0.5 ? "" : chars(200, 600), toolCalls });
        for (const call of toolCalls) push({ role: "tool", toolCallId: call.id, toolName: call.name, content: chars(200, 4000) });
      }
      push({ role: "assistant", content: chars(200, 2000) });
      next = "user";
    }
    return out;
  }

  return function session(index: number, workspaceTag: string): BenchSession {
    const createdAt = opts.baseTime + index * 1000 + int(0, 999);
    const [model, provider] = pick(MODELS);
    const promptTokens = int(1_000, 80_000);
    const completionTokens = int(100, 8_000);
    const tags = TAGS.filter(() => rand() < 0.15).slice(0, 3);
    const messages = messagesFor(index, createdAt, opts.messages);
    return {
      externalId: `bench-${workspaceTag}-${index}`,
      title: chars(20, 80).replace(/\s+/g, " ").trim(),
      source: pick(SOURCES),
      model,
      provider,
      projectPath: `/home/dev/projects/app-${index % 50}`,
      projectName: `app-${index % 50}`,
      promptTokens,
      completionTokens,
      cost: Math.round(promptTokens * 0.003 + completionTokens * 0.015) / 1000,
      durationMs: int(5_000, 900_000),
      createdAt,
      updatedAt: messages.length > 0 ? messages[messages.length - 1]!.createdAt : createdAt,
      evalReady: rand() < opts.readyFraction,
      evalStatus: pick(STATUSES),
      evalTags: tags,
      ...(rand() < 0.2 ? { evalNotes: chars(20, 200) } : {}),
      ...(rand() < 0.25 ? { expectedOutput: chars(100, 800) } : {}),
      messages,
    };
  };
}

/* ---------------------------------------------------------------- review-page sessions (scripts/bench/web.ts) */

const CODE_NAMES = ["session", "cursor", "token", "user", "page", "query", "row", "cache", "stream", "handler", "config", "state"];
const FILES = ["src/auth/session.ts", "src/routes/login.tsx", "src/db/queries.ts", "src/lib/cursor.ts", "src/middleware/auth.ts", "src/components/LoginForm.tsx", "scripts/migrate.py", "migrations/0007_index.sql"];

/**
 * Code of a fenced block in `lang`, `lines` lines long, built from templates with varied names: what coding
 * transcripts hold (TypeScript, shell sessions, diffs, JSON, Python, SQL), so highlight.js does its real work.
 */
function codeBlock(rand: () => number, lang: string, lines: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const n = () => pick(CODE_NAMES);
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    const a = n();
    const b = n();
    switch (lang) {
      case "ts":
      case "tsx":
        out.push(
          ...pick([
            [`export async function load${cap(a)}(${b}Id: string): Promise<${cap(a)} | null> {`, `  const row = await db.select().from(${a}s).where(eq(${a}s.id, ${b}Id)).get();`, `  if (!row) return null; // ${a} was deleted`, `  return { ...row, ${b}: JSON.parse(row.${b} ?? "null") };`, `}`],
            [`const ${a}${cap(b)} = useMemo(() => ${b}s.filter((x) => x.${a} !== undefined), [${b}s]);`],
            [`if (${a}.expiresAt < Date.now()) {`, `  throw new Error(\`${a} \${${a}.id} expired at \${new Date(${a}.expiresAt).toISOString()}\`);`, `}`],
            [`interface ${cap(a)}${cap(b)} {`, `  id: string;`, `  ${b}: ${pick(["string", "number", "boolean", "string[]"])};`, `  createdAt: number;`, `}`],
            [`useEffect(() => {`, `  if (!${a}) router.push(\`/login?redirectTo=\${encodeURIComponent(pathname)}\`);`, `}, [${a}, router, pathname]);`],
          ]),
        );
        break;
      case "bash":
        out.push(
          ...pick([
            [`$ npm test -- src/${a}/${b}.test.ts`, ``, ` FAIL  src/${a}/${b}.test.ts > ${b} > keeps the ${a} after a redirect`, `   AssertionError: expected 302 to be 200`],
            [`$ git diff --stat`, ` src/${a}/${b}.ts | ${1 + Math.floor(rand() * 40)} ++++++++------`],
            [`$ grep -rn "${b}" src/${a}`, `src/${a}/index.ts:${1 + Math.floor(rand() * 300)}:  const ${b} = await get${cap(b)}(req);`],
            [`$ npx wrangler d1 execute DB --local --command "SELECT count(*) FROM ${a}s"`, `┌──────────┐`, `│ count(*) │`, `├──────────┤`, `│ ${Math.floor(rand() * 100000)} │`, `└──────────┘`],
          ]),
        );
        break;
      case "diff":
        out.push(`@@ -${10 + i * 7},6 +${10 + i * 7},7 @@ export function ${a}${cap(b)}() {`, `-  const ${a} = get${cap(a)}(${b});`, `+  const ${a} = await get${cap(a)}(${b}, { fresh: true });`, `+  if (!${a}) return redirect("/login");`, `   return render(${a});`);
        break;
      case "json":
        out.push(`  "${a}${i}": { "${b}": ${Math.floor(rand() * 1000)}, "enabled": ${rand() < 0.5}, "path": "src/${a}/${b}.ts" },`);
        break;
      case "python":
        out.push(...pick([[`def ${a}_${b}(rows: list[dict]) -> dict[str, int]:`, `    counts: dict[str, int] = {}`, `    for row in rows:`, `        counts[row["${a}"]] = counts.get(row["${a}"], 0) + 1`, `    return counts`], [`print(f"{len(${a}s)} ${a}s, {sum(r['${b}'] for r in ${a}s)} ${b}s")`]]));
        break;
      default: // sql
        out.push(`SELECT ${a}.id, ${a}.${b}, count(*) AS n FROM ${a}s ${a} JOIN ${b}s USING (${a}_id)`, `WHERE ${a}.workspace_id = ?1 AND ${a}.created_at > ?2 GROUP BY ${a}.id ORDER BY n DESC LIMIT 50;`);
    }
  }
  const body = out.slice(0, lines);
  return (lang === "json" ? ["{", ...body, `  "end": true`, "}"] : body).join("\n");
}

/**
 * One session of exactly `n` messages shaped like a coding agent's transcript, for the review page: user
 * questions (some with a pasted error in a fence), assistant turns calling tools (read_file, bash, grep,
 * edit_file) whose results are file contents, test output and grep hits, and assistant answers in markdown with
 * headings, lists, inline code, a table now and then and 1–2 fenced code blocks in ts/tsx/bash/diff/json/python/sql.
 * A few values the redactor marks (a home-directory path, an email, a token) appear as they do in real transcripts.
 */
export function reviewSession(o: { externalId: string; messages: number; seed: number; baseTime: number }): BenchSession {
  const rand = prng(o.seed);
  const base = createGenerator({ messages: 2, readyFraction: 1, seed: o.seed, baseTime: o.baseTime })(0, "review");
  const text = corpus(prng(o.seed ^ 0x2545f491));
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const prose = (lo: number, hi: number) => {
    const len = int(lo, hi);
    const start = Math.floor(rand() * (text.length - len));
    return text.slice(start, start + len).replace(/\n{2,}/g, "\n\n").trim();
  };
  const LANGS = ["ts", "ts", "tsx", "bash", "diff", "json", "python", "sql"];
  const fence = (lang: string, lines: number) => "```" + lang + "\n" + codeBlock(rand, lang, lines) + "\n```";
  const answer = () => {
    const parts: string[] = [];
    if (rand() < 0.5) parts.push(`## ${pick(["What was wrong", "The fix", "Why the redirect loops", "Next steps", "Summary"])}`);
    parts.push(prose(150, 500));
    parts.push(Array.from({ length: int(2, 5) }, () => `- ${prose(30, 120).replace(/\n/g, " ")} (\`${pick(FILES)}\`)`).join("\n"));
    for (let k = int(1, 2); k > 0; k--) {
      parts.push(fence(pick(LANGS), int(4, 30)));
      parts.push(prose(80, 400));
    }
    if (rand() < 0.15) parts.push(`| file | change |\n|---|---|\n${Array.from({ length: int(2, 5), }, () => `| \`${pick(FILES)}\` | ${prose(10, 50).replace(/[\n|]/g, " ")} |`).join("\n")}`);
    if (rand() < 0.3) parts.push(`1. ${prose(20, 80).replace(/\n/g, " ")}\n2. Run \`npm test\` again\n3. ${prose(20, 80).replace(/\n/g, " ")}`);
    return parts.join("\n\n");
  };
  const toolResult = (name: string, path: string) => {
    switch (name) {
      case "read_file":
        return codeBlock(rand, path.endsWith(".py") ? "python" : path.endsWith(".sql") ? "sql" : "ts", int(20, 120));
      case "bash":
        return `${codeBlock(rand, "bash", int(6, 40))}\n\nTest Files  1 failed | ${int(3, 40)} passed\n     Tests  ${int(1, 3)} failed | ${int(20, 400)} passed\n  Duration  ${(rand() * 9 + 1).toFixed(2)}s\n  at /home/dev/projects/app/${path}:${int(1, 300)}:${int(1, 40)}`;
      case "grep":
        return Array.from({ length: int(3, 30) }, () => `/home/dev/projects/app/${pick(FILES)}:${int(1, 400)}:  ${prose(20, 90).replace(/\n/g, " ")}`).join("\n");
      default:
        return `Edited ${path}: ${int(1, 30)} lines changed.`;
    }
  };
  const msgs: BenchMessage[] = [];
  let t = o.baseTime;
  const push = (m: Omit<BenchMessage, "externalId" | "createdAt">) => {
    t += int(500, 20_000);
    msgs.push({ externalId: `m${msgs.length}`, createdAt: t, ...m });
  };
  push({ role: "system", content: `You are a coding agent working in /home/dev/projects/app. ${prose(100, 300)}` });
  let call = 0;
  while (msgs.length < o.messages) {
    const left = o.messages - msgs.length;
    if (left >= 2) {
      const user = rand() < 0.3 ? `${prose(60, 300)}\n\n${fence(pick(["bash", "ts"]), int(3, 12))}` : prose(80, 500);
      push({ role: "user", content: rand() < 0.03 ? `${user}\n\nMy login is dev.reviewer@example.com, token ghp_${"x7Kq9".repeat(7)}A` : user });
    }
    // Tool rounds while there is room for a call, its result and the final answer.
    while (msgs.length + 3 <= o.messages && rand() < 0.6) {
      const calls = Array.from({ length: rand() < 0.25 ? 2 : 1 }, () => {
        const name = pick(["read_file", "read_file", "bash", "grep", "edit_file"]);
        const path = pick(FILES);
        const args: Record<string, unknown> =
          name === "bash" ? { command: `npm test -- ${path}`, timeout: 120000 } : name === "grep" ? { pattern: pick(CODE_NAMES), path: "src", include: ["*.ts", "*.tsx"] } : name === "edit_file" ? { path, old_string: codeBlock(rand, "ts", int(1, 4)), new_string: codeBlock(rand, "ts", int(1, 6)) } : { path, offset: int(0, 200), limit: int(50, 200) };
        return { id: `toolu_${o.seed}_${call++}`, name, arguments: args, path };
      });
      if (msgs.length + calls.length + 2 > o.messages) break;
      push({ role: "assistant", content: rand() < 0.6 ? `Let me look at \`${calls[0]!.path}\` first.` : "", toolCalls: calls.map(({ path: _p, ...c }) => c) });
      for (const c of calls) push({ role: "tool", toolCallId: c.id, toolName: c.name, content: toolResult(c.name, c.path) });
    }
    if (msgs.length < o.messages) push({ role: "assistant", content: answer() });
  }
  msgs.length = o.messages;
  return {
    ...base,
    externalId: o.externalId,
    title: `Review bench: ${o.messages} messages, login redirect loop after session refresh`,
    createdAt: o.baseTime,
    updatedAt: t,
    evalReady: true,
    messages: msgs,
  };
}
