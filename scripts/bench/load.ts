/**
 * Loads generated sessions through the public API only (POST /api/sessions/batch, 100 per request), a few
 * requests in flight, and reports the ingest rate.
 */
import { createGenerator } from "./data";
import { requestJson } from "./http";

export interface LoadOptions {
  base: string;
  key: string;
  workspaceTag: string;
  sessions: number;
  messages: number;
  concurrency: number;
  batchSize: number;
  readyFraction: number;
  seed: number;
  baseTime: number;
  /** Called after each batch with the sessions stored so far. */
  onProgress?: (done: number) => void;
}

export interface LoadResult {
  sessions: number;
  messages: number;
  evalReady: number;
  requests: number;
  requestBytes: number;
  seconds: number;
  sessionsPerSec: number;
  messagesPerSec: number;
  mbPerSec: number;
  /** Slowest single batch request, ms. */
  maxRequestMs: number;
  retries: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function loadSessions(o: LoadOptions): Promise<LoadResult> {
  const session = createGenerator({ messages: o.messages, readyFraction: o.readyFraction, seed: o.seed, baseTime: o.baseTime });
  const batches = Math.ceil(o.sessions / o.batchSize);
  let nextBatch = 0;
  let done = 0;
  let messages = 0;
  let evalReady = 0;
  let requestBytes = 0;
  let maxRequestMs = 0;
  let retries = 0;
  const started = performance.now();

  async function worker(): Promise<void> {
    for (;;) {
      const b = nextBatch++;
      if (b >= batches) return;
      const from = b * o.batchSize;
      const to = Math.min(o.sessions, from + o.batchSize);
      const list = [];
      for (let i = from; i < to; i++) {
        const s = session(i, o.workspaceTag);
        messages += s.messages.length;
        if (s.evalReady) evalReady++;
        list.push(s);
      }
      const body = JSON.stringify({ sessions: list });
      requestBytes += Buffer.byteLength(body);
      for (let attempt = 1; ; attempt++) {
        const t = performance.now();
        const res = await requestJson(o.base, "POST", "/api/sessions/batch", { authorization: `Bearer ${o.key}` }, body);
        maxRequestMs = Math.max(maxRequestMs, performance.now() - t);
        if (res.status === 200) break;
        // 429 (rate limit), 409 (a lost race) and 503 (wrangler's proxy: the runtime restarted mid-request) are worth
        // a retry — a batch upsert is idempotent by externalId; anything else is a bench or Worker bug.
        if ((res.status === 429 || res.status === 409 || res.status === 503) && attempt < 5) {
          retries++;
          const wait = res.status === 429 ? Number(res.headers["retry-after"] ?? "1") * 1000 : 200 * attempt;
          await sleep(wait);
          continue;
        }
        throw new Error(`POST /api/sessions/batch (batch ${b}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
      }
      done += to - from;
      o.onProgress?.(done);
    }
  }

  await Promise.all(Array.from({ length: Math.min(o.concurrency, batches) }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  return {
    sessions: o.sessions,
    messages,
    evalReady,
    requests: batches,
    requestBytes,
    seconds,
    sessionsPerSec: o.sessions / seconds,
    messagesPerSec: messages / seconds,
    mbPerSec: requestBytes / 1e6 / seconds,
    maxRequestMs,
    retries,
  };
}
