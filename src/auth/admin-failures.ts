import { eq, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { adminFailures } from "../db/schema";

/** Wrong admin tokens one client address may send per minute; past it every admin request is a 429. */
export const ADMIN_FAILURE_LIMIT = 10;
export const ADMIN_FAILURE_WINDOW_MS = 60_000;

/** Expands an IPv6 address to its 8 groups (null when it is not one), to bucket it by /64. */
function ipv6Groups(ip: string): string[] | null {
  if (!/^[0-9a-f:]+$/i.test(ip) || !ip.includes(":")) return null;
  const [head, tail, extra] = ip.split("::");
  if (extra !== undefined) return null;
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill("0"), ...right];
  return groups.length === 8 && groups.every((g) => g.length >= 1 && g.length <= 4) ? groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")) : null;
}

/**
 * The address a failure is counted against: `CF-Connecting-IP` (set by Cloudflare, not forgeable through it), an
 * IPv6 address by its /64 (one host usually owns a whole /64, and could otherwise rotate through it), and one
 * shared bucket when the header is absent (local runs).
 */
export function clientBucket(connectingIp: string | undefined | null): string {
  const ip = (connectingIp ?? "").trim();
  if (!ip) return "unknown";
  const v6 = ipv6Groups(ip);
  return v6 ? `${v6.slice(0, 4).join(":")}::/64` : ip;
}

/** Seconds until `client` may try again, or 0 when it is under the limit. */
export async function adminRetryAfter(db: Db, client: string, now = Date.now()): Promise<number> {
  const row = await db.select().from(adminFailures).where(eq(adminFailures.client, client)).get();
  if (!row || row.windowStart <= now - ADMIN_FAILURE_WINDOW_MS || row.failures < ADMIN_FAILURE_LIMIT) return 0;
  return Math.max(1, Math.ceil((row.windowStart + ADMIN_FAILURE_WINDOW_MS - now) / 1000));
}

/** Counts one failure in the client's current window (a new window once the last one has passed), atomically. */
export async function recordAdminFailure(db: Db, client: string, now = Date.now()): Promise<number> {
  const expired = sql`${adminFailures.windowStart} <= ${now - ADMIN_FAILURE_WINDOW_MS}`;
  const [row] = await db
    .insert(adminFailures)
    .values({ client, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: adminFailures.client,
      set: {
        failures: sql`CASE WHEN ${expired} THEN 1 ELSE ${adminFailures.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${adminFailures.windowStart} END`,
      },
    })
    .returning({ failures: adminFailures.failures });
  return row?.failures ?? 1;
}

/** Forgets windows that have passed (the cron trigger). */
export async function sweepAdminFailures(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(adminFailures)
    .where(lte(adminFailures.windowStart, now - ADMIN_FAILURE_WINDOW_MS))
    .returning({ client: adminFailures.client });
  return gone.length;
}
