/**
 * Judging a candidate value: is it a documentation placeholder, a reference to a secret kept elsewhere, or a
 * random-looking string? Shared by every detector so "left alone" means the same thing everywhere.
 */

/** Bits of Shannon entropy per character; random base62 runs score above ~4, English words below ~3.2. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Character classes present: lowercase, uppercase, digit. */
export function classCount(s: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
  }
  return lower + upper + digit;
}

export function hasDigit(s: string): boolean {
  return /\d/.test(s);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Random-looking: long, with digits among letters, high entropy, not a UUID — the tie-breaker for ambiguous
 * names only (`key`, `auth`), where words like `Shift-Alt-ArrowDown` or a record's UUID must not count.
 */
export function looksRandom(s: string, minLength = 16): boolean {
  return s.length >= minLength && hasDigit(s) && classCount(s) >= 2 && entropy(s) >= 3.3 && !UUID.test(s);
}

const PLACEHOLDER_WORDS = new Set([
  "changeme", "change_me", "change-me", "changeit", "replaceme", "replace_me", "replace-me", "placeholder",
  "dummy", "redacted", "secret", "secrets", "password", "passwd", "passphrase", "token", "apikey", "api_key",
  "api-key", "key", "test", "testing", "example", "sample", "foo", "bar", "baz", "foobar", "todo", "tbd", "none",
  "null", "nil", "undefined", "empty", "default", "xxx", "abc", "fake", "mock", "notasecret", "not-a-secret",
  "secretvalue", "mysecret", "mypassword", "mytoken", "string", "value", "your-key", "yourkey",
]);

const PLACEHOLDER_SHAPES = [
  /example/i, // AWS's published AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, "example-token"
  /^(?:your|insert|enter|put|paste)[-_ ]?[a-z0-9_ -]{0,40}$/i, // YOUR_API_KEY_HERE, your-token, insert-key
  /^(?:my|the|some|an?|add|set|replace)[-_ ][a-z0-9_ -]{0,40}$/i, // my_secret_token, my-password
  /[-_ ](?:here|goes[-_ ]here)$/i,
  /^<[^>]*>$|^\[[^\]]*\]$|^\{[^}]*\}$|^\(.*\)$/, // <token>, [your key], {secret}
  /^\$\{?[A-Za-z_][\w.]*\}?$|^\$\(|^\{\{.*\}\}$|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$/, // $VAR ${VAR} $(cmd) {{ v }} %V% @V@
  /x{4,}|X{4,}|\*{3,}|\.{3}|…|•{3,}|#{4,}|0{8,}/, // sk-..., ghp_xxxx, ****, 00000000
  /abcdefgh|12345678|qwertyui/i,
  /^\[REDACTED:/, // already masked: redaction is idempotent
];

/** A documentation placeholder or template variable, not a secret (see docs/readme/redaction.md). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_WORDS.has(v.toLowerCase())) return true;
  for (const re of PLACEHOLDER_SHAPES) if (re.test(v)) return true;
  return distinctChars(v) <= 3;
}

/** Placeholder check on the random part of a prefixed token (`ghp_` + tail), where the prefix is not evidence. */
export function isPlaceholderTail(tail: string): boolean {
  return distinctChars(tail) <= 4 || isPlaceholder(tail);
}

function distinctChars(s: string): number {
  const seen = new Set<string>();
  for (const ch of s) {
    seen.add(ch);
    if (seen.size > 4) return seen.size;
  }
  return seen.size;
}

/** Where a value names a secret kept elsewhere (env lookups, secret managers, template syntax) — not a secret. */
const REFERENCE = /^(?:\$|\{\{|<%|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|env[.(:[]|ENV\[|secrets\.|vars\.|c\.env|this\.|self\.|ctx\.|config\.|settings\.|!(?:Ref|Sub|GetAtt)\b|arn:aws:|ssm:|vault:|op:\/\/|sm:\/\/|projects\/[^/]+\/secrets\/)/;

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** Words that, as a value, mean a type annotation, a flag or an empty setting. */
const NON_VALUES = new Set([
  "true", "false", "null", "none", "nil", "undefined", "yes", "no", "on", "off", "string", "str", "number", "int",
  "integer", "bool", "boolean", "any", "unknown", "object", "optional", "required", "bytes", "text", "char",
  "varchar", "list", "dict", "map", "array", "void", "never", "function", "secretstr", "env", "omitted", "hidden",
  "masked", "sensitive", "encrypted", "random", "generated", "auto", "inherit", "prompt", "ask", "stdin", "file",
]);

export function isNonValue(value: string): boolean {
  return NON_VALUES.has(value.toLowerCase());
}
