import { applyD1Migrations, env, type D1Migration } from "cloudflare:test";

const { TEST_MIGRATIONS } = env as unknown as { TEST_MIGRATIONS: D1Migration[] };

// Storage is isolated per test file; applying here gives every file a migrated, empty database.
await applyD1Migrations(env.DB, TEST_MIGRATIONS);
