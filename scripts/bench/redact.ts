/**
 * `node --import tsx scripts/bench/redact.ts`: the redaction engine on its own — recall and false-positive rate on
 * the labelled corpus (test/redact/corpus), and throughput (MB/s) on generated session text with no secrets and
 * with a few, beside `redact=none`. Prints figures; never asserts.
 */
import { createSessionRedactor } from "../../src/redact/index";
import { NEGATIVES } from "../../test/redact/corpus/negatives";
import { POSITIVES } from "../../test/redact/corpus/positives";
import { createGenerator, prng } from "./data";

function corpus() {
  let hit = 0;
  for (const p of POSITIVES) {
    const out = createSessionRedactor(["secrets"]).text(p.text);
    if (!out.includes(p.secret) && out.includes(`[REDACTED:${p.kind}#`)) hit++;
  }
  let fp = 0;
  for (const n of NEGATIVES) if (createSessionRedactor(["secrets"]).text(n.text) !== n.text) fp++;
  return { recall: hit / POSITIVES.length, fpRate: fp / NEGATIVES.length, positives: POSITIVES.length, negatives: NEGATIVES.length };
}

const PROSE = "The login redirect loop comes from the session cookie being cleared before the handler reads it, so the middleware sends the user back to the sign-in page. ";
const CODE = 'export async function fetchUser(id: string): Promise<User> {\n  const res = await fetch(`/api/users/${id}`, { headers: { accept: "application/json" } });\n  if (!res.ok) throw new Error(`status ${res.status}`);\n  return (await res.json()) as User;\n}\n';
const TOOL = "src/auth/session.ts:42:7 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.\n  const key = cacheKey(user.id);\n      at Object.<anonymous> (/srv/app/node_modules/vitest/dist/index.js:120:15)\n";
const JSONCFG = '{"name": "app", "version": "1.4.2", "dependencies": {"hono": "4.13.19", "zod": "4.6.7"}, "max_tokens": 4096}\n';

/** Session-like strings: prose, code, tool output and JSON of 200–4,000 characters. */
function strings(count: number, withSecrets: boolean): string[] {
  const rnd = prng(7);
  const parts = [PROSE, CODE, TOOL, JSONCFG];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    const len = 200 + Math.floor(rnd() * 3800);
    while (s.length < len) s += parts[Math.floor(rnd() * parts.length)]!;
    if (withSecrets && i % 10 === 0) s += POSITIVES[i % POSITIVES.length]!.text;
    out.push(s);
  }
  return out;
}

function throughput(list: string[], kinds: Parameters<typeof createSessionRedactor>[0]): number {
  const bytes = list.reduce((n, s) => n + s.length, 0);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    for (let i = 0; i < list.length; i += 20) {
      const r = createSessionRedactor(kinds); // one redactor per 20-message session
      for (let j = i; j < i + 20 && j < list.length; j++) r.text(list[j]!);
    }
    best = Math.min(best, performance.now() - t);
  }
  return bytes / 1e6 / (best / 1000);
}

/** The engine's figures as printable lines (also printed by `npm run bench`). */
export function engineReport(): string[] {
  const lines: string[] = [];
  const c = corpus();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  lines.push(`corpus: recall ${pct(c.recall)} of ${c.positives} positives (target 100%) ${c.recall === 1 ? "PASS" : "FAIL"}`);
  lines.push(`corpus: false positives ${pct(c.fpRate)} of ${c.negatives} look-alikes (target < 1%) ${c.fpRate < 0.01 ? "PASS" : "FAIL"}`);
  const clean = strings(4000, false);
  const dirty = strings(4000, true);
  lines.push(`throughput (${(clean.reduce((n, s) => n + s.length, 0) / 1e6).toFixed(1)} MB of session text, best of 5):`);
  lines.push(`  redact=none                 ${throughput(clean, []).toFixed(0).padStart(7)} MB/s`);
  lines.push(`  secrets, no secrets in text ${throughput(clean, ["secrets"]).toFixed(0).padStart(7)} MB/s`);
  lines.push(`  secrets, 1 in 10 strings    ${throughput(dirty, ["secrets"]).toFixed(0).padStart(7)} MB/s`);
  lines.push(`  secrets,paths,emails        ${throughput(dirty, ["secrets", "paths", "emails"]).toFixed(0).padStart(7)} MB/s`);
  // The strings of the sessions `npm run bench` exports (prose-like content, tool outputs, JSON arguments).
  const gen = createGenerator({ messages: 20, readyFraction: 1, seed: 1, baseTime: 0 });
  const bench: string[] = [];
  for (let i = 0; i < 400; i++) {
    for (const m of gen(i, "redact").messages) {
      bench.push(m.content);
      for (const c of m.toolCalls ?? []) bench.push(typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments));
    }
  }
  const benchMb = bench.reduce((n, s) => n + s.length, 0) / 1e6;
  lines.push(`  secrets, bench session text ${throughput(bench, ["secrets"]).toFixed(0).padStart(6)} MB/s (${benchMb.toFixed(1)} MB, the sessions npm run bench exports)`);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of engineReport()) console.log(line);
