import assert from "node:assert/strict";
import { test } from "node:test";
import {
  genericRequests,
  globalContext,
  launchTemplateRequests,
  modifyImageAttributeRequests,
  modifyInstanceMetadataDefaultsRequests,
  modifyInstanceMetadataOptionsRequests,
  runInstancesRequests,
  type CallScope,
  type ImageFacts,
} from "./ec2-authorization.ts";
import { authorizeAll } from "./evaluate-policy.ts";
import { parsePolicyDocument } from "./policy-document.ts";

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const SCOPE: CallScope = {
  principal: { arn: "arn:aws:iam::123456789012:user/dev", accountId: "123456789012", id: "AKIDEXAMPLE" },
  region: "us-east-1",
  accountId: "123456789012",
  nowMs: NOW,
};
const ROLE_SCOPE: CallScope = {
  ...SCOPE,
  principal: {
    arn: "arn:aws:sts::123456789012:assumed-role/app/i-0abc",
    principalArn: "arn:aws:iam::123456789012:role/app",
    accountId: "123456789012",
    id: "ASIA:i-0abc",
    roleDelivery: "1.0",
    sourceInstanceArn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
  },
};
const AMI: ImageFacts = { imageId: "ami-0a3c3a20c09d6f377", ownerId: "137112412989", ownerAlias: "amazon", isPublic: true, tags: [] };

/** The four statements of docs/sources.md#example-policies-for-instance-metadata in one SCP, beside FullAWSAccess. */
const SPEC_SCP = [
  parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, "FullAWSAccess"),
  parsePolicyDocument(
    {
      Version: "2012-10-17",
      Statement: [
        { Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } } },
        {
          Sid: "DenyIMDSv1HttpTokensModification",
          Effect: "Deny",
          Action: "ec2:ModifyInstanceMetadataOptions",
          Resource: "arn:aws:ec2:*:*:instance/*",
          Condition: { StringNotEquals: { "ec2:Attribute/HttpTokens": "required" }, Null: { "ec2:Attribute/HttpTokens": false } },
        },
        { Sid: "MaxImdsHopLimit", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { NumericGreaterThan: { "ec2:MetadataHttpPutResponseHopLimit": "3" } } },
        { Sid: "RequireAllEc2RolesToUseV2", Effect: "Deny", Action: "*", Resource: "*", Condition: { NumericLessThan: { "ec2:RoleDelivery": "2.0" } } },
      ],
    },
    "imds-guardrails",
  ),
];

function deniedBy(requests: ReturnType<typeof runInstancesRequests>): string | undefined {
  return authorizeAll({ identity: undefined, scps: SPEC_SCP }, requests)?.result.matched[0]?.statement.sid;
}

function launch(metadata: Record<string, string | number>, scope = SCOPE) {
  return runInstancesRequests(scope, { image: AMI, instanceType: "t3.micro", instanceProfileArn: null, launchTemplateId: undefined, metadata, tags: [] });
}

test("ec2-authorization: global keys name the caller, the Region and the time; role credentials add RoleDelivery", () => {
  assert.deepEqual(globalContext(SCOPE), {
    "aws:PrincipalArn": "arn:aws:iam::123456789012:user/dev",
    "aws:PrincipalAccount": "123456789012",
    "aws:RequestedRegion": "us-east-1",
    "aws:CurrentTime": "2026-11-29T12:00:00Z",
    "aws:EpochTime": String(NOW / 1000),
    "aws:SecureTransport": "false",
    "ec2:Region": "us-east-1",
  });
  const role = globalContext(ROLE_SCOPE);
  assert.equal(role["aws:PrincipalArn"], "arn:aws:iam::123456789012:role/app");
  assert.equal(role["ec2:RoleDelivery"], "1.0");
  assert.equal(role["ec2:SourceInstanceARN"], "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc");
});

test("ec2-authorization: RunInstances asks for the instance (with the metadata keys), the AMI and the template", () => {
  const requests = runInstancesRequests(SCOPE, {
    image: AMI,
    instanceType: "t3.micro",
    instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/app",
    launchTemplateId: "lt-0abc",
    metadata: { httpTokens: "required", httpPutResponseHopLimit: 2, httpEndpoint: "enabled", instanceMetadataTags: "disabled" },
    tags: [{ key: "team", value: "payments" }, { key: "aws:ec2launchtemplate:id", value: "lt-0abc" }],
  });
  assert.deepEqual(requests.map((r) => r.resource), [
    "arn:aws:ec2:us-east-1:123456789012:instance/*",
    "arn:aws:ec2:us-east-1::image/ami-0a3c3a20c09d6f377",
    "arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0abc",
  ]);
  const instance = requests[0]!.context;
  assert.equal(instance["ec2:MetadataHttpTokens"], "required");
  assert.equal(instance["ec2:MetadataHttpPutResponseHopLimit"], "2");
  assert.equal(instance["ec2:MetadataHttpEndpoint"], "enabled");
  assert.equal(instance["ec2:InstanceMetadataTags"], "disabled");
  assert.equal(instance["ec2:InstanceType"], "t3.micro");
  assert.equal(instance["aws:RequestTag/team"], "payments");
  assert.deepEqual(instance["aws:TagKeys"], ["team"]);
  assert.equal(instance["ec2:LaunchTemplate"], "arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0abc");
  const image = requests[1]!.context;
  assert.equal(image["ec2:MetadataHttpTokens"], undefined);
  assert.equal(image["ec2:Owner"], "amazon");
  assert.equal(image["ec2:Public"], "true");
});

test("ec2-authorization: the spec's example SCP refuses IMDSv1 launches, high hop limits and v1-delivered roles", () => {
  assert.equal(deniedBy(launch({ httpTokens: "required", httpPutResponseHopLimit: 2 })), undefined);
  assert.equal(deniedBy(launch({ httpTokens: "optional" })), "RequireImdsV2");
  assert.equal(deniedBy(launch({})), "RequireImdsV2");
  assert.equal(deniedBy(launch({ httpTokens: "required", httpPutResponseHopLimit: 4 })), "MaxImdsHopLimit");
  // Absent, the hop limit key does not match NumericGreaterThan (docs/sources.md#example-policies-for-instance-metadata).
  assert.equal(deniedBy(launch({ httpTokens: "required" })), undefined);
  assert.equal(deniedBy(launch({ httpTokens: "required" }, ROLE_SCOPE)), "RequireAllEc2RolesToUseV2");
  assert.equal(deniedBy(launch({ httpTokens: "required" }, { ...ROLE_SCOPE, principal: { ...ROLE_SCOPE.principal, roleDelivery: "2.0" } })), undefined);
  assert.equal(deniedBy(genericRequests(ROLE_SCOPE, "DescribeInstances", [])), "RequireAllEc2RolesToUseV2");
});

test("ec2-authorization: ModifyInstanceMetadataOptions carries ec2:Attribute/<Name> for what it sets, and the instance as it is", () => {
  const instance = { instanceId: "i-0abc", instanceType: "t3.micro", instanceProfileArn: null, metadata: { httpTokens: "optional" }, tags: [{ key: "env", value: "prod" }] };
  const [request] = modifyInstanceMetadataOptionsRequests(SCOPE, instance, { HttpTokens: "optional" });
  assert.equal(request!.resource, "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc");
  assert.equal(request!.context["ec2:Attribute/HttpTokens"], "optional");
  assert.equal(request!.context["ec2:Attribute"], "HttpTokens");
  assert.equal(request!.context["ec2:MetadataHttpTokens"], "optional");
  assert.equal(request!.context["ec2:ResourceTag/env"], "prod");
  assert.equal(deniedBy(modifyInstanceMetadataOptionsRequests(SCOPE, instance, { HttpTokens: "optional" })), "DenyIMDSv1HttpTokensModification");
  assert.equal(deniedBy(modifyInstanceMetadataOptionsRequests(SCOPE, instance, { HttpTokens: "required" })), undefined);
  // The Null clause keeps calls that leave HttpTokens alone allowed (docs/sources.md#example-policies-for-instance-metadata).
  assert.equal(deniedBy(modifyInstanceMetadataOptionsRequests(SCOPE, instance, { HttpPutResponseHopLimit: "2" })), undefined);
  const two = modifyInstanceMetadataOptionsRequests(SCOPE, instance, { HttpTokens: "required", HttpEndpoint: "enabled" })[0]!;
  assert.deepEqual(two.context["ec2:Attribute"], ["HttpTokens", "HttpEndpoint"]);
});

test("ec2-authorization: account defaults, templates and AMI attributes carry what the request sets", () => {
  const [defaults] = modifyInstanceMetadataDefaultsRequests(SCOPE, { HttpTokens: "no-preference", HttpTokensEnforced: "disabled" });
  assert.equal(defaults!.resource, "*");
  assert.equal(defaults!.context["ec2:Attribute/HttpTokens"], "no-preference");
  assert.equal(defaults!.context["ec2:Attribute/HttpTokensEnforced"], "disabled");
  const [created] = launchTemplateRequests(SCOPE, "CreateLaunchTemplate", { templateId: undefined, metadata: { httpTokens: "optional" }, requestTags: [{ key: "team", value: "a" }], resourceTags: [] });
  assert.equal(created!.resource, "arn:aws:ec2:us-east-1:123456789012:launch-template/*");
  assert.equal(created!.context["ec2:MetadataHttpTokens"], "optional");
  assert.equal(created!.context["aws:RequestTag/team"], "a");
  const [version] = launchTemplateRequests(SCOPE, "CreateLaunchTemplateVersion", { templateId: "lt-1", metadata: {}, requestTags: [], resourceTags: [{ key: "team", value: "a" }] });
  assert.equal(version!.action, "ec2:CreateLaunchTemplateVersion");
  assert.equal(version!.context["ec2:ResourceTag/team"], "a");
  const [imds] = modifyImageAttributeRequests(SCOPE, AMI, { attribute: "ImdsSupport", value: "v2.0" });
  assert.equal(imds!.resource, "arn:aws:ec2:us-east-1::image/ami-0a3c3a20c09d6f377");
  assert.equal(imds!.context["ec2:Attribute"], "ImdsSupport");
  assert.equal(imds!.context["ec2:Attribute/ImdsSupport"], "v2.0");
  const [share] = modifyImageAttributeRequests(SCOPE, AMI, { attribute: "LaunchPermission", add: [{ userId: "210987654321" }, { group: "all" }], remove: [] });
  assert.deepEqual(share!.context["ec2:Add/userId"], ["210987654321"]);
  assert.deepEqual(share!.context["ec2:Add/group"], ["all"]);
  assert.equal(share!.context["ec2:Remove/userId"], undefined);
});

test("ec2-authorization: other actions name their instances, or `*`", () => {
  assert.deepEqual(genericRequests(SCOPE, "StopInstances", ["i-1", "i-2"]).map((r) => [r.action, r.resource]), [
    ["ec2:StopInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1"],
    ["ec2:StopInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-2"],
  ]);
  assert.equal(genericRequests(SCOPE, "DescribeImages", [])[0]!.resource, "*");
});
