import assert from "node:assert/strict";
import { test } from "node:test";
import { errorOf } from "../../test/support/ec2-answers.ts";
import { GUARDRAILS } from "../../test/support/governance-fixtures.ts";
import { withGoverned, type GovernedHarness } from "../../test/support/governed-harness.ts";
import { extractEncodedMessage } from "../domain/policy/authorization-message.ts";
import { decodeAuthorizationMessage } from "./authorization-codec.ts";

const ACCOUNT = "123456789012";
const PLAIN_IMAGE = "ami-0abcdef1234567890";
const V2_IMAGE = "ami-0a3c3a20c09d6f377";
const DEV_KEY = "AKIAIOSFODNN7EXAMPLE";
const DEV_ARN = `arn:aws:iam::${ACCOUNT}:user/dev`;

const GOVERNANCE = {
  accessKeys: [{ accessKeyId: DEV_KEY, secretAccessKey: "secret", principalArn: DEV_ARN }],
  scps: { [ACCOUNT]: [GUARDRAILS] },
};

async function run(g: GovernedHarness, params: Record<string, string> = {}, accessKeyId: string | undefined = DEV_KEY, sessionToken?: string) {
  return g.call("RunInstances", { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", ...params }, { ...(accessKeyId ? { accessKeyId } : {}), ...(sessionToken ? { sessionToken } : {}) });
}

function instanceIdOf(result: { xml: any }): string {
  return String(result.xml.RunInstancesResponse.instancesSet.item[0].instanceId);
}

test("authorizer: without governance every call is allowed", async () => {
  await withGoverned({}, async (g) => {
    assert.equal((await run(g, { "MetadataOptions.HttpTokens": "optional" })).status, 200);
    assert.equal((await run(g, {}, undefined)).status, 200);
  });
});

test("authorizer: the spec's SCP refuses IMDSv1 and high hop limits at launch with UnauthorizedOperation", async () => {
  await withGoverned(GOVERNANCE, async (g) => {
    const denied = errorOf(await run(g));
    assert.equal(denied.status, 403);
    assert.equal(denied.code, "UnauthorizedOperation");
    assert.match(
      denied.message,
      /^You are not authorized to perform this operation\. User: arn:aws:iam::123456789012:user\/dev is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance\/\* with an explicit deny in a service control policy\. Encoded authorization failure message: imdslab1\.\S+$/,
    );
    const decoded = decodeAuthorizationMessage(extractEncodedMessage(denied.message));
    assert.equal(decoded.matchedStatements.items.length, 1);
    assert.deepEqual(decoded.imdsLab.absentKeys, ["ec2:MetadataHttpTokens"]);
    assert.equal(errorOf(await run(g, { "MetadataOptions.HttpTokens": "optional" })).code, "UnauthorizedOperation");
    const high = errorOf(await run(g, { "MetadataOptions.HttpTokens": "required", "MetadataOptions.HttpPutResponseHopLimit": "4" }));
    assert.match(decodeAuthorizationMessage(extractEncodedMessage(high.message)).imdsLab.statements[0]!, /MaxImdsHopLimit/);
    assert.equal((await run(g, { "MetadataOptions.HttpTokens": "required", "MetadataOptions.HttpPutResponseHopLimit": "3" })).status, 200);
    // Nothing was launched by the refused calls.
    assert.equal(g.harness.services.estate.list({ accountId: ACCOUNT, region: "us-east-1" }).length, 1);
  });
});

test("authorizer: DryRun answers UnauthorizedOperation when denied and DryRunOperation when allowed", async () => {
  await withGoverned(GOVERNANCE, async (g) => {
    assert.equal(errorOf(await run(g, { DryRun: "true" })).code, "UnauthorizedOperation");
    const allowed = errorOf(await run(g, { DryRun: "true", "MetadataOptions.HttpTokens": "required" }));
    assert.deepEqual([allowed.status, allowed.code], [412, "DryRunOperation"]);
  });
});

test("authorizer: ModifyInstanceMetadataOptions may not set HttpTokens to anything but required; other changes pass", async () => {
  await withGoverned(GOVERNANCE, async (g) => {
    const id = instanceIdOf(await run(g, { "MetadataOptions.HttpTokens": "required" }));
    assert.equal(errorOf(await g.call("ModifyInstanceMetadataOptions", { InstanceId: id, HttpTokens: "optional" }, { accessKeyId: DEV_KEY })).code, "UnauthorizedOperation");
    assert.equal((await g.call("ModifyInstanceMetadataOptions", { InstanceId: id, HttpPutResponseHopLimit: "2" }, { accessKeyId: DEV_KEY })).status, 200);
    assert.equal((await g.call("ModifyInstanceMetadataOptions", { InstanceId: id, HttpTokens: "required" }, { accessKeyId: DEV_KEY })).status, 200);
    assert.equal(g.harness.services.estate.get(id)!.record.metadataOptions.httpTokens, "required");
  });
});

test("authorizer: role credentials delivered over IMDSv1 carry ec2:RoleDelivery 1.0 and are refused; IMDSv2 ones pass", async () => {
  await withGoverned(GOVERNANCE, async (g) => {
    const id = instanceIdOf(await run(g, { "MetadataOptions.HttpTokens": "required", "IamInstanceProfile.Name": "app" }));
    const v1 = g.roleCredentials(id, "v1");
    const v2 = g.roleCredentials(id, "v2");
    const denied = errorOf(await g.call("DescribeInstances", {}, { accessKeyId: v1.AccessKeyId }));
    assert.equal(denied.code, "UnauthorizedOperation");
    assert.match(denied.message, new RegExp(`User: arn:aws:sts::${ACCOUNT}:assumed-role/app/${id} is not authorized to perform: ec2:DescribeInstances on resource: \\*`));
    const context = decodeAuthorizationMessage(extractEncodedMessage(denied.message)).context.conditions.items;
    assert.deepEqual(context.find((c) => c.key === "ec2:RoleDelivery")?.values.items, [{ value: "1.0" }]);
    assert.deepEqual(context.find((c) => c.key === "ec2:SourceInstanceARN")?.values.items, [{ value: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}` }]);
    assert.equal((await g.call("DescribeInstances", {}, { accessKeyId: v2.AccessKeyId })).status, 200);
  });
});

test("authorizer: an identity policy governs its principal only; no Allow is an implicit deny", async () => {
  const governance = {
    accessKeys: [
      { accessKeyId: DEV_KEY, secretAccessKey: "s", principalArn: DEV_ARN },
      { accessKeyId: "AKIAOTHEREXAMPLE0000", secretAccessKey: "s", principalArn: `arn:aws:iam::${ACCOUNT}:user/ops` },
    ],
    identityPolicies: { [DEV_ARN]: [{ Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] }] },
  };
  await withGoverned(governance, async (g) => {
    const denied = errorOf(await run(g, { "MetadataOptions.HttpTokens": "optional" }));
    assert.match(denied.message, /because no identity-based policy allows the ec2:RunInstances action/);
    assert.equal((await g.call("DescribeInstances", {}, { accessKeyId: DEV_KEY })).status, 200);
    assert.equal((await run(g, {}, "AKIAOTHEREXAMPLE0000")).status, 200);
  });
});

test("authorizer: accounts come from the key; another account's SCPs do not apply", async () => {
  const governance = {
    accessKeys: [{ accessKeyId: "AKIAOTHERACCOUNT0000", secretAccessKey: "s", accountId: "210987654321" }],
    scps: { [ACCOUNT]: [GUARDRAILS] },
  };
  await withGoverned(governance, async (g) => {
    const result = await run(g, {}, "AKIAOTHERACCOUNT0000");
    assert.equal(result.status, 200);
    assert.equal(String(result.xml.RunInstancesResponse.ownerId), "210987654321");
    assert.equal(errorOf(await run(g, {}, "AKIAUNKNOWNKEY000000")).code, "UnauthorizedOperation");
  });
});

test("authorizer: requested values (default) vs resolved values for the launch condition keys", async () => {
  // AMI ImdsSupport=v2.0 resolves HttpTokens to required without the request saying so.
  await withGoverned(GOVERNANCE, async (g) => {
    assert.equal(errorOf(await run(g, { ImageId: V2_IMAGE })).code, "UnauthorizedOperation");
  });
  await withGoverned({ ...GOVERNANCE, conditionKeyValues: "resolved" }, async (g) => {
    assert.equal((await run(g, { ImageId: V2_IMAGE })).status, 200);
    assert.equal(errorOf(await run(g)).code, "UnauthorizedOperation");
  });
});

test("authorizer: a launch template's options count as requested", async () => {
  await withGoverned(GOVERNANCE, async (g) => {
    const created = await g.call("CreateLaunchTemplate", { LaunchTemplateName: "imds-v2", "LaunchTemplateData.ImageId": PLAIN_IMAGE, "LaunchTemplateData.MetadataOptions.HttpTokens": "required" }, { accessKeyId: DEV_KEY });
    assert.equal(created.status, 200, created.body);
    const result = await g.call("RunInstances", { "LaunchTemplate.LaunchTemplateName": "imds-v2", MinCount: "1", MaxCount: "1" }, { accessKeyId: DEV_KEY });
    assert.equal(result.status, 200, result.body);
  });
});

test("authorizer: templates, account defaults and AMI attributes are governed by what the request sets", async () => {
  const policy = {
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "NoV1Templates", Effect: "Deny", Action: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion"], Resource: "*", Condition: { StringEquals: { "ec2:MetadataHttpTokens": "optional" } } },
      { Sid: "KeepEnforcement", Effect: "Deny", Action: "ec2:ModifyInstanceMetadataDefaults", Resource: "*", Condition: { StringEquals: { "ec2:Attribute/HttpTokensEnforced": ["disabled", "no-preference"] } } },
      { Sid: "OnlyAdminsFlagAmis", Effect: "Deny", Action: "ec2:ModifyImageAttribute", Resource: "arn:aws:ec2:*::image/*", Condition: { StringEquals: { "ec2:Attribute": "ImdsSupport" }, StringNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/admin" } } },
    ],
  };
  await withGoverned({ identityPolicies: { [`arn:aws:iam::${ACCOUNT}:root`]: [policy] } }, async (g) => {
    const key = { accessKeyId: "AKIAANYONEEXAMPLE000" };
    const denied = await g.call("CreateLaunchTemplate", { LaunchTemplateName: "imds-v1", "LaunchTemplateData.MetadataOptions.HttpTokens": "optional" }, key);
    assert.match(errorOf(denied).message, /ec2:CreateLaunchTemplate on resource: arn:aws:ec2:us-east-1:123456789012:launch-template\/\* with an explicit deny in an identity-based policy/);
    assert.equal((await g.call("CreateLaunchTemplate", { LaunchTemplateName: "imds-v2", "LaunchTemplateData.MetadataOptions.HttpTokens": "required" }, key)).status, 200);
    const version = await g.call("CreateLaunchTemplateVersion", { LaunchTemplateName: "imds-v2", "LaunchTemplateData.MetadataOptions.HttpTokens": "optional" }, key);
    assert.match(errorOf(version).message, /launch-template\/lt-/);
    assert.equal(errorOf(await g.call("ModifyInstanceMetadataDefaults", { HttpTokensEnforced: "disabled" }, key)).code, "UnauthorizedOperation");
    assert.equal((await g.call("ModifyInstanceMetadataDefaults", { HttpTokensEnforced: "enabled" }, key)).status, 200);
    const image = await g.call("RegisterImage", { Name: "app", Architecture: "x86_64", RootDeviceName: "/dev/xvda" }, key);
    const imageId = String(image.xml.RegisterImageResponse.imageId);
    assert.match(errorOf(await g.call("ModifyImageAttribute", { ImageId: imageId, "ImdsSupport.Value": "v2.0" }, key)).message, /image\/ami-/);
    assert.equal((await g.call("ModifyImageAttribute", { ImageId: imageId, "Description.Value": "fine" }, key)).status, 200);
  });
});

test("authorizer: a declarative policy in the governance file locks the account defaults", async () => {
  const governance = {
    declarativePolicies: [
      {
        region: "us-east-1",
        policy: { ec2_attributes: { instance_metadata_defaults: { http_tokens: { "@@assign": "required" }, http_put_response_hop_limit: { "@@assign": "2" } }, exception_message: { "@@assign": "Ask the platform team." } } },
      },
    ],
  };
  await withGoverned(governance, async (g) => {
    const level = (await g.call("GetInstanceMetadataDefaults")).xml.GetInstanceMetadataDefaultsResponse.accountLevel;
    assert.equal(level.managedBy, "declarative-policy");
    assert.equal(level.managedExceptionMessage, "Ask the platform team.");
    assert.equal(level.httpTokens, "required");
    const refused = errorOf(await g.call("ModifyInstanceMetadataDefaults", { HttpTokens: "optional" }));
    assert.equal(refused.code, "UnsupportedOperation");
    assert.match(refused.message, /Ask the platform team\.$/);
    // Other Regions are not managed.
    assert.equal((await g.call("ModifyInstanceMetadataDefaults", { HttpTokens: "optional" }, { accessKeyId: "AKIDEXAMPLE", region: "eu-west-1" })).status, 200);
    const launched = await run(g);
    assert.equal(String(launched.xml.RunInstancesResponse.instancesSet.item[0].metadataOptions.httpTokens), "required");
  });
});
