/**
 * Issue 13, measured: freezing a 100,000-session workspace with one POST /api/datasets, the dataset's export beside
 * the equivalent live GET /api/export in the same run (MB/s, ratio), and two dataset exports byte-identical (sha256)
 * although sessions were relabelled between them.
 */
import { requestJson } from "./http";
import { loadSessions } from "./load";
import { measureGet, type Measured, type Target } from "./deepeval-memory";
import type { BenchServer } from "./server";

export interface DatasetsBenchOptions {
  server: BenchServer;
  say: (line: string) => void;
  sessions: number;
  concurrency: number;
  baseTime: number;
  format: string;
  /** A workspace already loaded (the memory phase's large one) and its key; loaded here when absent. */
  reuse?: { workspace: string; key: string };
}

export async function benchDatasets(o: DatasetsBenchOptions): Promise<{ targets: Target[]; figures: Record<string, unknown> }> {
  const { server, say } = o;
  const ws = o.reuse?.workspace ?? "datasets";
  let key = o.reuse?.key ?? "";
  if (!o.reuse) {
    key = await server.createKey(ws);
    say(`  loading ${o.sessions.toLocaleString("en-US")} × 4 sessions into "${ws}" (the memory phase's loader)…`);
    const r = await loadSessions({
      base: server.base, key, workspaceTag: ws, sessions: o.sessions, messages: 4, concurrency: o.concurrency,
      batchSize: 100, readyFraction: 1, seed: 2, baseTime: o.baseTime,
    });
    say(`  loaded in ${r.seconds.toFixed(1)} s (${Math.round(r.sessionsPerSec)} sessions/s)`);
  } else say(`  reusing "${ws}" from the memory phase`);
  const auth = { authorization: `Bearer ${key}` };

  const t0 = performance.now();
  const created = await requestJson(server.base, "POST", "/api/datasets", auth, { name: "bench-frozen", description: "npm run bench" });
  const freezeSeconds = (performance.now() - t0) / 1000;
  const ds = created.body as { id?: string; sessionCount?: number };
  if (created.status !== 201 || !ds.id) throw new Error(`POST /api/datasets answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  say(`  POST /api/datasets: ${ds.sessionCount?.toLocaleString("en-US")} sessions frozen in ${freezeSeconds.toFixed(2)} s (one request)`);

  const line = (label: string, m: Measured) =>
    `    ${label.padEnd(44)} ${m.status === 200 ? "" : `HTTP ${m.status} `}${(m.bytes / 1e6).toFixed(1).padStart(7)} MB, ${m.seconds.toFixed(2).padStart(6)} s, ` +
    `${m.mbPerSec.toFixed(1).padStart(6)} MB/s, ${m.sessions.toLocaleString("en-US")} sessions, RSS +${m.rssAboveIdleMb.toFixed(1)} MB, sha256 ${m.sha256.slice(0, 12)}…${m.aborted ? " ! aborted" : ""}`;
  // Alternate live and dataset, so neither gets the warmer cache; the fastest of two each.
  const live: Measured[] = [];
  const frozen: Measured[] = [];
  for (let i = 0; i < 2; i++) {
    live.push(await measureGet(server, key, `/api/export?format=${o.format}`));
    say(line(`live /api/export ${o.format}`, live[i]!));
    frozen.push(await measureGet(server, key, `/api/datasets/${ds.id}/export?format=${o.format}`));
    say(line(`dataset export ${o.format}`, frozen[i]!));
  }
  const best = (xs: Measured[]) => xs.reduce((a, b) => (b.mbPerSec > a.mbPerSec ? b : a));
  const ratio = best(frozen).mbPerSec / best(live).mbPerSec;
  say(`  dataset ÷ live = ${ratio.toFixed(3)} (target ≥ 0.9)`);

  // deepeval-conversational carries the labels (status, tags), so a relabel would show in its bytes.
  const LABELLED = "deepeval-conversational";
  const frozenLabelled = await measureGet(server, key, `/api/datasets/${ds.id}/export?format=${LABELLED}`);
  say(line(`dataset export ${LABELLED}`, frozenLabelled));
  const liveLabelled = await measureGet(server, key, `/api/export?format=${LABELLED}`);

  // Relabel 200 sessions (status, tags, unmark 50 of them), append a message to 5, then export the dataset again.
  const page = (await requestJson(server.base, "GET", "/api/evals?limit=200", auth)).body as { sessions: { id: string }[] };
  const ids = page.sessions.map((s) => s.id);
  const l1 = await requestJson(server.base, "POST", "/api/evals/label", auth, { sessionIds: ids, evalStatus: "incorrect", addTags: ["relabelled"] });
  const l2 = await requestJson(server.base, "POST", "/api/evals/label", auth, { sessionIds: ids.slice(0, 50), evalReady: false });
  let appended = 0;
  for (const id of ids.slice(100, 105)) {
    const a = await requestJson(server.base, "POST", `/api/sessions/${id}/messages`, auth, {
      messages: [{ externalId: "bench-appended", role: "user", content: "appended after the freeze", createdAt: o.baseTime }],
    });
    if (a.status === 200) appended++;
  }
  say(`  relabelled ${(l1.body as { updated?: number }).updated} sessions (status + tag), unmarked ${(l2.body as { updated?: number }).updated}, appended a message to ${appended}`);
  const after = await measureGet(server, key, `/api/datasets/${ds.id}/export?format=${o.format}`);
  say(line(`dataset export ${o.format} after`, after));
  const afterLabelled = await measureGet(server, key, `/api/datasets/${ds.id}/export?format=${LABELLED}`);
  say(line(`dataset export ${LABELLED} after`, afterLabelled));
  const identical = frozen.every((m) => m.sha256 === after.sha256) && after.status === 200 && afterLabelled.status === 200 && afterLabelled.sha256 === frozenLabelled.sha256;
  const liveAfter = await measureGet(server, key, `/api/export?format=${LABELLED}`);
  say(`  live ${LABELLED} export after the changes: ${liveAfter.sessions.toLocaleString("en-US")} sessions, sha256 ${liveAfter.sha256.slice(0, 12)}… (before ${liveLabelled.sha256.slice(0, 12)}…; the live export did change: ${liveAfter.sha256 !== liveLabelled.sha256})`);
  // Leave the workspace as it was for later phases.
  await requestJson(server.base, "POST", "/api/evals/label", auth, { sessionIds: ids.slice(0, 50), evalReady: true });

  const n = (ds.sessionCount ?? 0).toLocaleString("en-US");
  return {
    targets: [
      { target: `freeze ${n} sessions with one POST /api/datasets in seconds (< 10 s)`, figure: `${freezeSeconds.toFixed(2)} s`, result: created.status === 201 && freezeSeconds < 10 ? "PASS" : "FAIL" },
      {
        target: `dataset export ≥ 0.9 × live export (${o.format}, ${n} sessions)`,
        figure: `${ratio.toFixed(3)} (${best(frozen).mbPerSec.toFixed(1)} vs ${best(live).mbPerSec.toFixed(1)} MB/s; RSS +${best(frozen).rssAboveIdleMb.toFixed(1)} vs +${best(live).rssAboveIdleMb.toFixed(1)} MB)`,
        result: ratio >= 0.9 ? "PASS" : "FAIL",
      },
      { target: `dataset export byte-identical after relabelling 200, unmarking 50, appending to 5 (sha256, ${o.format} and ${LABELLED})`, figure: identical ? `identical (${after.sha256.slice(0, 12)}…, ${afterLabelled.sha256.slice(0, 12)}…); live changed: ${liveAfter.sha256 !== liveLabelled.sha256}` : `differs: ${frozen.map((m) => m.sha256.slice(0, 12)).join(", ")} vs ${after.sha256.slice(0, 12)}; ${frozenLabelled.sha256.slice(0, 12)} vs ${afterLabelled.sha256.slice(0, 12)}`, result: identical ? "PASS" : "FAIL" },
    ],
    figures: { workspace: ws, frozenLabelled, afterLabelled, liveLabelled, datasetId: ds.id, sessionCount: ds.sessionCount, freezeSeconds, live, frozen, after, liveAfter, ratio },
  };
}
