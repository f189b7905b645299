/**
 * Labelled positives: each secret in the context it really appears in (printed .env files, YAML, JSON configs,
 * source code, shell commands inside tool calls, stack traces). `secret` must vanish, replaced by `kind`'s placeholder.
 */
import { b64, fake, hex, upper32 } from "./fake";

export interface Positive {
  kind: string;
  context: string;
  text: string;
  secret: string;
}

const AKID = "AKIA" + upper32(16, 1);
const ASID = "ASIA" + upper32(16, 2);
const AWS_SECRET = b64(40, 3);
const GCP = "AIza" + "Sy" + fake(33, 4);
const AZ_KEY = b64(86, 5) + "==";
const AZ_SAK = b64(43, 6) + "=";
const GHP = "ghp_" + fake(36, 7);
const GHO = "gho_" + fake(36, 8);
const GHS = "ghs_" + fake(36, 9);
const GHPAT = "github_pat_" + fake(22, 10) + "_" + fake(59, 11);
const GLPAT = "glpat-" + fake(20, 12);
const SLACK_BOT = "xoxb-" + "2984173" + "50231-" + "5123348" + "67890-" + fake(24, 13);
const SLACK_USER = "xoxp-" + "2984173502-" + "5123348678-" + "7732198456-" + hex(32, 14);
const SLACK_HOOK = "https://hooks.slack.com/services/T0" + fake(8, 15).toUpperCase() + "/B0" + fake(8, 16).toUpperCase() + "/" + fake(24, 17);
const STRIPE_LIVE = "sk_live_" + fake(24, 18);
const STRIPE_TEST = "sk_test_" + fake(99, 19);
const STRIPE_RK = "rk_live_" + fake(24, 20);
const OPENAI_PROJ = "sk-proj-" + fake(74, 21) + "T3BlbkFJ" + fake(74, 22);
const OPENAI_OLD = "sk-" + fake(20, 23) + "T3BlbkFJ" + fake(20, 24);
const ANTHROPIC = "sk-ant-api03-" + fake(93, 25) + "AA";
const HF = "hf_" + fake(34, 26, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").replace(/^./, "a").replace(/^(.)./, "$1Q");
const NPM = "npm_" + fake(36, 27);
const PYPI = "pypi-AgEIcHlwaS5vcmc" + fake(60, 28);
const SENDGRID = "SG." + fake(22, 29) + "." + fake(43, 30);
const TWILIO_SK = "SK" + hex(32, 31);
const TWILIO_AC = "AC" + hex(32, 32);
const TWILIO_TOKEN = hex(32, 33);
const OSK = "osk_" + fake(40, 34);
const WHSEC = "whsec_" + b64(32, 35);
const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiJ1c2VyXzQ4MjkiLCJpYXQiOjE3NjQxNDc2MDB9." + fake(43, 36);
const PEM_BODY = Array.from({ length: 6 }, (_, i) => b64(64, 40 + i)).join("\n");
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`;
const PEM_ESCAPED = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.split("\n").join("\\n")}\\n-----END PRIVATE KEY-----\\n`;
const OPENSSH = `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----`;
const DB_PASS = "Vq8#rT2m!xL4";
const BEARER = fake(40, 50);
const BASIC = b64(28, 51) + "==";
const K8S_B64 = b64(24, 52) + "==";
const SESSION_SECRET = fake(48, 53);
const DJANGO = fake(50, 54).replace(/[A-Z]/g, (c) => c.toLowerCase()) + "@#";
const CLIENT_SECRET = fake(32, 55);
const API_KEY = hex(32, 56);

export const POSITIVES: Positive[] = [
  { kind: "aws_access_key_id", context: ".env", text: `AWS_ACCESS_KEY_ID=${AKID}\nAWS_REGION=us-east-1\n`, secret: AKID },
  { kind: "aws_access_key_id", context: "aws sts output (JSON)", text: `{\n  "Credentials": {\n    "AccessKeyId": "${ASID}",\n    "Expiration": "2026-11-26T10:00:00Z"\n  }\n}`, secret: ASID },
  { kind: "aws_secret_access_key", context: "~/.aws/credentials", text: `[default]\naws_access_key_id = ${AKID}\naws_secret_access_key = ${AWS_SECRET}\n`, secret: AWS_SECRET },
  { kind: "aws_secret_access_key", context: "aws sts output (JSON)", text: `"SecretAccessKey": "${AWS_SECRET}",`, secret: AWS_SECRET },
  { kind: "aws_secret_access_key", context: "shell export", text: `$ export AWS_SECRET_ACCESS_KEY="${AWS_SECRET}"`, secret: AWS_SECRET },
  { kind: "gcp_api_key", context: "source code", text: `const firebaseConfig = {\n  apiKey: "${GCP}",\n  authDomain: "acme.firebaseapp.com",\n};`, secret: GCP },
  { kind: "private_key", context: "GCP service-account JSON", text: `{\n  "type": "service_account",\n  "project_id": "acme-prod",\n  "private_key": "${PEM_ESCAPED}",\n  "client_email": "ci@acme-prod.iam.gserviceaccount.com"\n}`, secret: PEM_BODY.split("\n")[2]! },
  { kind: "azure_storage_key", context: "connection string", text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${AZ_KEY};EndpointSuffix=core.windows.net"`, secret: AZ_KEY },
  { kind: "azure_shared_access_key", context: "service bus connection string", text: `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${AZ_SAK}`, secret: AZ_SAK },
  { kind: "azure_sas_token", context: "SAS URL in curl", text: `curl "https://acme.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&sig=${encodeURIComponent(AZ_SAK)}"`, secret: encodeURIComponent(AZ_SAK) },
  { kind: "github_token", context: "gh auth status output", text: `github.com\n  ✓ Logged in to github.com account octo (keyring)\n  - Token: ${GHP}\n`, secret: GHP },
  { kind: "github_token", context: "git remote with token", text: `git remote set-url origin https://${GHO}@github.com/acme/app.git`, secret: GHO },
  { kind: "github_token", context: "GitHub Actions log", text: `Run actions/checkout@v4\n  with:\n    token: ${GHS}\n`, secret: GHS },
  { kind: "github_token", context: ".env", text: `GITHUB_TOKEN=${GHPAT}`, secret: GHPAT },
  { kind: "gitlab_token", context: "shell command", text: `curl --header "PRIVATE-TOKEN: ${GLPAT}" "https://gitlab.com/api/v4/projects"`, secret: GLPAT },
  { kind: "slack_token", context: "python source", text: `client = WebClient(token="${SLACK_BOT}")`, secret: SLACK_BOT },
  { kind: "slack_token", context: "YAML config", text: `slack:\n  user_token: ${SLACK_USER}\n  channel: "#alerts"\n`, secret: SLACK_USER },
  { kind: "slack_webhook_url", context: "JSON config", text: `{"alerts": {"webhook": "${SLACK_HOOK}"}}`, secret: SLACK_HOOK.slice(8) },
  { kind: "stripe_key", context: ".env", text: `STRIPE_SECRET_KEY=${STRIPE_LIVE}\nSTRIPE_PUBLISHABLE_KEY=pk_live_51Hx\n`, secret: STRIPE_LIVE },
  { kind: "stripe_key", context: "stack trace", text: `StripeAuthenticationError: Invalid API Key provided: ${STRIPE_TEST}\n    at res.toJSON.then.StripeAPIError.message (node_modules/stripe/lib/StripeResource.js:214:23)`, secret: STRIPE_TEST },
  { kind: "stripe_key", context: "source code", text: `const stripe = new Stripe('${STRIPE_RK}');`, secret: STRIPE_RK },
  { kind: "openai_api_key", context: ".env", text: `OPENAI_API_KEY=${OPENAI_PROJ}`, secret: OPENAI_PROJ },
  { kind: "openai_api_key", context: "python source", text: `openai.api_key = "${OPENAI_OLD}"`, secret: OPENAI_OLD },
  { kind: "anthropic_api_key", context: "shell command in tool call", text: `ANTHROPIC_API_KEY=${ANTHROPIC} claude -p "summarise"`, secret: ANTHROPIC },
  { kind: "huggingface_token", context: "shell command", text: `huggingface-cli login --token ${HF}`, secret: HF },
  { kind: "npm_token", context: ".npmrc", text: `//registry.npmjs.org/:_authToken=${NPM}\n`, secret: NPM },
  { kind: "pypi_token", context: ".pypirc", text: `[pypi]\n  username = __token__\n  password = ${PYPI}\n`, secret: PYPI },
  { kind: "sendgrid_api_key", context: "source code", text: `sgMail.setApiKey("${SENDGRID}");`, secret: SENDGRID },
  { kind: "twilio_api_key", context: ".env", text: `TWILIO_API_KEY=${TWILIO_SK}`, secret: TWILIO_SK },
  { kind: "twilio_account_sid", context: "source code", text: `const client = twilio("${TWILIO_AC}", process.env.TWILIO_AUTH_TOKEN);`, secret: TWILIO_AC },
  { kind: "twilio_auth_token", context: ".env", text: `TWILIO_ACCOUNT_SID=${TWILIO_AC}\nTWILIO_AUTH_TOKEN=${TWILIO_TOKEN}\n`, secret: TWILIO_TOKEN },
  { kind: "evalport_api_key", context: "curl in tool call", text: `curl -s -H "Authorization: Bearer ${OSK}" http://localhost:8787/api/sessions`, secret: OSK },
  { kind: "webhook_secret", context: "API response", text: `{"id":"wh_01","url":"https://evalport.dev/api/webhooks/wh_01/eval-ready","secret":"${WHSEC}"}`, secret: WHSEC },
  { kind: "jwt", context: "HTTP log", text: `GET /me 401\ncookie: session=${JWT}; Path=/; HttpOnly`, secret: JWT },
  { kind: "private_key", context: "cat id_rsa", text: `$ cat ~/.ssh/deploy_key\n${OPENSSH}\n`, secret: PEM_BODY.split("\n")[0]! },
  { kind: "private_key", context: "PEM in YAML block", text: `tls:\n  key: |\n    ${PEM.split("\n").join("\n    ")}\n`, secret: PEM_BODY.split("\n")[4]! },
  { kind: "password", context: "connection string in .env", text: `DATABASE_URL=postgres://app:${DB_PASS}@db.internal:5432/app?sslmode=require`, secret: DB_PASS },
  { kind: "password", context: "stack trace", text: `MongoServerSelectionError: connect ECONNREFUSED\n  uri: 'mongodb+srv://admin:${DB_PASS}@cluster0.abcd.mongodb.net/test'\n    at Timeout._onTimeout (/app/node_modules/mongodb/lib/sdam/topology.js:278:38)`, secret: DB_PASS },
  { kind: "password", context: "redis URL, empty user", text: `REDIS_URL=redis://:${DB_PASS}@cache:6379/0`, secret: DB_PASS },
  { kind: "authorization", context: "curl in tool call", text: `curl -H 'Authorization: Bearer ${BEARER}' https://api.acme.dev/v1/me`, secret: BEARER },
  { kind: "authorization", context: "HTTP request dump", text: `POST /v1/upload HTTP/1.1\nHost: api.acme.dev\nAuthorization: Basic ${BASIC}\nContent-Type: application/json`, secret: BASIC },
  { kind: "authorization", context: "JSON headers", text: `{"headers": {"Authorization": "token ${BEARER}", "Accept": "application/json"}}`, secret: BEARER },
  { kind: "password", context: "curl -u", text: `curl -u deploy:${DB_PASS} https://registry.acme.dev/v2/_catalog`, secret: DB_PASS },
  { kind: "k8s_secret", context: "Kubernetes Secret YAML", text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: ${K8S_B64}\n`, secret: K8S_B64 },
  { kind: "k8s_secret", context: "Kubernetes Secret stringData", text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  config.json: '{"mode":"prod"}'\n  upstream: ${SESSION_SECRET}\n`, secret: SESSION_SECRET },
  { kind: "k8s_secret", context: "kubectl get secret -o json", text: `{\n    "apiVersion": "v1",\n    "data": {\n        "tls.key": "${K8S_B64}"\n    },\n    "kind": "Secret"\n}`, secret: K8S_B64 },
  { kind: "secret", context: ".env", text: `NODE_ENV=production\nSESSION_SECRET=${SESSION_SECRET}\nPORT=3000\n`, secret: SESSION_SECRET },
  { kind: "secret", context: "Django settings.py", text: `SECRET_KEY = '${DJANGO}'\nDEBUG = False`, secret: DJANGO },
  { kind: "secret", context: "YAML config", text: `oauth:\n  client_id: 8f3e2a\n  client_secret: ${CLIENT_SECRET}\n`, secret: CLIENT_SECRET },
  { kind: "password", context: "docker-compose YAML", text: `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASS}\n`, secret: DB_PASS },
  { kind: "password", context: "JSON config", text: `{"db": {"host": "localhost", "user": "app", "password": "${DB_PASS}"}}`, secret: DB_PASS },
  { kind: "password", context: "JSON-escaped inside a tool result", text: `{"stdout": "{\\"password\\": \\"${DB_PASS}\\"}"}`, secret: DB_PASS },
  { kind: "password", context: "ADO.NET connection string", text: `Server=tcp:acme.database.windows.net,1433;User ID=app;Password=${DB_PASS};Encrypt=True;`, secret: DB_PASS },
  { kind: "password", context: "Spring properties", text: `spring.datasource.password=${DB_PASS}\nspring.datasource.username=app`, secret: DB_PASS },
  { kind: "password", context: "CLI flag", text: `mysql --host db --user root --password ${DB_PASS} app < dump.sql`, secret: DB_PASS },
  { kind: "api_key", context: "HTTP header", text: `curl https://api.acme.dev -H "x-api-key: ${API_KEY}"`, secret: API_KEY },
  { kind: "api_key", context: "TOML config", text: `[provider]\napi_key = "${API_KEY}"\n`, secret: API_KEY },
  { kind: "token", context: "URL query string", text: `GET https://api.acme.dev/export?access_token=${BEARER}&format=json`, secret: BEARER },
  { kind: "token", context: "python source", text: `HF_TOKEN = "${BEARER}"`, secret: BEARER },
];
