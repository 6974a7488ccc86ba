// Runs the test files named on the command line in this one process, each as a suite named after
// its path: `node --import tsx scripts/test-in-one-process.mjs a.test.ts b.test.ts`. One process
// loads tsx and the shared modules once instead of once per file (`node --test` starts a process
// per file). The suite keeps each file's top-level before/after hooks to that file. A file that
// fails to load is one failed test named after it, so the closing count shows it.
import { describe, test } from "node:test";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

for (const file of process.argv.slice(2)) {
  describe(relative(process.cwd(), file), async () => {
    try {
      await import(pathToFileURL(resolve(file)).href);
    } catch (error) {
      test("loads", () => {
        throw error;
      });
    }
  });
}
