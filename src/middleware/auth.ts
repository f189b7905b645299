import type { MiddlewareHandler } from "hono";
import { eq, and, or, isNull, lt } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import { adminRetryAfter, clientBucket, recordAdminFailure } from "../auth/admin-failures";
import { lookupKey } from "../auth/keys";
import { timingSafeEqualText } from "../auth/hash";
import { apiKeys, type Scope } from "../db/schema";
import { ApiError } from "../lib/errors";

const LAST_USED_EVERY_MS = 60_000;
/** Per-isolate memory of when each key's lastUsedAt was last written, so most requests skip the write. */
const lastUsedWrites = new Map<string, number>();

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

const unauthorized = () =>
  new ApiError("unauthorized", "A valid API key is required: send Authorization: Bearer osk_…", {
    headers: { "WWW-Authenticate": 'Bearer realm="evalport"' },
  });

/** Records a key's use off the hot path, at most once a minute per key. */
function touchLastUsed(c: Parameters<MiddlewareHandler<AppEnv>>[0], keyId: string): void {
  const now = Date.now();
  const last = lastUsedWrites.get(keyId) ?? 0;
  if (now - last < LAST_USED_EVERY_MS) return;
  lastUsedWrites.set(keyId, now);
  const write = c.var.db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_EVERY_MS))))
    .run()
    .catch(() => lastUsedWrites.delete(keyId));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (a direct app.request in a unit test): the write still runs.
  }
}

/**
 * Authenticates `Authorization: Bearer osk_…` by hash in KV, enforces `scope`, then the per-key rate limit.
 * Sets `c.var.auth` to the key's {id, workspace, scopes}.
 */
export const requireKey = (scope: Scope): MiddlewareHandler<AppEnv> => async (c, next) => {
  let record = c.var.auth;
  if (!record) {
    const presented = bearer(c.req.header("authorization"));
    if (!presented) throw unauthorized();
    const found = await lookupKey(c.env.KV, presented, c.env.KEY_PEPPER);
    if (!found) throw unauthorized();
    record = found;
    c.set("auth", record);
    touchLastUsed(c, record.id);
    await rateLimit(c, record.id);
  }
  if (!record.scopes.includes(scope)) {
    throw new ApiError("forbidden", `This API key lacks the ${scope} scope.`);
  }
  await next();
};

async function rateLimit(c: Parameters<MiddlewareHandler<AppEnv>>[0], keyId: string): Promise<void> {
  const limiter = c.env.RATE_LIMITER;
  if (!limiter) return;
  const { success } = await limiter.limit({ key: keyId });
  if (!success) {
    const retry = c.env.RATE_LIMIT_PERIOD_SECONDS ?? "60";
    throw new ApiError("rate_limited", `Too many requests for this API key; retry in ${retry} seconds.`, {
      headers: { "Retry-After": retry },
    });
  }
}

/**
 * Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; 404 when no token is set.
 * Wrong tokens are counted per client address (src/auth/admin-failures.ts): past the limit, that address gets 429
 * for every admin request until its minute is over, before its token is even compared, so guessing cannot go on
 * at speed and a right guess is not told apart from a wrong one. Other addresses are unaffected.
 */
export const requireAdmin = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const token = c.env.ADMIN_TOKEN;
  if (!token) throw new ApiError("not_found", "Not found.");
  const client = clientBucket(c.req.header("cf-connecting-ip"));
  const retry = await adminRetryAfter(c.var.db, client);
  if (retry > 0) {
    throw new ApiError("rate_limited", `Too many wrong admin tokens from this address; retry in ${retry} seconds.`, {
      headers: { "Retry-After": String(retry) },
    });
  }
  const presented = bearer(c.req.header("authorization"));
  if (!presented || !(await timingSafeEqualText(presented, token))) {
    await recordAdminFailure(c.var.db, client);
    throw new ApiError("unauthorized", "Admin routes need Authorization: Bearer <ADMIN_TOKEN>.", {
      headers: { "WWW-Authenticate": 'Bearer realm="evalport-admin"' },
    });
  }
  await next();
};
