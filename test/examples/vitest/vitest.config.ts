import { defineConfig } from "vitest/config";

// Only the example's own files: the rest of the repository is node:test's.
export default defineConfig({
  test: { include: ["*.example.spec.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
