/**
 * Model-driven conformance (issue 12): every implemented EC2 action is called once through the
 * in-process harness, and its answer is checked against the output shape of botocore's EC2
 * model as installed (read at test time): element names, value types, enum values. Every action
 * of the registry needs a sample call here, so a new action cannot skip the check.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ALL_ACTIONS } from "../../src/ec2/query-api.ts";
import { createEc2Harness } from "../support/ec2-harness.ts";
import { PLAIN_IMAGE } from "../support/instances.ts";
import { loadEc2Model } from "./botocore-model.ts";
import { checkAgainstShape } from "./output-shape-check.ts";

type Sample = readonly [action: string, params: (ids: Record<string, string>) => Record<string, string>, keep?: (xml: any, ids: Record<string, string>) => void];

/** In order: each call may use the ids the earlier ones created. */
const SAMPLES: readonly Sample[] = [
  ["RunInstances", () => ({ ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": "conformance" }),
    (xml, ids) => void (ids.instance = xml.RunInstancesResponse.instancesSet.item[0].instanceId)],
  ["DescribeInstances", () => ({})],
  ["DescribeInstanceStatus", () => ({ IncludeAllInstances: "true" })],
  ["DescribeInstanceImageMetadata", () => ({})],
  ["GetLaunchTemplateData", (ids) => ({ InstanceId: ids.instance! })],
  ["ModifyInstanceMetadataOptions", (ids) => ({ InstanceId: ids.instance!, HttpTokens: "required" })],
  ["CreateTags", (ids) => ({ "ResourceId.1": ids.instance!, "Tag.1.Key": "team", "Tag.1.Value": "a" })],
  ["DescribeTags", () => ({})],
  ["DeleteTags", (ids) => ({ "ResourceId.1": ids.instance!, "Tag.1.Key": "team" })],
  ["StopInstances", (ids) => ({ "InstanceId.1": ids.instance! })],
  ["StartInstances", (ids) => ({ "InstanceId.1": ids.instance! })],
  ["RegisterImage", () => ({ Name: "conformance-image", Architecture: "x86_64" }), (xml, ids) => void (ids.image = xml.RegisterImageResponse.imageId)],
  ["DescribeImages", (ids) => ({ "ImageId.1": ids.image! })],
  ["DescribeImageAttribute", (ids) => ({ ImageId: ids.image!, Attribute: "imdsSupport" })],
  ["ModifyImageAttribute", (ids) => ({ ImageId: ids.image!, "ImdsSupport.Value": "v2.0" })],
  ["ResetImageAttribute", (ids) => ({ ImageId: ids.image!, Attribute: "launchPermission" })],
  ["DeregisterImage", (ids) => ({ ImageId: ids.image! })],
  ["GetInstanceMetadataDefaults", () => ({})],
  ["ModifyInstanceMetadataDefaults", () => ({ HttpTokens: "required" })],
  ["CreateLaunchTemplate", () => ({ LaunchTemplateName: "conformance", "LaunchTemplateData.ImageId": PLAIN_IMAGE, "LaunchTemplateData.MetadataOptions.HttpTokens": "required" })],
  ["CreateLaunchTemplateVersion", () => ({ LaunchTemplateName: "conformance", "LaunchTemplateData.InstanceType": "t3.micro" })],
  ["DescribeLaunchTemplates", () => ({})],
  ["DescribeLaunchTemplateVersions", () => ({ LaunchTemplateName: "conformance" })],
  ["ModifyLaunchTemplate", () => ({ LaunchTemplateName: "conformance", SetDefaultVersion: "2" })],
  ["DeleteLaunchTemplateVersions", () => ({ LaunchTemplateName: "conformance", "LaunchTemplateVersion.1": "1" })],
  ["DeleteLaunchTemplate", () => ({ LaunchTemplateName: "conformance" })],
  ["DescribeVpcs", () => ({})],
  ["DescribeSubnets", () => ({})],
  ["RebootInstances", (ids) => ({ "InstanceId.1": ids.instance! })],
  ["DescribeInstanceAttribute", (ids) => ({ InstanceId: ids.instance!, Attribute: "groupSet" })],
  ["TerminateInstances", (ids) => ({ "InstanceId.1": ids.instance! })],
];

const model = loadEc2Model();

test("model conformance: every registered action has a sample call here", () => {
  const sampled = new Set(SAMPLES.map(([action]) => action));
  assert.deepEqual(ALL_ACTIONS.map((a) => a.name).filter((name) => !sampled.has(name)), []);
});

test("model conformance: each action's answer uses only its output shape's members, with their types", { skip: model === undefined ? "python3 with botocore is not installed" : false }, async () => {
  const h = await createEc2Harness({ optionsApplyDelayMs: 0 });
  const ids: Record<string, string> = {};
  const findings: string[] = [];
  try {
    for (const [action, params, keep] of SAMPLES) {
      const operation = model!.operations[action];
      assert.ok(operation, `${action} is not an operation of ${model!.path}`);
      const result = await h.call(action, params(ids));
      assert.equal(result.status, 200, `${action}: ${result.body}`);
      keep?.(result.xml, ids);
      const { requestId: _requestId, ...body } = result.xml[`${action}Response`] as Record<string, unknown>;
      if (operation.output !== undefined) checkAgainstShape(model!, operation.output.shape, body, action, findings);
    }
  } finally {
    await h.close();
  }
  assert.deepEqual(findings, []);
});

test("model conformance: the check names an unknown element, a wrong type and a value outside an enum", { skip: model === undefined ? "python3 with botocore is not installed" : false }, () => {
  const findings: string[] = [];
  const answer = { instanceStatusSet: { item: [{ instanceId: "i-1", instanceState: { code: "sixteen", name: "asleep" }, bogus: "x" }] } };
  checkAgainstShape(model!, model!.operations.DescribeInstanceStatus!.output!.shape, answer, "DescribeInstanceStatus", findings);
  assert.deepEqual(findings, [
    'DescribeInstanceStatus.instanceStatusSet[0].instanceState.code: expected an integer, got "sixteen"',
    'DescribeInstanceStatus.instanceStatusSet[0].instanceState.name: "asleep" is not a value of InstanceStateName',
    "DescribeInstanceStatus.instanceStatusSet[0].bogus: not a member of InstanceStatus",
  ]);
});
