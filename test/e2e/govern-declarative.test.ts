/**
 * Declarative policies end to end: attached with `imds-lab governance declarative-policy`, seen
 * and refused through the AWS CLI v1 as an account under AWS Organizations would see them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";

const CLI_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
};
/** ORG-DP's format, with its underscore spellings (spec §4.3). */
const POLICY = {
  ec2_attributes: {
    instance_metadata_defaults: {
      http_tokens: { "@@assign": "required" },
      http_put_response_hop_limit: { "@@assign": "2" },
      http_endpoint: { "@@assign": "no_preference" },
      instance_metadata_tags: { "@@assign": "enabled" },
    },
    exception_message: { "@@assign": "IMDS defaults are set by the organization. https://wiki.example/imds" },
  },
};

function aws(api: string, args: string[], region = "us-east-1") {
  const r = spawnSync("python3", ["-m", "awscli", "ec2", ...args, "--endpoint-url", api, "--region", region, "--output", "json"], { encoding: "utf8", env: { ...process.env, ...CLI_ENV }, timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

function imdsLab(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
}

describe("govern: declarative policies set and lock an account's defaults", () => {
  let emulator: EmulatorProcess;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-dp-"));
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
  });
  after(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("aws cli v1: ManagedBy=declarative-policy with the exception message; ModifyInstanceMetadataDefaults refused; detach restores", () => {
    const api = emulator.ready.api;
    const file = join(dir, "policy.json");
    writeFileSync(file, JSON.stringify(POLICY));
    const attached = imdsLab(["governance", "declarative-policy", "--file", file, "--region", "us-east-1", "--endpoint-url", api]);
    assert.equal(attached.status, 0, attached.stderr);
    assert.deepEqual(aws(api, ["get-instance-metadata-defaults"]).json().AccountLevel, {
      HttpTokens: "required",
      HttpPutResponseHopLimit: 2,
      InstanceMetadataTags: "enabled",
      ManagedBy: "declarative-policy",
      ManagedExceptionMessage: "IMDS defaults are set by the organization. https://wiki.example/imds",
    });
    const refused = aws(api, ["modify-instance-metadata-defaults", "--http-tokens", "optional"]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /\(UnsupportedOperation\).*managed by a declarative policy.*IMDS defaults are set by the organization\. https:\/\/wiki\.example\/imds/);
    // Defaults, not enforcement: a launch may still ask for IMDSv1 (ORG-DP).
    const launched = aws(api, ["run-instances", "--image-id", "ami-0453ec754f44f9a4a", "--count", "1"]).json().Instances[0].MetadataOptions;
    assert.deepEqual([launched.HttpTokens, launched.HttpPutResponseHopLimit, launched.InstanceMetadataTags], ["required", 2, "enabled"]);
    assert.equal(aws(api, ["run-instances", "--image-id", "ami-0453ec754f44f9a4a", "--count", "1", "--metadata-options", "HttpTokens=optional"]).status, 0);
    // Another Region is untouched.
    assert.deepEqual(aws(api, ["get-instance-metadata-defaults"], "eu-west-1").json().AccountLevel, { ManagedBy: "account" });
    assert.equal(imdsLab(["governance", "declarative-policy", "--detach", "--region", "us-east-1", "--endpoint-url", api]).status, 0);
    assert.equal(aws(api, ["get-instance-metadata-defaults"]).json().AccountLevel.ManagedBy, "account");
    assert.equal(aws(api, ["modify-instance-metadata-defaults", "--http-tokens", "optional"]).status, 0);
  });

  it("imds-lab governance declarative-policy: a malformed policy is refused naming the path", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ ec2_attributes: { instance_metadata_defaults: { http_tokens: { "@@assign": "no-preference" } } } }));
    const result = imdsLab(["governance", "declarative-policy", "--file", file, "--endpoint-url", emulator.ready.api]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /MalformedPolicyDocumentException: ec2_attributes\.instance_metadata_defaults\.http_tokens .*no_preference/);
  });
});
