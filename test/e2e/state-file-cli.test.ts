import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { BIN, startEmulatorProcess } from "../support/emulator-process.ts";

/** Runs `imds-lab serve` expecting it to refuse: its exit code and stderr. */
function serveRefused(state: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", "--state", state, "--imds-port", "0", "--api-port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      assert.equal(stdout, "", "no ready line");
      resolve({ code, stderr });
    });
  });
}

describe("state file ownership from the command line (issue 11, reproductions 5 and 8)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-state-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serve: a second server on the same state file exits 2 with one line naming the file and the holder; after kill -9 of the first a new one starts", async () => {
    const state = join(dir, "shared.db");
    const first = await startEmulatorProcess(["--state", state]);
    try {
      const second = await serveRefused(state);
      assert.equal(second.code, 2);
      assert.equal(second.stderr, `imds-lab: ${state} is in use by process ${first.child.pid}; stop it, or give this server another --state file (or --ephemeral).\n`);
    } finally {
      await first.stop("SIGKILL");
    }
    const third = await startEmulatorProcess(["--state", state]);
    await third.stop();
  });

  it("serve: another application's database, a newer schema and a text file are refused with one line, no stack, file untouched", async () => {
    const foreign = join(dir, "photos.db");
    const db = new Database(foreign);
    db.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
    db.close();
    const newer = join(dir, "newer.db");
    const ndb = new Database(newer);
    ndb.pragma("application_id = 1768776819");
    ndb.pragma("user_version = 999");
    ndb.close();
    const text = join(dir, "state.json");
    writeFileSync(text, "not a database\n");
    for (const [file, expected] of [
      [foreign, /is not an imds-lab state file \(it belongs to another application\)/],
      [newer, /was written by a newer imds-lab \(schema 999/],
      [text, /is not an imds-lab state file \(not an SQLite database\)/],
    ] as const) {
      const before = readFileSync(file);
      const { code, stderr } = await serveRefused(file);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.split("\n").length, 2, `one line: ${stderr}`);
      assert.match(stderr, expected);
      assert.ok(!/\bat \S+:\d+/.test(stderr), "no stack trace");
      assert.deepEqual(readFileSync(file), before, `${file} untouched`);
    }
  });
});
