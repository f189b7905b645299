/**
 * Does an assignment's name say its value is a secret? `DB_PASSWORD`, `apiKey`, `x-api-key`, `client_secret`,
 * `aws_secret_access_key` do; `token_type`, `primaryKey`, `max_tokens`, `next_page_token`, `secret_name` do not.
 * Names whose last word is only `key`/`pass`/`auth` are "weak": their value must also look random.
 */

export interface SecretName {
  kind: string;
  strong: boolean;
}

/** Compound words written without separators (`apikey`, `authtoken`) split into their parts. */
const COMPOUND_HEADS = [
  "api", "auth", "access", "secret", "private", "client", "session", "refresh", "bearer", "master", "db", "user",
  "admin", "root", "app", "signing", "encryption", "service", "account", "storage", "deploy", "webhook", "bot",
  "oauth", "id", "consumer", "shared", "jwt",
];
const COMPOUND_TAILS = ["token", "key", "secret", "password", "passwd", "pwd"];

function splitWords(name: string): string[] {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  const out: string[] = [];
  for (const raw of words) {
    const w = raw.toLowerCase();
    const tail = COMPOUND_TAILS.find((t) => w.length > t.length && w.endsWith(t));
    const head = tail === undefined ? undefined : w.slice(0, w.length - tail.length);
    if (tail !== undefined && head !== undefined && COMPOUND_HEADS.includes(head)) out.push(head, tail);
    else out.push(w);
  }
  return out;
}

const BENIGN_LAST = new Set([
  "id", "ids", "name", "names", "length", "len", "size", "file", "filename", "path", "paths", "dir", "url", "uri",
  "urls", "endpoint", "host", "type", "types", "count", "ref", "refs", "arn", "version", "manager", "provider",
  "store", "field", "fields", "label", "hint", "policy", "regex", "pattern", "required", "min", "max", "enabled",
  "disabled", "expires", "expiry", "expiration", "ttl", "at", "time", "timestamp", "header", "headers", "prefix",
  "suffix", "format", "mode", "method", "kind", "schema", "scope", "scopes", "limit", "limits", "usage", "index",
  "encoding", "algorithm", "alg", "validator", "input", "placeholder", "error", "errors", "message", "strength",
  "visible", "shown", "column", "location", "source", "env", "var", "vars", "variable", "helper", "fingerprint",
  "hash", "hashed", "rotation", "reset", "changed", "status", "state", "valid", "invalid", "check", "test",
  "tests", "spec", "mock", "budget", "window", "cost", "rate", "counter", "tokens", "class", "icon", "button",
  "link", "form", "modal", "dialog", "page", "view", "route", "handler", "service", "repository", "model",
  "entity", "table", "last", "first", "issuer", "audience", "subject", "lifetime", "duration", "interval",
  "timeout", "sent", "used", "created", "updated", "keys", "secrets", "passwords", "credentials_file", "config",
  "settings", "option", "options", "param", "params", "parameter", "description", "desc", "title", "text", "help",
  "value_from", "from", "ref", "selector", "mount", "volume", "bytes", "bits", "exists", "present", "set",
  "missing", "loaded", "found", "ok",
]);

/** Words that may trail the telling word without changing its meaning: `SECRET_KEY_BASE`, `API_KEY_2`, `_PROD`. */
const QUALIFIER_TAIL = new Set([
  "value", "base", "str", "b64", "base64", "hex", "raw", "plain", "plaintext", "encoded", "data", "prod",
  "production", "dev", "development", "staging", "stage", "live", "old", "new", "current", "primary",
  "secondary", "backup", "override", "local", "remote", "v1", "v2",
]);

/** A `*_TOKEN` that is not a credential: pagination cursors and the special tokens of a tokenizer. */
const TOKEN_BENIGN_PREV = new Set([
  "next", "page", "continuation", "sync", "cursor", "pagination", "prev", "previous", "max", "min", "stop", "eos",
  "bos", "pad", "unk", "sep", "cls", "mask", "special", "start", "end", "cancellation", "cancel", "abort", "lexer",
  "parser", "input", "output", "completion", "prompt", "reasoning", "cached", "total", "new", "last", "first",
  "num", "word", "sentence", "design", "color", "css", "theme", "spacing", "font", "nonce",
]);

/** A `*_KEY` that holds a secret. */
const KEY_SECRET_PREV = new Set([
  "api", "secret", "private", "access", "account", "client", "encryption", "signing", "sign", "master", "auth",
  "shared", "app", "application", "license", "licence", "webhook", "session", "jwt", "hmac", "crypto", "cipher",
  "subscription", "ssh", "gpg", "pgp", "deploy", "admin", "write", "consumer", "root", "stripe", "openai",
  "anthropic", "mailgun", "sendgrid", "twilio", "google", "maps", "firebase", "algolia", "pusher", "mapbox",
  "security", "recaptcha", "captcha", "management", "instrumentation", "ingest", "ingestion", "server", "backend",
  "bearer", "personal", "project", "install", "registration", "activation", "product", "encrypt", "decrypt",
  "aes", "rsa", "kms", "vault", "unseal", "recovery", "wallet", "mnemonic", "seed", "cookie", "csrf", "xsrf",
  "service", "developer", "partner", "merchant", "payment", "live", "prod", "test", "sandbox", "user", "bot",
  "integration", "resend", "postmark", "brevo", "groq", "mistral", "cohere", "gemini", "deepseek", "replicate",
  "together", "fireworks", "perplexity", "xai", "voyage", "pinecone", "weaviate", "supabase", "clerk", "sentry",
  "datadog", "dd", "newrelic", "segment", "mixpanel", "amplitude", "posthog", "linear", "notion", "airtable",
]);

/** A `*_KEY` that names a record, a map entry or a public value. */
const KEY_BENIGN_PREV = new Set([
  "primary", "foreign", "sort", "partition", "cache", "public", "pub", "hot", "idempotency", "object", "s3", "map",
  "react", "unique", "composite", "dedupe", "dedup", "lookup", "cursor", "i18n", "translation", "registry", "kv",
  "redis", "row", "hash", "group", "routing", "shard", "bucket", "natural", "sequence", "schema", "item", "list",
  "dict", "table", "column", "field", "order", "index", "query", "search", "short", "sub", "meta", "lang",
  "locale", "msg", "config", "setting", "storage", "local", "sort", "event", "state", "store", "query", "mutation",
  "swr", "route", "path", "file", "object", "blob", "asset", "image", "entry", "node", "child", "parent",
  "element", "component", "prop", "data", "value", "label", "option", "menu", "tab", "radio", "toggle", "keyboard",
  "shortcut", "hot", "modifier", "dictionary", "translation", "message", "error", "feature", "flag", "metric",
  "log", "span", "trace", "tag", "attribute", "attr", "column", "header", "param", "env", "var", "variable",
]);

const PASSWORD_WORDS = new Set(["password", "passwd", "passphrase", "pwd", "pass"]);
const STRONG_LAST = new Set([
  "secret", "password", "passwd", "passphrase", "credential", "credentials", "creds", "apikey", "pat", "sas",
]);

function kindFor(words: string[], last: string): string {
  const has = (w: string) => words.includes(w);
  if (has("aws") && has("secret")) return "aws_secret_access_key";
  if (has("secret") && has("access") && last === "key") return "aws_secret_access_key";
  if (has("aws") && has("session") && last === "token") return "aws_session_token";
  if (has("twilio") && (last === "token" || has("auth"))) return "twilio_auth_token";
  if (PASSWORD_WORDS.has(last)) return "password";
  if (last === "token") return "token";
  if (last === "key" && words[words.length - 2] === "api") return "api_key";
  if (last === "key" && words[words.length - 2] === "private") return "private_key";
  if (last === "apikey") return "api_key";
  return "secret";
}

/** Classifies an assignment name; `null` when the name does not say secret. */
export function classifyName(name: string): SecretName | null {
  if (name.length > 80) return null;
  let words = splitWords(name);
  while (words.length > 1 && (QUALIFIER_TAIL.has(words[words.length - 1]!) || /^\d+$/.test(words[words.length - 1]!))) {
    words = words.slice(0, -1);
  }
  const last = words[words.length - 1];
  if (last === undefined || BENIGN_LAST.has(last)) return null;
  const prev = words[words.length - 2];
  const kind = kindFor(words, last);
  if (STRONG_LAST.has(last)) return { kind, strong: true };
  if (last === "token") return prev !== undefined && TOKEN_BENIGN_PREV.has(prev) ? null : { kind, strong: true };
  if (last === "key") {
    if (prev === undefined) return { kind, strong: false };
    if (KEY_SECRET_PREV.has(prev)) return { kind, strong: true };
    if (KEY_BENIGN_PREV.has(prev)) return null;
    return { kind, strong: false };
  }
  if (last === "pass" || last === "pwd") return prev === undefined ? null : { kind, strong: true };
  if (last === "auth") return { kind: "secret", strong: false };
  return null;
}
