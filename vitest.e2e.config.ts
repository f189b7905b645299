/**
 * Browser tests: plain Node (no Workers pool). The global setup starts its own `wrangler dev` on a free port with
 * fresh local state; the tests drive Debian's Chromium through playwright-core. `npm run test:e2e`.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test-e2e/**/*.e2e.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["./test-e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
