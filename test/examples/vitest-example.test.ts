// Runs the Vitest example of docs/testing.md through the real Vitest runner. Vitest's own summary
// is not the closing line CI reads, so this node:test file is what counts: it passes only when
// Vitest ran every example test and each passed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VITEST = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));

interface VitestJson {
  readonly success: boolean;
  readonly numTotalTests: number;
  readonly numPassedTests: number;
}

describe("vitest example", () => {
  it("vitest: the example spec passes under vitest run", () => {
    const result = spawnSync(process.execPath, [VITEST, "run", "--root", "test/examples/vitest", "--reporter=json"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 180_000,
      env: { ...process.env, CI: "1" },
    });
    assert.equal(result.status, 0, `vitest failed:\n${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{"))) as VitestJson;
    assert.equal(report.success, true);
    assert.equal(report.numTotalTests, 2);
    assert.equal(report.numPassedTests, 2);
  });
});
