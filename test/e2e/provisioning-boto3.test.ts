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

/** The AWS CLI v1 (`python3 -m awscli`), JSON output; returns the exit status, parsed stdout and stderr. */
function aws(api: string, ...args: string[]): { status: number | null; json: any; stderr: string } {
  const result = spawnSync("python3", ["-m", "awscli", "ec2", ...args, "--endpoint-url", api, "--region", "us-east-1", "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...CREDENTIALS_ENV },
    timeout: 60_000,
  });
  return { status: result.status, json: result.stdout.trim() === "" ? {} : JSON.parse(result.stdout), stderr: result.stderr };
}

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

  it("the AWS CLI through each new action: describe-vpcs/-subnets, run-instances --subnet-id and --client-token, describe-instance-status, get-launch-template-data, describe-instance-image-metadata", () => {
    const vpcs = aws(emulator.ready.api, "describe-vpcs", "--filters", "Name=is-default,Values=true");
    assert.equal(vpcs.status, 0, vpcs.stderr);
    const vpcId = vpcs.json.Vpcs[0].VpcId as string;
    const subnets = aws(emulator.ready.api, "describe-subnets", "--filters", `Name=vpc-id,Values=${vpcId}`, "Name=availability-zone,Values=us-east-1c");
    const subnetId = subnets.json.Subnets[0].SubnetId as string;
    const runArgs = ["run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "1", "--subnet-id", subnetId, "--client-token", "cli-token-1"];
    const run = aws(emulator.ready.api, ...runArgs);
    assert.equal(run.status, 0, run.stderr);
    const id = run.json.Instances[0].InstanceId as string;
    assert.equal(aws(emulator.ready.api, ...runArgs).json.Instances[0].InstanceId, id);
    const mismatch = aws(emulator.ready.api, ...runArgs, "--instance-type", "t3.micro");
    assert.notEqual(mismatch.status, 0);
    assert.match(mismatch.stderr, /\(IdempotentParameterMismatch\).*inconsistent with arguments used in previous request/);
    const unknownSubnet = aws(emulator.ready.api, "run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "1", "--subnet-id", "subnet-0123456789abcdef0");
    assert.match(unknownSubnet.stderr, /\(InvalidSubnetID\.NotFound\)/);
    const status = aws(emulator.ready.api, "describe-instance-status", "--instance-ids", id);
    assert.equal(status.json.InstanceStatuses[0].InstanceStatus.Status, "ok");
    assert.equal(status.json.InstanceStatuses[0].AvailabilityZone, "us-east-1c");
    const data = aws(emulator.ready.api, "get-launch-template-data", "--instance-id", id);
    // A plain image without ImdsSupport: EC2's default, optional.
    assert.equal(data.json.LaunchTemplateData.MetadataOptions.HttpTokens, "optional");
    const images = aws(emulator.ready.api, "describe-instance-image-metadata", "--instance-ids", id);
    assert.equal(images.json.InstanceImageMetadata[0].ImageMetadata.ImageId, "ami-0abcdef1234567890");
    const described = aws(emulator.ready.api, "describe-instances", "--filters", `Name=subnet-id,Values=${subnetId}`);
    assert.deepEqual(described.json.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId)), [id]);
  });
});
