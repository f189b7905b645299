/**
 * The tally of one import run and how it reads: one JSON object for --json, a few lines for people. Pure.
 */

/**
 * @typedef {object} Summary
 * @property {boolean} ok
 * @property {boolean} dryRun
 * @property {boolean} interrupted
 * @property {string} url
 * @property {{ found: number, sent: number, unchanged: number, failed: number, wouldSend: number }} files
 * @property {{ created: number, updated: number, unchanged: number }} sessions
 * @property {Record<string, number>} skipped       lines/parts the server skipped, by kind
 * @property {number} truncated                     messages the server cut to fit
 * @property {number} bytesSent
 * @property {number} durationMs
 * @property {{ path: string, reason: string }[]} failures
 * @property {string[]} [wouldSend]                 --dry-run: what a real run would send
 */

/** @param {string} url @param {boolean} dryRun @returns {Summary} */
export function newSummary(url, dryRun) {
  return {
    ok: true,
    dryRun,
    interrupted: false,
    url,
    files: { found: 0, sent: 0, unchanged: 0, failed: 0, wouldSend: 0 },
    sessions: { created: 0, updated: 0, unchanged: 0 },
    skipped: {},
    truncated: 0,
    bytesSent: 0,
    durationMs: 0,
    failures: [],
    ...(dryRun ? { wouldSend: [] } : {}),
  };
}

/**
 * Counts one import answer. A session that already existed is `unchanged` when the last run saw it with the same
 * number of messages, else `updated` (the file was re-sent because it grew or changed).
 * @param {Summary} s
 * @param {import("./client.js").ImportAnswer} answer
 * @param {{ id: string, messageCount: number }[] | undefined} before
 */
export function countAnswer(s, answer, before) {
  const prev = new Map((before ?? []).map((x) => [x.id, x.messageCount]));
  for (const session of answer.sessions) {
    if (session.created) s.sessions.created++;
    else if (prev.get(session.id) === session.messageCount) s.sessions.unchanged++;
    else s.sessions.updated++;
  }
  for (const [kind, n] of Object.entries(answer.skipped)) s.skipped[kind] = (s.skipped[kind] ?? 0) + n;
  s.truncated += answer.truncated;
}

/** @param {number} bytes */
export const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e5 ? 2 : 1);

/** @param {Summary} s @returns {string} */
export function formatSummary(s) {
  const lines = [];
  const skippedTotal = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const secs = (s.durationMs / 1000).toFixed(1);
  if (s.dryRun) {
    lines.push(`Dry run: ${s.files.wouldSend} of ${s.files.found} transcripts would be sent, ${s.files.unchanged} unchanged since the last import. Nothing was sent.`);
    for (const p of s.wouldSend ?? []) lines.push(`  would send ${p}`);
  } else {
    lines.push(
      `${s.interrupted ? "Interrupted: " : ""}${s.files.sent} of ${s.files.found} transcripts sent (${mb(s.bytesSent)} MB in ${secs} s), ` +
        `${s.files.unchanged} unchanged, ${s.files.failed} failed.`,
    );
    lines.push(`Sessions: ${s.sessions.created} created, ${s.sessions.updated} updated, ${s.sessions.unchanged} unchanged.`);
    if (skippedTotal > 0) {
      lines.push(`Skipped lines: ${skippedTotal} (${Object.entries(s.skipped).map(([k, n]) => `${k} ${n}`).join(", ")}).`);
    }
    if (s.truncated > 0) lines.push(`Truncated messages: ${s.truncated} (cut to the server's 1 MiB per message).`);
  }
  if (s.failures.length > 0) {
    lines.push("Failures:");
    for (const f of s.failures) lines.push(`  ${f.path}: ${f.reason}`);
  }
  if (s.interrupted) lines.push("Run `evalport import` again to resume: finished transcripts are not sent again.");
  return lines.join("\n");
}
