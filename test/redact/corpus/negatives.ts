/**
 * Benign look-alikes: tokens a naive scanner would flag. Each `text` must come out of redaction unchanged; the
 * bench counts a false positive per look-alike that does not.
 */
import { b64, hex } from "./fake";

export interface Negative {
  context: string;
  text: string;
}

const SHA = hex(40, 101);
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk" + b64(200, 102) + "=";

export const NEGATIVES: Negative[] = [
  { context: "git log", text: `commit ${SHA}\nAuthor: dev\n\n    Fix login redirect` },
  { context: "git short SHA", text: `HEAD is now at 3f2a9c1 Fix the login redirect` },
  { context: "UUID", text: `session 123e4567-e89b-12d3-a456-426614174000 created` },
  { context: "UUID as a key", text: `{"key": "9b2f4c1e-7d3a-4e8b-9f6c-2a1b3c4d5e6f"}` },
  { context: "package-lock integrity", text: `"integrity": "sha512-${b64(86, 103)}=="` },
  { context: "yarn.lock checksum", text: `  checksum: ${hex(128, 104)}` },
  { context: "base64 image", text: `<img src="data:image/png;base64,${PNG}">` },
  { context: "minified code", text: `function(e,t){var n=e.key,r=t.token;return n===r?e.secret:t.password}` },
  { context: "minified keymap", text: "[{key:`Shift-Alt-ArrowDown`,run:au},{key:`Mod-Alt-ArrowUp`,run:Ll}]" },
  { context: "AWS docs example key id", text: `aws_access_key_id = AKIAIOSFODNN7EXAMPLE` },
  { context: "AWS docs example secret", text: `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` },
  { context: "placeholder in .env.example", text: `OPENAI_API_KEY=YOUR_API_KEY_HERE` },
  { context: "elided key in docs", text: `export OPENAI_API_KEY=sk-...` },
  { context: "angle-bracket placeholder", text: `curl -H "Authorization: Bearer <token>" https://api.acme.dev` },
  { context: "shell variable", text: `curl -H "Authorization: Bearer $EVALPORT_KEY" "$URL/api/sessions"` },
  { context: "env reference in code", text: `const apiKey = process.env.OPENAI_API_KEY;` },
  { context: "template variable", text: `password: {{ .Values.db.password }}` },
  { context: "GitHub Actions secret reference", text: `token: \${{ secrets.GITHUB_TOKEN }}` },
  { context: "x placeholder token", text: `GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` },
  { context: "changeme default", text: `POSTGRES_PASSWORD=changeme` },
  { context: "masked value", text: `password: ********` },
  { context: "TypeScript interface", text: `interface Login {\n  password: string;\n  token?: string | null;\n  apiKey: ApiKey;\n}` },
  { context: "zod schema", text: `const schema = z.object({ password: z.string().min(8), token: z.string() });` },
  { context: "python type hints", text: `def login(password: str, api_key: Optional[str] = None) -> Token:` },
  { context: "token usage stats", text: `{"promptTokens": 4000, "completionTokens": 521, "max_tokens": 4096}` },
  { context: "tokenizer config", text: `{"eos_token": "</s>", "pad_token": "<pad>", "bos_token": "<s>"}` },
  { context: "pagination token", text: `{"items": [], "next_page_token": "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA4ZzAwMDA4ZBAB"}` },
  { context: "primary key in SQL", text: `CREATE TABLE t (id TEXT PRIMARY KEY, sort_key TEXT)` },
  { context: "React key prop", text: `items.map((item) => <Row key={item.id} {...item} />)` },
  { context: "cache key", text: `const cacheKey = \`user:\${id}:profile\`;` },
  { context: "password field label", text: `<input type="password" name="password" placeholder="Enter your password">` },
  { context: "prose about tokens", text: `The token expired, so the key rotation job re-issued the secret; check the password policy.` },
  { context: "URL without credentials", text: `See https://docs.acme.dev/guide/auth?tab=tokens#refresh` },
  { context: "URL with placeholder password", text: `DATABASE_URL=postgres://user:password@localhost:5432/app` },
  { context: "URL with env reference", text: `DATABASE_URL=postgres://app:\${DB_PASSWORD}@db:5432/app` },
  { context: "ssh git remote", text: `git@github.com:acme/app.git` },
  { context: "npm env var", text: `npm_config_registry=https://registry.npmjs.org/ npm_package_version=1.2.3` },
  { context: "CSS class sk-", text: `<div class="sk-fading-circle sk-circle-bounce-delay"></div>` },
  { context: "hf_ function", text: `from huggingface_hub import hf_hub_download\nhf_hub_download(repo_id="gpt2", filename="config.json")` },
  { context: "token type", text: `{"token_type": "Bearer", "expires_in": 3600, "scope": "read"}` },
  { context: "secret name reference", text: `secretName: db-credentials\nsecret_name: prod/api` },
  { context: "pwd output", text: `$ pwd\n/srv/app\nPWD=/srv/app` },
  { context: "K8s ConfigMap data (not a Secret)", text: `apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n  FEATURE_FLAGS: a,b,c\n` },
  { context: "key file path", text: `SSL_KEY=/etc/ssl/private/server.key\nGOOGLE_APPLICATION_CREDENTIALS=./sa.json` },
  { context: "hex colour and numbers", text: `--accent: #3f2a9c; timeout: 30000; key: 0x0B96` },
  { context: "PEM public key", text: `-----BEGIN PUBLIC KEY-----\n${b64(64, 105)}\n-----END PUBLIC KEY-----` },
  { context: "PEM doc placeholder", text: `-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----` },
  { context: "Claude thinking signature", text: `{"type":"thinking","signature":"${b64(300, 106)}"}` },
  { context: "docker image digest", text: `image: nginx@sha256:${hex(64, 107)}` },
  { context: "stripe publishable key", text: `const stripe = Stripe('pk_live_51HxAbCdEfGhIjKlMnOpQrSt');` },
  { context: "evalport key prefix", text: `{"prefix": "osk_3f9a1b2c", "name": "ci"}` },
  { context: "already redacted", text: `OPENAI_API_KEY=[REDACTED:openai_api_key#1]` },
  { context: "constant name as value", text: `DATA_PROXY_SECRET: "MINIFLARE_PROXY_SECRET",\nOP_SECRET: "MF-Op-Secret",` },
  { context: "credentials mode", text: `fetch(url, { credentials: "include", mode: "cors" })` },
  { context: "variable as value", text: `headers: {\n  "CF-Access-Client-Secret": clientSecret\n}` },
];
