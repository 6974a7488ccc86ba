import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";

const SCRIPT = fileURLToPath(new URL("../clients/provision_boto3.py", import.meta.url));
const CREDENTIALS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

function provision(api: string, runId: string): any {
  const result = spawnSync("python3", [SCRIPT, api, runId], { encoding: "utf8", env: { ...process.env, ...CREDENTIALS_ENV }, timeout: 90_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe("a boto3 provisioning flow as infrastructure tools write it (issue 12)", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
  });
  after(async () => {
    await emulator.stop();
  });

  it("creates once (a retried RunInstances with its ClientToken launches nothing more), confirms with DescribeInstanceStatus, converges on rerun", (t) => {
    const first = provision(emulator.ready.api, "run-1");
    if (first.client_missing) return t.skip(`boto3 missing: ${first.hint}`);
    assert.equal(first.error, null, JSON.stringify(first));
    assert.equal(first.created, true);
    assert.equal(first.retry_same_id, true);
    assert.equal(first.subnet_id, first.expected_subnet_id);
    assert.equal(first.zone, "us-east-1b");
    assert.deepEqual(first.status, { state: "running", instance: "ok", system: "ok" });
    assert.equal(first.http_tokens, "required");
    const second = provision(emulator.ready.api, "run-2");
    assert.equal(second.error, null, JSON.stringify(second));
    assert.equal(second.created, false);
    assert.equal(second.instance_id, first.instance_id);
  });
});
