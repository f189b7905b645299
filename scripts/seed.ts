/**
 * `npm run seed`: loads the demo sessions of scripts/demo-sessions.ts into a running evalport
 * (POST /api/sessions/batch). Target: EVALPORT_URL, default http://localhost:$PORT (8787); key: EVALPORT_KEY,
 * default the one `npm start` saved in .evalport/local-key. Safe to repeat: sessions upsert by externalId.
 */
import { existsSync, readFileSync } from "node:fs";
import { demoSessions } from "./demo-sessions";
import { LOCAL_KEY_PATH } from "./lib/local";

const base = (process.env.EVALPORT_URL || `http://localhost:${process.env.PORT || "8787"}`).replace(/\/+$/, "");

function apiKey(): string {
  const key = process.env.EVALPORT_KEY?.trim() || (existsSync(LOCAL_KEY_PATH) ? readFileSync(LOCAL_KEY_PATH, "utf8").trim() : "");
  if (!key) throw new Error("No API key: set EVALPORT_KEY, or run `npm start` once to create .evalport/local-key.");
  return key;
}

async function main(): Promise<void> {
  const key = apiKey();
  let res: Response;
  try {
    res = await fetch(`${base}/api/sessions/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ sessions: demoSessions }),
    });
  } catch (err) {
    throw new Error(`Cannot reach ${base} (${(err as Error).cause ?? (err as Error).message}). Is the server running? Start it with \`npm start\`.`);
  }
  const body = (await res.json().catch(() => null)) as any;
  if (res.status === 401) throw new Error(`${base} rejected the key (401). Run \`npm start\` to get a working local key, or set EVALPORT_KEY.`);
  if (!res.ok) throw new Error(`POST /api/sessions/batch answered ${res.status}: ${JSON.stringify(body?.error ?? body)}`);

  const results: { id: string; externalId: string; created: boolean; messageCount: number }[] = body.results;
  console.log(`Loaded ${results.length} demo sessions into ${base}:`);
  results.forEach((r, i) => {
    const s = demoSessions[i]!;
    const label = s.evalReady ? `eval: ${s.evalStatus ?? "needs_review"} [${(s.evalTags ?? []).join(", ")}]` : "not eval-ready";
    console.log(
      `  ${r.created ? "created" : "updated"}  ${r.id}  ${(s.source ?? "").padEnd(11)} ${String(r.messageCount).padStart(2)} msgs  ${s.title}  (${label})`,
    );
  });
  const keyRef = process.env.EVALPORT_KEY?.trim() ? "$EVALPORT_KEY" : "$(cat .evalport/local-key)";
  console.log(`\nBrowse them: curl -H "Authorization: Bearer ${keyRef}" ${base}/api/sessions`);
}

main().catch((err) => {
  console.error(`seed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
