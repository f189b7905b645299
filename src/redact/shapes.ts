/**
 * Tokens recognisable by their own shape, wherever they appear: a vendor prefix plus a run of a known charset and
 * length. Facts (prefixes, lengths, charsets) are from the vendors' docs and the public rule sets of gitleaks,
 * secretlint and detect-secrets. Each pattern begins with a literal, so the regex engine skips to it quickly.
 */
import { type Finding, PRIORITY } from "./finding";
import { classCount, entropy, hasDigit, isPlaceholder, isPlaceholderTail } from "./values";

interface ShapeRule {
  kind: string;
  re: RegExp;
  /** The capture group holding the secret when the match also carries context (`AccountKey=`). */
  group?: number;
  /** Length of the fixed prefix: the placeholder check looks at the random part after it. */
  prefix?: number;
  accept?: (token: string) => boolean;
  /** A literal the string must contain before this (slower-to-scan) pattern runs at all. */
  gate?: string;
  /** Scanned on its own (its match does not start at a trigger of the tables below). */
  own?: boolean;
}

const mixed = (t: string) => classCount(t) >= 2;
const random = (t: string) => classCount(t) >= 2 && entropy(t) >= 3;

/** Compiled once; `g` for exec loops, `d` where a group's offsets are needed. */
const RULES: ShapeRule[] = [
  { kind: "aws_access_key_id", re: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, prefix: 4 },
  { kind: "gcp_api_key", re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, prefix: 4, accept: random },
  {
    kind: "github_token",
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,244})(?![A-Za-z0-9_])/g,
    prefix: 4,
    accept: mixed,
  },
  {
    kind: "gitlab_token",
    re: /\b(?:gl(?:pat|dt|rt|ptt|cbt|imt|ft|soat|oas|agent|wt)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,})/g,
    prefix: 6,
    accept: mixed,
  },
  { kind: "slack_token", re: /\bxox[abposre](?:\.xox[bp])?-[A-Za-z0-9-]{10,}/g, prefix: 5, accept: hasDigit },
  { kind: "slack_token", re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, prefix: 5, accept: hasDigit },
  {
    kind: "slack_webhook_url",
    gate: ".slack.com/",
    re: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_\/+-]{20,}/g,
    accept: (t) => !isPlaceholder(t.slice(t.lastIndexOf("/") + 1)),
  },
  { kind: "stripe_key", re: /\b[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}\b/g, prefix: 8, accept: mixed },
  { kind: "anthropic_api_key", re: /\bsk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{20,}/g, prefix: 14, accept: random },
  {
    kind: "openai_api_key",
    re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g,
    prefix: 3,
    accept: (t) => !t.startsWith("sk-ant-") && classCount(t.slice(3)) === 3 && entropy(t) >= 3.5,
  },
  { kind: "huggingface_token", re: /\b(?:hf_|api_org_)[A-Za-z0-9]{30,}\b/g, prefix: 3, accept: random },
  { kind: "npm_token", re: /\bnpm_[A-Za-z0-9]{36}\b/g, prefix: 4, accept: mixed },
  { kind: "pypi_token", re: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g, prefix: 8 },
  { kind: "sendgrid_api_key", re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g, prefix: 3, accept: random },
  { kind: "twilio_api_key", re: /\bSK[0-9a-fA-F]{32}\b/g, prefix: 2, accept: (t) => /[a-fA-F]/.test(t.slice(2)) && hasDigit(t) },
  { kind: "twilio_account_sid", re: /\bAC[0-9a-f]{32}\b/g, prefix: 2, accept: (t) => /[a-f]/.test(t.slice(2)) && hasDigit(t) },
  { kind: "evalport_api_key", re: /\bosk_[A-Za-z0-9_-]{32,}/g, prefix: 4, accept: mixed },
  { kind: "webhook_secret", re: /\bwhsec_[A-Za-z0-9+\/=_-]{16,}/g, prefix: 6, accept: mixed },
  { kind: "jwt", gate: ".eyJ", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, prefix: 3 },
  { kind: "google_oauth_secret", re: /\bGOCSPX-[A-Za-z0-9_-]{24,}/g, prefix: 7, accept: mixed },
  { kind: "azure_storage_key", re: /\bAccountKey=([A-Za-z0-9+\/]{40,}={0,2})/dg, group: 1 },
  { kind: "azure_shared_access_key", re: /\bSharedAccessKey=([A-Za-z0-9+\/]{20,}={0,2})/dg, group: 1 },
  { kind: "azure_sas_token", re: /\bSharedAccessSignature=([^;\s"'`]{20,})/dg, group: 1 },
  { kind: "azure_sas_token", re: /[?&]sig=([A-Za-z0-9%+\/=]{20,})/dg, group: 1, own: true },
  {
    kind: "azure_client_secret",
    re: /(?:^|[\s"'`=:(,>])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/dg,
    group: 1,
    accept: random,
    gate: "Q~",
  },
];

/** Sticky twins of the rules, run at one position where a cheap trigger says a token may start. */
const STICKY = new Map(RULES.map((r) => [r, new RegExp(r.re.source, r.re.flags.replace("g", "") + "y")]));
const rulesOf = (...kinds: string[]) => RULES.filter((r) => kinds.includes(r.kind) && r.gate === undefined && !r.own);

/** Tokens that start with an uppercase literal: one native scan finds every place one may start. */
const UPPER_TRIGGER = /A3T|AKIA|ASIA|ABIA|ACCA|AIza|GR1348941|SG\.|SK[0-9a-fA-F]|AC[0-9a-f]|GOCSPX-|AccountKey=|SharedAccess/g;
const UPPER_RULES = rulesOf(
  "aws_access_key_id", "gcp_api_key", "gitlab_token", "sendgrid_api_key", "twilio_api_key", "twilio_account_sid",
  "google_oauth_secret", "azure_storage_key", "azure_shared_access_key", "azure_sas_token",
);

/**
 * Tokens that start with a lowercase word and a `_`/`-` (`ghp_`, `sk-`, `xoxb-`, `glpat-`, …) followed by at least
 * ten token characters: the separator is the trigger (lowercase letters are everywhere in prose, separators
 * followed by a long run are not), and the word before it picks the rules to try.
 */
const LOWER_TRIGGER = /[_-](?=[A-Za-z0-9_+\/=-]{10})/g;
const LOWER_WORDS = new Map<string, ShapeRule[]>();
for (const [words, kinds] of [
  ["ghp gho ghu ghs ghr github", ["github_token"]],
  ["glpat gldt glrt glptt glcbt glimt glft glsoat gloas glagent glwt", ["gitlab_token"]],
  ["xoxa xoxb xoxp xoxo xoxs xoxr xoxe xapp", ["slack_token"]],
  ["sk", ["stripe_key", "anthropic_api_key", "openai_api_key"]],
  ["rk", ["stripe_key"]],
  ["hf api", ["huggingface_token"]],
  ["npm", ["npm_token"]],
  ["pypi", ["pypi_token"]],
  ["osk", ["evalport_api_key"]],
  ["whsec", ["webhook_secret"]],
] as const) {
  for (const w of words.split(" ")) LOWER_WORDS.set(w, rulesOf(...kinds));
}
const LOWER_KINDS = new Set([...LOWER_WORDS.values()].flat());

/** Rules with their own scan: a gate literal, or a trigger neither table above covers. */
const OWN_RULES = RULES.filter(
  (r) => !UPPER_RULES.includes(r) && !LOWER_KINDS.has(r),
);

const isLower = (c: number) => c >= 97 && c <= 122;

/** Tries `rules` at `at`; pushes the longest accepted match and returns its end, or -1. */
function tryAt(s: string, at: number, rules: readonly ShapeRule[], out: Finding[]): number {
  let best: Finding | null = null;
  for (const rule of rules) {
    const re = STICKY.get(rule)!;
    re.lastIndex = at;
    const m = re.exec(s);
    if (m === null) continue;
    const f = accepted(rule, m);
    if (f !== null && (best === null || f.end - f.start > best.end - best.start)) best = f;
  }
  if (best === null) return -1;
  out.push(best);
  return best.end;
}

function accepted(rule: ShapeRule, m: RegExpExecArray): Finding | null {
  let start = m.index;
  let token = m[0];
  if (rule.group !== undefined) {
    const span = m.indices?.[rule.group];
    const g = m[rule.group];
    if (!span || g === undefined) return null;
    start = span[0];
    token = g;
  }
  if (rule.accept && !rule.accept(token)) return null;
  if (isPlaceholderTail(token.slice(rule.prefix ?? 0))) return null;
  return { start, end: start + token.length, kind: rule.kind, priority: PRIORITY.shape };
}

/**
 * Appends every shape match in `s` to `out`. Text with no trigger costs two native scans (plus the few rules with
 * their own); each trigger runs only the rules that can start there, anchored (sticky) at that position.
 */
export function findShapes(s: string, out: Finding[]): void {
  UPPER_TRIGGER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = UPPER_TRIGGER.exec(s)) !== null) {
    const end = tryAt(s, m.index, UPPER_RULES, out);
    UPPER_TRIGGER.lastIndex = end > m.index ? end : m.index + 1;
  }
  LOWER_TRIGGER.lastIndex = 0;
  while ((m = LOWER_TRIGGER.exec(s)) !== null) {
    const sep = m.index;
    let a = sep;
    while (a > 0 && sep - a < 8 && isLower(s.charCodeAt(a - 1))) a--;
    const rules = a < sep ? LOWER_WORDS.get(s.slice(a, sep)) : undefined;
    if (rules === undefined) continue;
    // `xoxe.xoxp-…`: the token starts at the word before the dot.
    let start = a;
    if (s.charCodeAt(a - 1) === 46 && s.startsWith("xox", a)) {
      let b = a - 1;
      while (b > 0 && a - 1 - b < 8 && isLower(s.charCodeAt(b - 1))) b--;
      if (b < a - 1) start = b;
    }
    let end = tryAt(s, start, rules, out);
    if (end === -1 && start !== a) end = tryAt(s, a, rules, out);
    if (end > sep) LOWER_TRIGGER.lastIndex = end;
  }
  for (const rule of OWN_RULES) {
    if (rule.gate !== undefined && s.indexOf(rule.gate) === -1) continue;
    const re = rule.re;
    re.lastIndex = 0;
    while ((m = re.exec(s)) !== null) {
      const f = accepted(rule, m);
      if (f !== null) out.push(f);
    }
  }
}
