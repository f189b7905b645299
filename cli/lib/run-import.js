/**
 * One import run: discover, compare with the state, send what is new or grown with bounded concurrency, record
 * each finished transcript, and tally a summary. Shared by `evalport import` and the Claude Code hook.
 */
import { createHash } from "node:crypto";
import { statePath } from "./paths.js";
import { openState } from "./state.js";
import { discover } from "./discovery.js";
import { createClient, HttpError } from "./client.js";
import { NetworkError } from "./http.js";
import { runPool } from "./pool.js";
import { countAnswer, newSummary } from "./summary.js";
import { CliError } from "./errors.js";

/** The import route's body limit (API.md "Import"). */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

/**
 * @typedef {object} ImportOptions
 * @property {import("./paths.js").Env} env
 * @property {string[]} paths
 * @property {import("./detect.js").Tool | undefined} tool
 * @property {number | undefined} since
 * @property {boolean} dryRun
 * @property {number} concurrency
 * @property {string} url
 * @property {string | undefined} key
 * @property {import("./progress.js").Progress} progress
 * @property {import("./retry.js").RetryPolicy} [retry]
 * @property {{ stopped: boolean }} [signal]   set `stopped` to finish the files in flight and start no more
 */

/** @param {Buffer} buf */
const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

/** @param {unknown} err */
const message = (err) => (err instanceof Error ? err.message : String(err));

/**
 * @param {ImportOptions} o
 * @returns {Promise<{ summary: import("./summary.js").Summary, flush: () => void }>}
 */
export async function runImport(o) {
  const started = Date.now();
  const summary = newSummary(o.url, o.dryRun);
  const store = openState(statePath(o.env));
  const signal = o.signal ?? { stopped: false };
  const finish = () => {
    summary.durationMs = Date.now() - started;
    summary.ok = summary.failures.length === 0 && !summary.interrupted;
    return { summary, flush: store.flush };
  };

  const found = await discover({
    env: o.env,
    paths: o.paths,
    tool: o.tool,
    since: o.since,
    unchangedGroup: (key, size, mtimeMs) => {
      const g = store.state.groups[key];
      return g && g.size === size && g.mtimeMs === mtimeMs ? g.count : null;
    },
  });
  for (const p of found.problems) summary.failures.push(p);
  summary.files.failed += found.problems.length;
  for (const g of found.groups) {
    if (g.unchanged) {
      summary.files.found += g.count;
      summary.files.unchanged += g.count;
    }
  }
  summary.files.found += found.items.length;

  // Cheap first pass: same size and mtime as last time means unchanged, without reading a byte.
  const candidates = found.items.filter((item) => {
    const prev = store.get(item.key);
    if (prev && prev.size === item.size && prev.mtimeMs === item.mtimeMs) {
      summary.files.unchanged++;
      return false;
    }
    return true;
  });
  /** Items of each database that went in (or were unchanged): a database all of whose sessions did is skipped next time. */
  const groupOk = new Map(found.groups.filter((g) => !g.unchanged).map((g) => [g.key, true]));

  if (o.dryRun) {
    for (const item of candidates) {
      const prev = store.get(item.key);
      if (prev && sha256(await item.load()) === prev.hash) {
        summary.files.unchanged++;
        continue;
      }
      summary.files.wouldSend++;
      summary.wouldSend?.push(item.label);
    }
    return finish();
  }

  if (candidates.length === 0) {
    recordGroups();
    return finish();
  }
  if (!o.key) throw new CliError("no API key: run `evalport login`, or set EVALPORT_KEY (or pass --key)");

  /** @type {string | null} set once the server is unreachable or refuses the key: every later file fails with it */
  let fatal = null;
  const client = createClient({ url: o.url, key: o.key, retry: o.retry });
  let check;
  try {
    check = await client.checkKey();
  } catch (err) {
    throw new CliError(`cannot reach the evalport server at ${o.url}: ${message(err)}. Is it running? (set the URL with \`evalport login\` or EVALPORT_URL)`);
  }
  if (check.status === 401) throw new CliError(`the server at ${o.url} refused the API key (401 unauthorized): run \`evalport login\` with a valid key`);
  if (!check.ok) throw new CliError(`the server at ${o.url} answered GET /api/sessions with HTTP ${check.status}; is this an evalport server?`);

  let processed = 0;
  o.progress.start(candidates.length, candidates.reduce((a, i) => a + i.size, 0));
  await runPool(
    candidates,
    o.concurrency,
    async (item) => {
      processed++;
      const prev = store.get(item.key);
      const fail = (/** @type {string} */ reason) => {
        summary.files.failed++;
        summary.failures.push({ path: item.label, reason });
        if (item.group) groupOk.set(item.group, false);
        o.progress.done({ label: item.label, bytes: item.size, sessions: 0, created: 0, error: reason });
      };
      if (fatal) return fail(fatal);
      let body;
      try {
        body = await item.load();
      } catch (err) {
        return fail(`cannot read it: ${message(err)}`);
      }
      const hash = sha256(body);
      if (prev && prev.hash === hash) {
        // Touched but not changed: remember the new mtime so the next run skips it without reading.
        store.set(item.key, { ...prev, size: item.size, mtimeMs: item.mtimeMs });
        summary.files.unchanged++;
        o.progress.done({ label: item.label, bytes: item.size, sessions: 0, created: 0 });
        return;
      }
      if (body.length > MAX_BODY_BYTES) return fail(`${(body.length / 1048576).toFixed(0)} MiB is over the import limit of 100 MiB`);
      const label = item.label;
      const c = createClient({ url: o.url, key: o.key, retry: o.retry, onRetry: (info) => o.progress.retry(label, info) });
      try {
        const answer = await c.importTranscript(item.tool, body);
        countAnswer(summary, answer, prev?.sessions);
        summary.files.sent++;
        summary.bytesSent += body.length;
        store.set(item.key, {
          size: item.size,
          mtimeMs: item.mtimeMs,
          hash,
          tool: item.tool,
          importedAt: Date.now(),
          sessions: answer.sessions.map((s) => ({ id: s.id, externalId: s.externalId, messageCount: s.messageCount })),
        });
        o.progress.done({ label, bytes: item.size, sessions: answer.sessions.length, created: answer.sessions.filter((s) => s.created).length });
      } catch (err) {
        if (err instanceof NetworkError) {
          fatal = `the server stopped answering (${err.message})`;
          signal.stopped = true;
          return fail(fatal);
        }
        if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
          fatal = `the server refused the key: ${err.message}`;
          signal.stopped = true;
          return fail(fatal);
        }
        return fail(message(err));
      }
    },
    () => signal.stopped,
  );
  o.progress.stop();

  if (signal.stopped && !fatal) summary.interrupted = true;
  // Files never started because the run stopped count as failed when the server is gone: they did not go in.
  const notStarted = candidates.length - processed;
  if (notStarted > 0 && fatal) {
    summary.files.failed += notStarted;
    summary.failures.push({ path: `${notStarted} more transcript${notStarted === 1 ? "" : "s"}`, reason: `not sent: ${fatal}` });
  }
  recordGroups();
  store.setLastImport({
    at: Date.now(),
    ok: summary.failures.length === 0 && !summary.interrupted,
    filesSent: summary.files.sent,
    filesFailed: summary.files.failed,
    sessions: summary.sessions.created + summary.sessions.updated + summary.sessions.unchanged,
  });
  return finish();

  function recordGroups() {
    if (o.since !== undefined) return; // a filtered run did not look at every session of the database
    for (const g of found.groups) {
      if (!g.unchanged && groupOk.get(g.key) && !signal.stopped) store.setGroup(g.key, { size: g.size, mtimeMs: g.mtimeMs, count: g.count });
    }
  }
}
