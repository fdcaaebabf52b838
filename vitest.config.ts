import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One real PostgreSQL for the run (the stores' shared suite and the cluster tests).
    globalSetup: ["test/postgres-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
