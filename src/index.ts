import { createApp } from "./app";
import type { Bindings } from "./app-env";
import { scheduled } from "./scheduled";

const app = createApp();

/** HTTP through the Hono app; the cron trigger sweeps expired webhook delivery ids. */
export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<Bindings>;
