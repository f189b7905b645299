/**
 * Values assigned to names that say secret, in the syntaxes sessions print: `.env` and shell (`KEY=v`,
 * `export KEY="v"`), YAML (`password: v`), JSON (`"apiKey": "v"`, also JSON-escaped inside a string), TOML/INI,
 * source code (`API_TOKEN = "v"`), HTTP headers (`X-Api-Key: v`) and command-line flags (`--token v`).
 * The scan looks for the telling word first (one regex pass), then reads the name around it and the value after.
 */
import { authorizationAt } from "./context";
import { type Finding, PRIORITY } from "./finding";
import { classifyName, type SecretName } from "./names";
import { hasDigit, isNonValue, isPlaceholder, isReference, looksRandom } from "./values";

/** The telling words; everything else about the name is read around the hit. */
const KEYWORD = /[Ss][Ee][Cc][Rr][Ee][Tt]|[Pp][Aa][Ss][Ss]|[Pp][Ww][Dd]|[Tt][Oo][Kk][Ee][Nn]|[Kk][Ee][Yy]|[Cc][Rr][Ee][Dd]|[Aa][Uu][Tt][Hh]|\b[Pp][Aa][Tt]\b|\b[Ss][Aa][Ss]\b/g;

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46
  );
}

const SPACE = (c: number) => c === 32 || c === 9;

/** The telling words, tested on a candidate name (never scanned over the whole text). */
const KEYWORD_IN_NAME = new RegExp(KEYWORD.source);

/**
 * Anchored on what every assignment has — an operator (`=`, `:`) or a flag's leading `-` — rather than on the
 * telling words, which are everywhere in prose and code (`auth/`, `key`, `tokens`): native scans for the
 * operators, then a walk back to the name before each, and the keyword test on that short name only.
 */

export function findAssignments(s: string, out: Finding[]): void {
  let lastName = -1;
  // Two native scans merged in order (no match objects): the next `=` and the next `:`.
  let eq = s.indexOf("=");
  let colon = s.indexOf(":");
  while (eq !== -1 || colon !== -1) {
    let op: number;
    if (colon === -1 || (eq !== -1 && eq < colon)) {
      op = eq;
      eq = s.indexOf("=", eq + 1);
    } else {
      op = colon;
      colon = s.indexOf(":", colon + 1);
    }
    let j = op;
    const before = s.charCodeAt(j - 1);
    if (before === 63 || before === 43 || before === 58) j--; // ?= += :=
    while (j > 0 && SPACE(s.charCodeAt(j - 1))) j--;
    if (s.charCodeAt(j - 1) === 93) j--; // os.environ["KEY"] = …
    const q = s.charCodeAt(j - 1);
    if (q === 34 || q === 39 || q === 96) {
      j--;
      if (q === 34 && s.charCodeAt(j - 1) === 92) j--; // \"password\": …
    }
    const b = j;
    if (b === lastName) continue; // `:=` seen from its `=`
    let a = b;
    while (a > 0 && b - a < 80 && isNameChar(s.charCodeAt(a - 1))) a--;
    if (a === b) continue;
    lastName = b;
    assignmentAt(s, a, b, out);
  }
  // `--token value`, `-password value`: a flag, its value after one space.
  for (let d = s.indexOf("-"); d !== -1; d = s.indexOf("-", d + 1)) {
    if (d > 0 && isNameChar(s.charCodeAt(d - 1))) continue;
    let b = d;
    while (b < s.length && b - d < 80 && isNameChar(s.charCodeAt(b))) b++;
    if (b - d < 3 || (s.charCodeAt(b) !== 32 && s.charCodeAt(b) !== 9)) {
      d = b;
      continue;
    }
    assignmentAt(s, d, b, out);
    d = b;
  }
}

/** The name `s[a, b)` followed by an operator (or a flag's space): a finding when both name and value say secret. */
function assignmentAt(s: string, a: number, b: number, out: Finding[]): void {
  if (b - a >= 13 && (s.charCodeAt(b - 1) | 32) === 110 && s.slice(b - 12, b).toLowerCase() === "uthorization") {
    authorizationAt(s, b, out);
  }
  const rawName = trimName(s.slice(a, b));
  const name = classifyCached(rawName);
  if (name === null) return;
  const found = readValue(s, a, b, s.charCodeAt(a) === 45);
  if (found === null) return;
  const { start, end, quoted, envLine, endOfLine } = found;
  const value = s.slice(start, end);
  if (!acceptValue(value, name.strong, quoted, envLine, endOfLine, rawName)) return;
  out.push({ start, end, kind: name.kind, priority: PRIORITY.assignment, remember: value.length >= 6 });
}

function trimName(raw: string): string {
  let i = 0;
  let j = raw.length;
  while (i < j && (raw.charCodeAt(i) === 45 || raw.charCodeAt(i) === 46)) i++;
  while (j > i && (raw.charCodeAt(j - 1) === 45 || raw.charCodeAt(j - 1) === 46)) j--;
  return i === 0 && j === raw.length ? raw : raw.slice(i, j);
}

/** Names repeat across strings (`apiKey`, `id`, `DB_PASSWORD`): test and classify each once, in a bounded cache. */
const NAME_CACHE = new Map<string, SecretName | null>();
function classifyCached(name: string): SecretName | null {
  const hit = NAME_CACHE.get(name);
  if (hit !== undefined) return hit;
  const r = KEYWORD_IN_NAME.test(name) ? classifyName(name) : null;
  if (NAME_CACHE.size >= 4096) NAME_CACHE.clear();
  NAME_CACHE.set(name, r);
  return r;
}

interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
  /** `NAME=value` at the start of a line: a `.env` file or a shell assignment. */
  envLine: boolean;
  /** The value is the last thing on its line (YAML, `.env`), not followed by `;`, `,` or code. */
  endOfLine: boolean;
}

/** Reads `<close-quote>? <op> <value>` after the name ending at `b`; `null` when no assignment follows. */
function readValue(s: string, a: number, b: number, flag: boolean): ValueSpan | null {
  let j = b;
  const c0 = s.charCodeAt(j);
  if (c0 === 34 || c0 === 39 || c0 === 96) j++;
  else if (c0 === 92 && s.charCodeAt(j + 1) === 34) j += 2;
  if (s.charCodeAt(j) === 93) j++; // os.environ["KEY"] = …
  const beforeOp = j;
  while (j < s.length && SPACE(s.charCodeAt(j))) j++;
  const spacedBefore = j > beforeOp;
  const c = s.charCodeAt(j);
  const n = s.charCodeAt(j + 1);
  if (c === 61) {
    if (n === 61 || n === 126) return null; // ==, =~ compare
    j += n === 62 ? 2 : 1; // = or =>
  } else if (c === 58) {
    if (n === 58) return null; // Foo::Bar
    j += n === 61 ? 2 : 1; // : or :=
  } else if ((c === 63 || c === 43) && n === 61) {
    j += 2; // ?= +=
  } else if (flag && spacedBefore && j === beforeOp + 1) {
    // --token value
  } else {
    return null;
  }
  const afterOp = j;
  while (j < s.length && SPACE(s.charCodeAt(j))) j++;
  const envLine = !spacedBefore && j === afterOp && c === 61 && atLineStart(s, a);
  const q = s.charCodeAt(j);
  if (q === 34 || q === 39 || q === 96) {
    const close = s.indexOf(String.fromCharCode(q), j + 1);
    if (close === -1 || close - j > 1024) return null;
    if (q === 34 && s.charCodeAt(close - 1) === 92) return readEscaped(s, j + 1, close);
    const nl = s.indexOf("\n", j + 1);
    if (nl !== -1 && nl < close) return null;
    return { start: j + 1, end: close, quoted: true, envLine, endOfLine: true };
  }
  if (q === 92 && s.charCodeAt(j + 1) === 34) {
    // JSON-escaped text: \"password\": \"value\"
    const close = s.indexOf('\\"', j + 2);
    if (close === -1 || close - j > 1024) return null;
    return { start: j + 2, end: close, quoted: true, envLine: false, endOfLine: true };
  }
  let e = j;
  while (e < s.length && e - j < 512 && !endsBareValue(s, e)) e++;
  if (e === j) return null;
  let k = e;
  while (k < s.length && SPACE(s.charCodeAt(k))) k++;
  const t = s.charCodeAt(k);
  const endOfLine = k >= s.length || t === 10 || t === 13 || t === 35 || (t === 92 && s.charCodeAt(k + 1) === 110);
  return { start: j, end: e, quoted: false, envLine, endOfLine };
}

/** The value of a `"…\"…"`-style string whose first closing quote was escaped: read to the real close. */
function readEscaped(s: string, from: number, firstClose: number): ValueSpan | null {
  let i = firstClose;
  while (i < s.length && i - from < 1024) {
    if (s.charCodeAt(i) === 34 && s.charCodeAt(i - 1) !== 92) return { start: from, end: i, quoted: true, envLine: false, endOfLine: true };
    i++;
  }
  return null;
}

function atLineStart(s: string, a: number): boolean {
  let i = a;
  if (s.slice(Math.max(0, i - 7), i) === "export ") i -= 7;
  else if (s.slice(Math.max(0, i - 4), i).toLowerCase() === "set ") i -= 4;
  while (i > 0 && SPACE(s.charCodeAt(i - 1))) i--;
  if (i === 0) return true;
  const c = s.charCodeAt(i - 1);
  return c === 10 || c === 13 || (c === 110 && s.charCodeAt(i - 2) === 92) || c === 59 || c === 38;
}

/** Where an unquoted value stops: whitespace, quotes, separators, brackets, or an escaped newline (`\n`). */
function endsBareValue(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c <= 32) return true;
  switch (c) {
    case 34: case 39: case 96: case 44: case 59: case 41: case 125: case 93: case 40: case 123: case 91: case 60: case 62:
      return true;
    case 38: // & ends a query-string value
      return true;
    case 92: {
      const n = s.charCodeAt(i + 1);
      return n === 110 || n === 114 || n === 116 || n === 34;
    }
    default:
      return false;
  }
}

const CODE_LIKE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^[A-Za-z_$][\w$]*\(|=>|^\w+\[|^[a-z]+:\/\//;
const PATH_LIKE = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)|\.(?:pem|key|json|txt|crt|p12|pfx|yml|yaml|env|ts|js|py)$/i;

/** Whether a value assigned to a secret-saying name is a secret (shared with JSON-aware argument redaction). */
export function acceptValue(
  value: string,
  strong: boolean,
  quoted: boolean,
  envLine: boolean,
  endOfLine: boolean,
  name: string,
): boolean {
  const v = value;
  if (v.length < 4 || v.length > 512) return false;
  if (isPlaceholder(v) || isReference(v) || isNonValue(v)) return false;
  if (v.toLowerCase() === name.toLowerCase()) return false;
  if (PATH_LIKE.test(v) || CODE_LIKE.test(v)) return false;
  if (/\s/.test(v)) return false; // prose, UI labels, sentences
  if (/^0x[0-9a-f]+$/i.test(v) || /[^\x20-\x7e]/.test(v)) return false; // numeric literal, translated message
  if (/^\d+(?:\.\d+)?$/.test(v) && !(strong && name.toLowerCase().includes("pass") && v.length >= 6)) return false;
  if (!strong) return looksRandom(v);
  if (envLine) return v.length >= 6 || hasDigit(v);
  // Outside `.env`, words (`omit`, `MINIFLARE_PROXY_SECRET`, `MF-Op-Secret`, `clientSecret`) are enum values,
  // constant names and variables; a dictionary-word password there is indistinguishable and left alone.
  if (WORD_LIKE.test(v)) return false;
  return quoted || endOfLine || hasDigit(v);
}

const WORD_LIKE = /^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/;
