import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { IDEMPOTENT_PARAMETER_MISMATCH_MESSAGE } from "../../domain/idempotency/client-token.ts";
import { expectError, expectOk, itemsOf } from "../../../test/support/ec2-answers.ts";
import { describedInstances, PLAIN_IMAGE, V2_IMAGE, withHarness } from "../../../test/support/instances.ts";

const RUN = "RunInstances";
const run = (extra: Record<string, string> = {}) => ({ ImageId: PLAIN_IMAGE, MinCount: "2", MaxCount: "2", ClientToken: "deploy-42", ...extra });
const withoutRequestId = (body: string) => body.replace(/<requestId>[^<]*<\/requestId>/, "");

test("ClientToken: RunInstances repeated with the same token and parameters answers the original launch and launches nothing", () =>
  withHarness(async (h) => {
    const first = await h.call(RUN, run());
    const ids = itemsOf(first, RUN, "instancesSet").map((i) => i.instanceId);
    const again = await h.call(RUN, { "MinCount": "2", ClientToken: "deploy-42", MaxCount: "2", ImageId: PLAIN_IMAGE });
    expectOk(again);
    assert.equal(withoutRequestId(again.body), withoutRequestId(first.body));
    assert.equal(describedInstances(await h.call("DescribeInstances")).length, 2);
    // The zone is not compared (the idempotency guide), DryRun neither.
    expectOk(await h.call(RUN, run({ "Placement.AvailabilityZone": "us-east-1b" })));
    assert.deepEqual(describedInstances(await h.call("DescribeInstances")).map((i) => i.instanceId), ids);
  }));

test("ClientToken: RunInstances with the same token and other parameters is IdempotentParameterMismatch, with EC2's sentence", () =>
  withHarness(async (h) => {
    expectOk(await h.call(RUN, run()));
    expectError(await h.call(RUN, run({ ImageId: V2_IMAGE })), "IdempotentParameterMismatch", IDEMPOTENT_PARAMETER_MISMATCH_MESSAGE);
    expectError(await h.call(RUN, run({ "MetadataOptions.HttpTokens": "required" })), "IdempotentParameterMismatch");
    assert.equal(describedInstances(await h.call("DescribeInstances")).length, 2);
    // Tokens are per account and Region, and per action: another Region launches.
    expectOk(await h.call(RUN, run(), { region: "eu-west-1" }));
    // No token: every call launches, as on EC2.
    expectOk(await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1" }));
    expectOk(await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1" }));
    assert.equal(describedInstances(await h.call("DescribeInstances")).length, 4);
    expectError(await h.call(RUN, run({ ClientToken: "x".repeat(65) })), "InvalidParameterValue");
  }));

test("ClientToken: a token whose instance was terminated is IdempotentInstanceTerminated", () =>
  withHarness(async (h) => {
    const [id] = itemsOf(await h.call(RUN, run({ MinCount: "1", MaxCount: "1" })), RUN, "instancesSet").map((i) => i.instanceId);
    expectOk(await h.call("TerminateInstances", { "InstanceId.1": id }));
    expectError(await h.call(RUN, run({ MinCount: "1", MaxCount: "1" })), "IdempotentInstanceTerminated");
  }));

test("ClientToken: CreateLaunchTemplate retried with its token answers the template instead of AlreadyExists; other data is a mismatch", () =>
  withHarness(async (h) => {
    const params = { LaunchTemplateName: "web", ClientToken: "lt-token-1", "LaunchTemplateData.MetadataOptions.HttpTokens": "required" };
    const first = await h.call("CreateLaunchTemplate", params);
    expectOk(first);
    const again = await h.call("CreateLaunchTemplate", params);
    assert.equal(withoutRequestId(again.body), withoutRequestId(first.body));
    expectError(await h.call("CreateLaunchTemplate", { ...params, "LaunchTemplateData.MetadataOptions.HttpTokens": "optional" }), "IdempotentParameterMismatch", IDEMPOTENT_PARAMETER_MISMATCH_MESSAGE);
    expectError(await h.call("CreateLaunchTemplate", { ...params, ClientToken: "lt-token-2" }), "InvalidLaunchTemplateName.AlreadyExistsException");
  }));

test("ClientToken: tokens survive a restart of the state file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-token-"));
  const path = join(dir, "state.db");
  try {
    let first = "";
    await withHarness(async (h) => void (first = (await h.call(RUN, run())).body), { path });
    await withHarness(async (h) => {
      assert.equal(withoutRequestId((await h.call(RUN, run())).body), withoutRequestId(first));
      expectError(await h.call(RUN, run({ MinCount: "1" })), "IdempotentParameterMismatch");
    }, { path });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ClientToken: CreateLaunchTemplateVersion and ModifyLaunchTemplate retried with their token change nothing more", () =>
  withHarness(async (h) => {
    expectOk(await h.call("CreateLaunchTemplate", { LaunchTemplateName: "web", "LaunchTemplateData.ImageId": PLAIN_IMAGE }));
    const version = { LaunchTemplateName: "web", ClientToken: "v-1", "LaunchTemplateData.InstanceType": "t3.micro" };
    const first = await h.call("CreateLaunchTemplateVersion", version);
    expectOk(first);
    assert.equal(withoutRequestId((await h.call("CreateLaunchTemplateVersion", version)).body), withoutRequestId(first.body));
    expectError(await h.call("CreateLaunchTemplateVersion", { ...version, "LaunchTemplateData.InstanceType": "t3.large" }), "IdempotentParameterMismatch");
    const versions = itemsOf(await h.call("DescribeLaunchTemplateVersions", { LaunchTemplateName: "web" }), "DescribeLaunchTemplateVersions", "launchTemplateVersionSet");
    assert.equal(versions.length, 2);
    const modify = { LaunchTemplateName: "web", SetDefaultVersion: "2", ClientToken: "m-1" };
    expectOk(await h.call("ModifyLaunchTemplate", modify));
    expectOk(await h.call("ModifyLaunchTemplate", { LaunchTemplateName: "web", SetDefaultVersion: "1" }));
    // The retry of the first modification does not set version 2 again.
    const retried = await h.call("ModifyLaunchTemplate", modify);
    assert.equal(retried.xml.ModifyLaunchTemplateResponse.launchTemplate.defaultVersionNumber, "1");
    expectError(await h.call("ModifyLaunchTemplate", { ...modify, SetDefaultVersion: "1" }), "IdempotentParameterMismatch");
  }));
