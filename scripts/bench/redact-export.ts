/**
 * Issue 12's speed target, measured in the bench's throughput phase: the same export with `redact=secrets` and with
 * `redact=none`, side by side in the same run, plus the engine's own figures (scripts/bench/redact.ts).
 */
import { measureExport } from "./measure";
import { engineReport } from "./redact";
import type { BenchServer } from "./server";

export interface RedactionBenchOptions {
  server: BenchServer;
  key: string;
  workspace: string;
  format: string;
  runs: number;
  messagesPerSession: number;
  say: (line: string) => void;
}

export async function benchRedaction(o: RedactionBenchOptions): Promise<{ target: string; figure: string; result: "PASS" | "FAIL" }> {
  const common = { server: o.server, key: o.key, workspace: o.workspace, format: o.format, acceptEncoding: "identity", runs: o.runs, messagesPerSession: o.messagesPerSession };
  // Alternate, so neither side gets the warmer cache.
  const none = await measureExport({ ...common, label: "redact-none", redact: "none" });
  const secrets = await measureExport({ ...common, label: "redact-secrets", redact: "secrets" });
  const ratio = secrets.mbPerSec / none.mbPerSec;
  o.say(`  redact=none     ${none.mbPerSec.toFixed(1)} MB/s (${(none.totalMs / 1000).toFixed(2)} s, ${(none.decodedBytes / 1e6).toFixed(1)} MB)`);
  o.say(`  redact=secrets  ${secrets.mbPerSec.toFixed(1)} MB/s (${(secrets.totalMs / 1000).toFixed(2)} s, ${(secrets.decodedBytes / 1e6).toFixed(1)} MB)`);
  o.say(`  secrets ÷ none = ${ratio.toFixed(3)} (target ≥ 0.8) ${ratio >= 0.8 ? "PASS" : "FAIL"}`);
  o.say("  engine alone (scripts/bench/redact.ts):");
  for (const line of engineReport()) o.say(`    ${line}`);
  return {
    target: `export redact=secrets ÷ redact=none ≥ 0.8 (${o.format}, ${secrets.sessions} × ${o.messagesPerSession})`,
    figure: `${ratio.toFixed(3)} (${secrets.mbPerSec.toFixed(1)} vs ${none.mbPerSec.toFixed(1)} MB/s)`,
    result: ratio >= 0.8 ? "PASS" : "FAIL",
  };
}
