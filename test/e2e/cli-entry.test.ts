import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { COMMANDS } from "../../src/cli/commands.ts";
import { BIN, startEmulatorProcess } from "../support/emulator-process.ts";

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("cli entry", () => {
  it("cli: --version and -V print package.json's version", () => {
    for (const flag of ["--version", "-V"]) {
      const result = run([flag]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  it("cli: help lists every command with its summary", () => {
    const result = run(["help"]);
    assert.equal(result.status, 0, result.stderr);
    for (const command of COMMANDS) assert.match(result.stdout, new RegExp(`^  ${command.name} `, "m"), `help lists ${command.name}`);
  });

  it("cli: help COMMAND shows that command's own options", () => {
    const result = run(["help", "resolve"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage: imds-lab resolve/);
    assert.match(result.stdout, /--template-version/);
  });

  it("cli: an unknown command is refused with a suggestion", () => {
    const result = run(["resolv"]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /unknown command 'resolv'/);
    assert.match(result.stderr, /resolve/);
  });

  it("cli: audit does not print the AWS SDK's Node version warning unless --verbose", async () => {
    const emulator = await startEmulatorProcess([]);
    try {
      const args = ["audit", "--endpoint-url", emulator.ready.api, "--regions", "us-east-1", "--json", "--no-progress"];
      const env = { ...process.env, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" };
      const quiet = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });
      assert.equal(quiet.status, 0, quiet.stderr);
      assert.doesNotMatch(quiet.stderr, /Warning/);
      const verbose = spawnSync(process.execPath, [BIN, "--verbose", ...args], { encoding: "utf8", env, timeout: 60_000 });
      assert.equal(verbose.status, 0, verbose.stderr);
      // The SDK warns only on Node < 22; there --verbose shows what the quiet run dropped.
      if (Number(process.versions.node.split(".")[0]) < 22) assert.match(verbose.stderr, /NodeVersionSupportWarning/);
    } finally {
      await emulator.stop();
    }
  });
});
