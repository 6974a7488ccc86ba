/**
 * Golden files pin exact wire bytes. `assertGolden("ec2/error-envelope.xml", body)` compares with
 * test/golden/ec2/error-envelope.xml; run with UPDATE_GOLDEN=1 to (re)write the file instead.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "golden");

export function goldenPath(name: string): string {
  const path = resolve(GOLDEN_DIR, name);
  if (relative(GOLDEN_DIR, path).startsWith("..")) throw new Error(`golden name escapes test/golden: ${name}`);
  return path;
}

export function assertGolden(name: string, actual: string, { update = process.env.UPDATE_GOLDEN === "1" } = {}): void {
  const path = goldenPath(name);
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual, "utf8");
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, "utf8");
  } catch {
    assert.fail(`missing golden file ${join("test/golden", name)}; run with UPDATE_GOLDEN=1 to create it`);
  }
  assert.equal(actual, expected, `wire bytes differ from ${join("test/golden", name)} (UPDATE_GOLDEN=1 rewrites it)`);
}
