import type { Bindings } from "./app-env";
import { sweepAdminFailures } from "./auth/admin-failures";
import { createDb } from "./db/client";
import { sweepDeliveries } from "./webhooks/store";

/** What one sweep removed. */
export async function sweep(db: ReturnType<typeof createDb>, now = Date.now()) {
  return { deliveries: await sweepDeliveries(db, now), adminFailures: await sweepAdminFailures(db, now) };
}

/**
 * The cron trigger (`[triggers] crons` in wrangler.toml): forgets webhook delivery ids past their 24-hour replay
 * window and admin-failure counters whose minute is over. Neither relies on the sweep for correctness (expired
 * rows are ignored on arrival); it only keeps the tables small.
 */
export async function scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
  ctx.waitUntil(sweep(createDb(env.DB)).then((swept) => console.log(JSON.stringify({ event: "swept", ...swept }))));
}
