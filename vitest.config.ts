import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/contracts/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real chains and processes; two workers match the two cores of the CI machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
