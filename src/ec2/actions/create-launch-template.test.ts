import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import {
  createTemplate,
  templateState,
} from "../../../test/support/launch-templates.ts";

const ACTION = "CreateLaunchTemplate";

/** Everything CreateLaunchTemplate can carry that this emulator keeps, as the AWS CLI sends it. */
const FULL_REQUEST: Record<string, string> = {
  LaunchTemplateName: "web-servers",
  VersionDescription: "first <version> & 'quoted'",
  ClientToken: "a1b2c3",
  "LaunchTemplateData.ImageId": "ami-0abcdef1234567890",
  "LaunchTemplateData.InstanceType": "t3.micro",
  "LaunchTemplateData.KeyName": "deployer",
  "LaunchTemplateData.UserData": "IyEvYmluL3NoCmVjaG8gaGk=",
  "LaunchTemplateData.IamInstanceProfile.Name": "web-role",
  "LaunchTemplateData.MetadataOptions.HttpTokens": "required",
  "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "2",
  "LaunchTemplateData.MetadataOptions.HttpEndpoint": "enabled",
  "LaunchTemplateData.MetadataOptions.HttpProtocolIpv6": "disabled",
  "LaunchTemplateData.MetadataOptions.InstanceMetadataTags": "enabled",
  "LaunchTemplateData.TagSpecification.1.ResourceType": "instance",
  "LaunchTemplateData.TagSpecification.1.Tag.1.Key": "Name",
  "LaunchTemplateData.TagSpecification.1.Tag.1.Value": "web",
  "TagSpecification.1.ResourceType": "launch-template",
  "TagSpecification.1.Tag.1.Key": "team",
  "TagSpecification.1.Tag.1.Value": "platform",
};

describe("CreateLaunchTemplate", () => {
  let h: Ec2Harness;
  beforeEach(async () => {
    h = await createEc2Harness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("CreateLaunchTemplate: answers the new template with version 1 as default and latest", async () => {
    const result = await h.call(ACTION, FULL_REQUEST);
    expectOk(result);
    golden(ACTION, "success", result);
    const template = result.xml.CreateLaunchTemplateResponse.launchTemplate;
    assert.match(template.launchTemplateId, /^lt-[0-9a-f]{17}$/);
    assert.equal(template.createdBy, "arn:aws:iam::123456789012:root");
    assert.equal(template.createTime, "2026-11-29T12:00:00.000Z");
    assert.deepEqual(template.tagSet.item, [{ key: "team", value: "platform" }]);
  });

  it("CreateLaunchTemplate: stores exactly the data given, which version 1 echoes", async () => {
    await h.call(ACTION, FULL_REQUEST);
    const [record] = h.store.launchTemplates.list();
    assert.deepEqual(record?.versions[0]?.data, {
      imageId: "ami-0abcdef1234567890",
      instanceType: "t3.micro",
      keyName: "deployer",
      userData: "IyEvYmluL3NoCmVjaG8gaGk=",
      iamInstanceProfile: { name: "web-role" },
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2, httpEndpoint: "enabled", httpProtocolIpv6: "disabled", instanceMetadataTags: "enabled" },
      tagSpecifications: [{ resourceType: "instance", tags: [{ key: "Name", value: "web" }] }],
    });
    assert.equal(record?.versions[0]?.versionDescription, "first <version> & 'quoted'");
  });

  it("CreateLaunchTemplate: a template without tags has no tagSet, and only given metadata options are kept", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "minimal", "LaunchTemplateData.MetadataOptions.HttpTokens": "required" });
    expectOk(result);
    golden(ACTION, "success-minimal", result);
    assert.equal(result.xml.CreateLaunchTemplateResponse.launchTemplate.tagSet, undefined);
    assert.deepEqual(h.store.launchTemplates.list()[0]?.versions[0]?.data, { metadataOptions: { httpTokens: "required" } });
  });

  it("CreateLaunchTemplate: members EC2 accepts but imds-lab does not emulate are accepted and not stored", async () => {
    const result = await h.call(ACTION, {
      LaunchTemplateName: "with-network",
      "LaunchTemplateData.EbsOptimized": "true",
      "LaunchTemplateData.NetworkInterface.1.DeviceIndex": "0",
      "LaunchTemplateData.SecurityGroupId.1": "sg-1",
    });
    expectOk(result);
    assert.deepEqual(h.store.launchTemplates.list()[0]?.versions[0]?.data, {});
  });

  it("CreateLaunchTemplate: DryRun answers 412 DryRunOperation and creates nothing", async () => {
    const result = await h.call(ACTION, { ...FULL_REQUEST, DryRun: "true" });
    assert.equal(result.status, 412);
    expectError(result, "DryRunOperation", { message: "Request would have succeeded, but DryRun flag is set.", status: 412 });
    golden(ACTION, "dry-run", result);
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: a name already used in the account and Region is AlreadyExistsException", async () => {
    await createTemplate(h, "web");
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.ImageId": "ami-2" });
    expectError(result, "InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use.");
    golden(ACTION, "name-in-use", result);
    assert.equal(templateState(h), before);
  });

  it("CreateLaunchTemplate: names are per Region, so another Region may reuse one", async () => {
    await createTemplate(h, "web", {}, { region: "us-east-1" });
    await createTemplate(h, "web", {}, { region: "eu-west-1" });
    assert.equal(h.store.launchTemplates.size, 2);
  });

  it("CreateLaunchTemplate: a deleted template's name can be used again", async () => {
    await createTemplate(h, "web");
    expectOk(await h.call("DeleteLaunchTemplate", { LaunchTemplateName: "web" }));
    await createTemplate(h, "web");
  });

  it("CreateLaunchTemplate: a malformed name is InvalidLaunchTemplateName.MalformedException", async () => {
    for (const name of ["ab", "has space", "x".repeat(129)]) {
      const result = await h.call(ACTION, { LaunchTemplateName: name, "LaunchTemplateData.ImageId": "ami-1" });
      expectError(result, "InvalidLaunchTemplateName.MalformedException", /between 3 and 128 characters/);
    }
    const result = await h.call(ACTION, { LaunchTemplateName: "a b", "LaunchTemplateData.ImageId": "ami-1" });
    golden(ACTION, "name-malformed", result);
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: the name and the data are required", async () => {
    const noName = await h.call(ACTION, { "LaunchTemplateData.ImageId": "ami-1" });
    expectError(noName, "MissingParameter", "The request must contain the parameter LaunchTemplateName");
    golden(ACTION, "missing-name", noName);
    const noData = await h.call(ACTION, { LaunchTemplateName: "web" });
    expectError(noData, "MissingParameter", "No launch template data was provided. Launch template data is required to create a launch template.");
    golden(ACTION, "missing-data", noData);
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: invalid MetadataOptions values are the validators' InvalidParameterValue and nothing is stored", async () => {
    const cases: [string, string, string][] = [
      ["HttpTokens", "bogus", "A value of 'bogus' is not valid for HttpTokens. Specify either 'optional' or 'required' and try again."],
      ["HttpEndpoint", "", "A value of '' is not valid for HttpEndpoint. Specify either 'enabled' or 'disabled' and try again."],
      ["HttpPutResponseHopLimit", "65", "Value (65) for parameter httpPutResponseHopLimit is invalid. Expecting a value between 1 and 64."],
      ["HttpProtocolIpv6", "Enabled", "A value of 'Enabled' is not valid for HttpProtocolIpv6. Specify either 'enabled' or 'disabled' and try again."],
      ["InstanceMetadataTags", "on", "A value of 'on' is not valid for InstanceMetadataTags. Specify either 'enabled' or 'disabled' and try again."],
    ];
    for (const [field, value, message] of cases) {
      const result = await h.call(ACTION, { LaunchTemplateName: "web", [`LaunchTemplateData.MetadataOptions.${field}`]: value });
      expectError(result, "InvalidParameterValue", message);
    }
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "0" });
    golden(ACTION, "invalid-hop-limit", result);
    const tokens = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.MetadataOptions.HttpTokens": "bogus" });
    golden(ACTION, "invalid-http-tokens", tokens);
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: a LaunchTemplateData member outside the model is UnknownParameter", async () => {
    for (const key of ["LaunchTemplateData.Bogus", "LaunchTemplateData.MetadataOptions.HttpTokenz", "LaunchTemplateData.ImageId.Extra", "LaunchTemplateData.TagSpecification.1.Colour"]) {
      const result = await h.call(ACTION, { LaunchTemplateName: "web", [key]: "x" });
      expectError(result, "UnknownParameter", `The parameter ${key} is not recognized.`);
    }
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.Bogus": "x" });
    golden(ACTION, "unknown-parameter", result);
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: tag specifications are checked for the template and for its data", async () => {
    const wrongTemplateType = await h.call(ACTION, { ...FULL_REQUEST, "TagSpecification.1.ResourceType": "instance" });
    expectError(wrongTemplateType, "InvalidParameterValue", "'instance' is not a valid taggable resource type for this operation.");
    golden(ACTION, "invalid-resource-type", wrongTemplateType);
    const wrongDataType = await h.call(ACTION, { ...FULL_REQUEST, "LaunchTemplateData.TagSpecification.1.ResourceType": "image" });
    expectError(wrongDataType, "InvalidParameterValue", "'image' is not a valid taggable resource type for this operation.");
    const noType = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.TagSpecification.1.Tag.1.Key": "k" });
    expectError(noType, "MissingParameter", "The request must contain the parameter LaunchTemplateData.TagSpecification.1.ResourceType");
    const reserved = await h.call(ACTION, { ...FULL_REQUEST, "TagSpecification.1.Tag.1.Key": "aws:owner" });
    expectError(reserved, "InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
    golden(ACTION, "reserved-tag-key", reserved);
    const noKey = await h.call(ACTION, { ...FULL_REQUEST, "TagSpecification.1.Tag.2.Value": "v" });
    expectError(noKey, "MissingParameter", "The request must contain the parameter TagSpecification.1.Tag.2.Key");
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("CreateLaunchTemplate: a version description longer than 255 characters is InvalidParameterValue", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", VersionDescription: "d".repeat(256), "LaunchTemplateData.ImageId": "ami-1" });
    expectError(result, "InvalidParameterValue", /at most 255 characters/);
    golden(ACTION, "version-description-too-long", result);
  });

  it("CreateLaunchTemplate: the template lists among DescribeLaunchTemplates of its Region only", async () => {
    await createTemplate(h, "web", {}, { region: "eu-west-1" });
    assert.equal(itemsOf(await h.call("DescribeLaunchTemplates", {}, { region: "eu-west-1" }), "DescribeLaunchTemplates", "launchTemplates").length, 1);
    assert.equal(itemsOf(await h.call("DescribeLaunchTemplates", {}, { region: "us-east-1" }), "DescribeLaunchTemplates", "launchTemplates").length, 0);
  });
});
