import { defineConfig } from "vitest/config";

/**
 * Browser tests: the whole stack (wrangler dev + Meta simulator) driven through
 * Debian's Chromium with playwright-core. They run in Node, not in workerd.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
