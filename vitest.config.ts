import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{protocol,worker,party,widget,dashboard,scripts}/**/*.test.ts", "e2e/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", ".scratch/**"],
    // One real stack (sqld + wrangler dev) for the whole run; see the setup file.
    globalSetup: ["scripts/test-kit/global-setup.ts"],
    // Files share that stack and two cores: one file at a time keeps timings honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./scripts/test-kit/summary-reporter.ts"],
  },
});
