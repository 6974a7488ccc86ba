import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createTemplate,
  createVersion,
  templateState,
} from "../../../test/support/launch-templates.ts";

const ACTION = "CreateLaunchTemplateVersion";

/** Version 1: AMI, instance type, a role and two metadata options. */
const V1_DATA: Record<string, string> = {
  "LaunchTemplateData.InstanceType": "t3.micro",
  "LaunchTemplateData.IamInstanceProfile.Arn": "arn:aws:iam::123456789012:instance-profile/web",
  "LaunchTemplateData.MetadataOptions.HttpTokens": "required",
  "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "2",
};

describe("CreateLaunchTemplateVersion", () => {
  let h: Ec2Harness;
  let id: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    id = await createTemplate(h, "web", V1_DATA);
  });
  afterEach(async () => {
    await h.close();
  });

  function dataOf(versionNumber: number) {
    return h.store.launchTemplates.get(id)?.versions.find((v) => v.versionNumber === versionNumber)?.data;
  }

  it("CreateLaunchTemplateVersion: answers version 2, not the default, with its data", async () => {
    h.clock.advance(90_500);
    const result = await h.call(ACTION, {
      LaunchTemplateId: id,
      VersionDescription: "hop limit 3",
      ClientToken: "t-1",
      "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "3",
    });
    expectOk(result);
    golden(ACTION, "success", result);
    const version = result.xml.CreateLaunchTemplateVersionResponse.launchTemplateVersion;
    assert.equal(version.versionNumber, "2");
    assert.equal(version.defaultVersion, "false");
    assert.equal(version.createTime, "2026-11-29T12:01:30.000Z", "whole seconds, as EC2 shows them");
    const record = h.store.launchTemplates.get(id);
    assert.equal(record?.latestVersionNumber, 2);
    assert.equal(record?.defaultVersionNumber, 1);
  });

  it("CreateLaunchTemplateVersion: without SourceVersion the version holds only what was given", async () => {
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "deployer" });
    assert.deepEqual(dataOf(2), { keyName: "deployer" });
  });

  it("CreateLaunchTemplateVersion: SourceVersion inherits every member the request leaves out", async () => {
    await createVersion(h, id, { SourceVersion: "1", "LaunchTemplateData.ImageId": "ami-0fedcba9876543210" });
    assert.deepEqual(dataOf(2), { ...dataOf(1), imageId: "ami-0fedcba9876543210" });
  });

  it("CreateLaunchTemplateVersion: a given MetadataOptions replaces the inherited one whole", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, SourceVersion: "1", "LaunchTemplateData.MetadataOptions.HttpEndpoint": "disabled" });
    expectOk(result);
    golden(ACTION, "success-source-version", result);
    assert.deepEqual(dataOf(2)?.metadataOptions, { httpEndpoint: "disabled" });
    assert.deepEqual(dataOf(2)?.iamInstanceProfile, { arn: "arn:aws:iam::123456789012:instance-profile/web" });
    assert.deepEqual(dataOf(1)?.metadataOptions, { httpTokens: "required", httpPutResponseHopLimit: 2 }, "the source is unchanged");
  });

  it("CreateLaunchTemplateVersion: SourceVersion accepts $Latest and $Default", async () => {
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "v2-key" });
    await createVersion(h, id, { SourceVersion: "$Latest", "LaunchTemplateData.UserData": "eA==" });
    assert.deepEqual(dataOf(3), { keyName: "v2-key", userData: "eA==" });
    await createVersion(h, id, { SourceVersion: "$Default", "LaunchTemplateData.UserData": "eQ==" });
    assert.deepEqual(dataOf(4), { ...dataOf(1), userData: "eQ==" });
  });

  it("CreateLaunchTemplateVersion: a SourceVersion the template lacks is VersionNotFound and adds nothing", async () => {
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateId: id, SourceVersion: "7", "LaunchTemplateData.KeyName": "k" });
    expectError(result, "InvalidLaunchTemplateId.VersionNotFound", `Could not find the specified version 7 for the launch template with ID ${id}.`);
    golden(ACTION, "source-version-not-found", result);
    assert.equal(templateState(h), before);
  });

  it("CreateLaunchTemplateVersion: the template may be named instead of identified", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateData.KeyName": "k" });
    expectOk(result);
    assert.equal(result.xml.CreateLaunchTemplateVersionResponse.launchTemplateVersion.launchTemplateId, id);
  });

  it("CreateLaunchTemplateVersion: exactly one of LaunchTemplateId and LaunchTemplateName", async () => {
    const both = await h.call(ACTION, { LaunchTemplateId: id, LaunchTemplateName: "web", "LaunchTemplateData.KeyName": "k" });
    expectError(both, "InvalidParameterCombination", "Either provide launch template ID or launch template name to create a new version of the template.");
    golden(ACTION, "id-and-name", both);
    const neither = await h.call(ACTION, { "LaunchTemplateData.KeyName": "k" });
    expectError(neither, "MissingParameter", "The request must contain the parameter launch template ID or launch template name");
    golden(ACTION, "no-template", neither);
  });

  it("CreateLaunchTemplateVersion: malformed, unknown and other-Region templates", async () => {
    const malformed = await h.call(ACTION, { LaunchTemplateId: "lt-123", "LaunchTemplateData.KeyName": "k" });
    expectError(malformed, "InvalidLaunchTemplateId.Malformed", 'Invalid id: "lt-123" (expecting "lt-...")');
    golden(ACTION, "id-malformed", malformed);
    const unknownId = await h.call(ACTION, { LaunchTemplateId: "lt-0123456789abcdef0", "LaunchTemplateData.KeyName": "k" });
    expectError(unknownId, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-0123456789abcdef0, does not exist.");
    golden(ACTION, "id-not-found", unknownId);
    const unknownName = await h.call(ACTION, { LaunchTemplateName: "db", "LaunchTemplateData.KeyName": "k" });
    expectError(unknownName, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name db, does not exist.");
    golden(ACTION, "name-not-found", unknownName);
    const elsewhere = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateData.KeyName": "k" }, { region: "eu-west-1" });
    expectError(elsewhere, "InvalidLaunchTemplateId.NotFound");
  });

  it("CreateLaunchTemplateVersion: data is required and invalid data adds no version", async () => {
    const before = templateState(h);
    expectError(await h.call(ACTION, { LaunchTemplateId: id, SourceVersion: "1" }), "MissingParameter", /No launch template data was provided/);
    const invalid = await h.call(ACTION, { LaunchTemplateId: id, SourceVersion: "1", "LaunchTemplateData.MetadataOptions.HttpTokens": "v2" });
    expectError(invalid, "InvalidParameterValue", "A value of 'v2' is not valid for HttpTokens. Specify either 'optional' or 'required' and try again.");
    golden(ACTION, "invalid-http-tokens", invalid);
    assert.equal(templateState(h), before);
  });

  it("CreateLaunchTemplateVersion: DryRun answers 412 and adds no version", async () => {
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateId: id, DryRun: "true", "LaunchTemplateData.KeyName": "k" });
    assert.equal(result.status, 412);
    expectError(result, "DryRunOperation", { status: 412 });
    assert.equal(templateState(h), before);
  });

  it("CreateLaunchTemplateVersion: numbers keep counting after versions are deleted", async () => {
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k2" });
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k3" });
    expectOk(await h.call("DeleteLaunchTemplateVersions", { LaunchTemplateId: id, "LaunchTemplateVersion.1": "3" }));
    assert.equal(h.store.launchTemplates.get(id)?.latestVersionNumber, 2);
    assert.equal(await createVersion(h, id, { "LaunchTemplateData.KeyName": "k4" }), 4);
  });
});
