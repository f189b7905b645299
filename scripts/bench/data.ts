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
