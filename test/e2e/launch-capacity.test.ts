import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { BIN } from "../support/emulator-process.ts";

interface Server {
  readonly child: ChildProcess;
  readonly ready: Record<string, string>;
}

/** `imds-lab serve` under a hard limit of 400 open descriptors, as `ulimit -n 400` leaves a shell. */
function serveLimited(state: string): Promise<Server> {
  const child = spawn("bash", ["-c", `ulimit -n 400 && exec "$0" "$@"`, process.execPath, BIN, "serve", "--state", state, "--imds-port", "0", "--api-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no ready line in 30 s")), 30_000);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(line) as Record<string, string> });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code} before its ready line`)));
  });
}

async function runInstances(api: string, count: number): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ Action: "RunInstances", Version: "2016-11-15", ImageId: "ami-0abcdef1234567890", MinCount: String(count), MaxCount: String(count) });
  const response = await fetch(api, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  return { status: response.status, body: await response.text() };
}

async function instanceCount(api: string): Promise<number> {
  return ((await (await fetch(`${api}/_imds-lab/instances`)).json()) as unknown[]).length;
}

function kill9(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.child.once("exit", () => resolve());
    server.child.kill("SIGKILL");
  });
}

describe("launches at the descriptor limit (issue 11, reproduction 6)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-capacity-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serve under ulimit -n 400: the ready line names the capacity, a launch past it is InsufficientInstanceCapacity and leaves nothing, the state file loads again", async () => {
    const state = join(dir, "state.db");
    const first = await serveLimited(state);
    let launched = 1; // the default instance
    try {
      assert.equal(first.ready.instanceCapacity, "336");
      const api = first.ready.api!;
      for (let i = 0; i < 3; i++) {
        const fits = await runInstances(api, 100);
        assert.equal(fits.status, 200, fits.body);
        launched += 100;
      }
      // 301 instances hold 301 listeners; 100 more cannot fit under 400 descriptors.
      const past = await runInstances(api, 100);
      assert.equal(past.status, 500, past.body);
      assert.match(past.body, /<Code>InsufficientInstanceCapacity<\/Code>/);
      assert.equal(await instanceCount(api), launched, "the refused launch left no instance behind");
      const small = await runInstances(api, 10);
      assert.equal(small.status, 200, "the endpoints of the refused launch were closed again");
      launched += 10;
      assert.equal(await instanceCount(api), launched);
    } finally {
      await kill9(first);
    }
    const second = await serveLimited(state);
    try {
      assert.equal(await instanceCount(second.ready.api!), launched, "every instance answered before the kill -9 is back");
    } finally {
      await kill9(second);
    }
  });
});
