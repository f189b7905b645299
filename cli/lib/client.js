/**
 * The evalport server as the CLI sees it: a base URL, a key, and requests retried on 429/5xx/network errors with
 * backoff that honours Retry-After. The key only ever goes into the Authorization header, never into messages.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { httpRequest, NetworkError } from "./http.js";
import { DEFAULT_RETRY, backoffDelay, isRetryable, parseRetryAfter } from "./retry.js";

/**
 * @typedef {object} ImportedSession
 * @property {string} id
 * @property {string} externalId
 * @property {boolean} created
 * @property {number} messageCount
 * @property {string | null} [parentExternalId]
 */

/**
 * @typedef {object} ImportAnswer
 * @property {ImportedSession[]} sessions
 * @property {Record<string, number>} skipped
 * @property {number} truncated
 */

/** An HTTP answer that is not a success, with the server's own error code and message when it sent them. */
export class HttpError extends Error {
  /** @param {number} status @param {string} message @param {string | undefined} code */
  constructor(status, message, code) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
  }
}

/**
 * The contract's error envelope as one line: `400 invalid_request: … (line 3: …)`.
 * @param {import("./http.js").HttpResponse} res
 */
export function describeHttpError(res) {
  const body = /** @type {{ error?: { code?: string, message?: string, details?: { path: string, message: string }[] } } | null} */ (res.json);
  const err = body && typeof body === "object" ? body.error : undefined;
  if (!err) return `HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 200).trim()}` : ""}`;
  const detail = err.details?.[0];
  return `HTTP ${res.status} ${err.code ?? ""}: ${err.message ?? ""}${detail ? ` (${detail.path}: ${detail.message})` : ""}`.replace(/ :/, ":");
}

/**
 * @typedef {object} ClientOptions
 * @property {string} url
 * @property {string | undefined} key
 * @property {import("./retry.js").RetryPolicy} [retry]
 * @property {(info: { attempt: number, waitMs: number, reason: string }) => void} [onRetry]
 */

/** @param {ClientOptions} options */
export function createClient(options) {
  const policy = options.retry ?? DEFAULT_RETRY;
  /** @returns {Record<string, string>} */
  const auth = () => (options.key ? { authorization: `Bearer ${options.key}` } : {});

  /**
   * One request, retried while the outcome is retryable and tries remain. Resolves with the last answer (which may
   * be an error status); rejects with the last NetworkError when the server never answered.
   * @param {string} method
   * @param {string} path
   * @param {{ body?: Buffer | string, headers?: Record<string, string>, retry?: import("./retry.js").RetryPolicy, timeoutMs?: number }} [req]
   */
  async function send(method, path, req = {}) {
    const p = req.retry ?? policy;
    for (let attempt = 0; ; attempt++) {
      /** @type {import("./http.js").HttpResponse | undefined} */
      let res;
      /** @type {NetworkError | undefined} */
      let netErr;
      try {
        res = await httpRequest(options.url + path, { method, body: req.body, headers: { ...auth(), ...req.headers }, timeoutMs: req.timeoutMs });
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        netErr = err;
      }
      const retryable = isRetryable(res ? { status: res.status } : { networkError: true });
      if (!retryable || attempt + 1 >= p.attempts) {
        if (res) return res;
        throw netErr;
      }
      const waitMs = backoffDelay(attempt, res ? parseRetryAfter(res.headers["retry-after"]) : null, p);
      options.onRetry?.({ attempt: attempt + 1, waitMs, reason: res ? `HTTP ${res.status}` : /** @type {NetworkError} */ (netErr).message });
      await sleep(waitMs);
    }
  }

  return {
    url: options.url,
    send,
    /** GET /health, one quick try: is anything evalport-like there? */
    async health() {
      const res = await send("GET", "/health", { retry: { attempts: 2, baseMs: 200, capMs: 1000 }, timeoutMs: 10_000 });
      return res.status === 200;
    },
    /**
     * Whether the key is accepted: GET /api/sessions?limit=1 answers 200 (or 403 when the key lacks sessions:read
     * but is a real key). 401 means unknown or revoked.
     */
    async checkKey() {
      const res = await send("GET", "/api/sessions?limit=1", { retry: { attempts: 3, baseMs: 200, capMs: 2000 }, timeoutMs: 15_000 });
      return { status: res.status, ok: res.status === 200 || res.status === 403, res };
    },
    /**
     * POST /api/import?format=… with the transcript's bytes.
     * @param {"claude-code" | "codex" | "opencode"} format
     * @param {Buffer} body
     * @returns {Promise<ImportAnswer>}
     */
    async importTranscript(format, body) {
      const res = await send("POST", `/api/import?format=${encodeURIComponent(format)}`, {
        body,
        headers: { "content-type": format === "opencode" ? "application/json" : "application/x-ndjson" },
      });
      if (res.status !== 200 && res.status !== 201) {
        const b = /** @type {{ error?: { code?: string } } | null} */ (res.json);
        throw new HttpError(res.status, describeHttpError(res), b?.error?.code);
      }
      const answer = /** @type {Partial<ImportAnswer> | null} */ (res.json);
      if (!answer || !Array.isArray(answer.sessions)) throw new HttpError(res.status, `HTTP ${res.status} without the import answer`, undefined);
      return { sessions: answer.sessions, skipped: answer.skipped ?? {}, truncated: answer.truncated ?? 0 };
    },
  };
}

/** @typedef {ReturnType<typeof createClient>} Client */
