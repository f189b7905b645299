/**
 * When and how long to wait before trying a request again. Pure (no I/O), so the policy is tested on plain inputs:
 * 429, 408 and 5xx answers and network errors are retried with exponential backoff and full jitter, and a server's
 * `Retry-After` is a floor we never undercut (it knows its own rate limit better than we do).
 */

/** Statuses worth another try: the server may answer differently in a moment. */
export const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * @typedef {object} RetryPolicy
 * @property {number} attempts    how many tries in all (1 = no retry)
 * @property {number} baseMs      the first backoff ceiling; doubles on every try
 * @property {number} capMs       no single wait is longer than this (Retry-After included)
 */

/** @type {RetryPolicy} */
export const DEFAULT_RETRY = { attempts: 6, baseMs: 300, capMs: 30_000 };

/**
 * `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable.
 * @param {string | string[] | undefined | null} header
 * @param {number} [now]
 * @returns {number | null}
 */
export function parseRetryAfter(header, now = Date.now()) {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * How long to wait after failed try number `attempt` (0-based): full jitter over base·2^attempt, but never less than
 * the server's Retry-After (plus a little jitter so many clients told the same second do not return in lockstep).
 * @param {number} attempt
 * @param {number | null} retryAfterMs
 * @param {RetryPolicy} policy
 * @param {() => number} [random] a source of [0, 1)
 * @returns {number}
 */
export function backoffDelay(attempt, retryAfterMs, policy, random = Math.random) {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  if (retryAfterMs !== null) return Math.min(policy.capMs, retryAfterMs + Math.floor(random() * Math.min(250, policy.baseMs)));
  return Math.floor(random() * ceiling);
}

/**
 * Whether an outcome deserves another try.
 * @param {{ status?: number, networkError?: boolean }} outcome
 */
export function isRetryable(outcome) {
  if (outcome.networkError) return true;
  return outcome.status !== undefined && RETRYABLE_STATUSES.has(outcome.status);
}
