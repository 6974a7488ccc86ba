/**
 * Caller attribution through /proc, end to end: the emulator runs as users run it (imds-lab
 * serve) and a known child process calls its IMDS without a token; the report names that
 * process by pid and command line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { CallerReport } from "../../src/domain/migration/caller-report.ts";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { imdsLab, LEGACY_POLLER, realPython, startPoller, type Poller } from "../support/migration-callers.ts";

const linux = process.platform === "linux";

describe("migration: IMDSv1 caller attribution", { skip: linux ? false : "attribution reads /proc (Linux)" }, () => {
  let emulator: EmulatorProcess;
  let poller: Poller;
  before(async () => {
    emulator = await startEmulatorProcess();
  });
  after(async () => {
    poller?.stop();
    await emulator.stop();
  });

  it("attribution: a child process calling with IMDSv1 is found by pid and command line, its parent and its paths", async () => {
    poller = startPoller(emulator.ready.imds, 0.2);
    await poller.waitFor(200, 2);
    // Attribution runs in the background, per connection; on a busy machine reading /proc takes a
    // while, so wait (bounded) until the route names the poller, as a user re-running report would.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const live = JSON.parse((await rawRequest(emulator.ready.api, { path: "/_imds-lab/report" })).text()) as CallerReport;
      const seen = live.instances.some((i) => i.v1Callers.some((c) => c.process?.pid === poller.child.pid));
      if (seen || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const run = imdsLab(["report", "--endpoint-url", emulator.ready.api, "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as CallerReport;
    const instance = report.instances.find((i) => i.instanceId === emulator.ready.defaultInstanceId)!;
    assert.equal(instance.verdict, "breaks");
    const caller = instance.v1Callers.find((c) => c.process?.pid === poller.child.pid);
    assert.ok(caller, `the poller (pid ${poller.child.pid}) is among ${JSON.stringify(instance.v1Callers.map((c) => c.label))}`);
    assert.deepEqual(caller.process?.command, [realPython(), "-c", LEGACY_POLLER, emulator.ready.imds, "0.2"]);
    assert.equal(caller.process?.parents[0]?.pid, process.pid, "its parent is this test process");
    assert.equal(caller.attribution, "attributed");
    assert.deepEqual(caller.userAgents, ["legacy-poller/1.0"]);
    assert.deepEqual(caller.v1Paths.map((p) => p.path).sort(), ["/latest/meta-data/iam/security-credentials/", "/latest/meta-data/instance-id"]);
    assert.equal(caller.hop.requiredHopLimit, 1);

    // The table names it too.
    const table = imdsLab(["report", "--endpoint-url", emulator.ready.api]);
    assert.match(table.stdout, new RegExp(`pid ${poller.child.pid} `));
    assert.match(table.stdout, /BREAKS/);
  });

  it("attribution: one-shot curl calls are all logged (version, status, User-Agent); whether each is attributed is measured", async (t) => {
    const runs = 10;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", `${emulator.ready.imds}/latest/meta-data/ami-id`], { encoding: "utf8" });
      assert.equal(r.stdout, "200");
    }
    const log = JSON.parse((await rawRequest(emulator.ready.api, { path: "/_imds-lab/access-log?limit=1000&version=v1" })).text());
    const curls = log.entries.filter((e: { userAgent: string | null }) => e.userAgent?.startsWith("curl/"));
    assert.equal(curls.length, runs);
    for (const e of curls) assert.deepEqual([e.method, e.path, e.status, e.version], ["GET", "/latest/meta-data/ami-id", 200, "v1"]);
    const attributed = curls.filter((e: { attribution: string }) => e.attribution === "attributed").length;
    t.diagnostic(`one-shot curl: ${attributed}/${runs} attributed (the rest had closed before /proc was read: ${[...new Set(curls.map((e: { attribution: string }) => e.attribution))].join(", ")})`);
    for (const e of curls) assert.ok(["attributed", "socket-gone", "process-not-found", "timeout"].includes(e.attribution), e.attribution);
  });
});
