import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import {
  createTemplate,
  createVersion,
} from "../../../test/support/launch-templates.ts";
import { ACCOUNT_WIDE_VERSIONS_MESSAGE } from "./describe-launch-template-versions.ts";

const ACTION = "DescribeLaunchTemplateVersions";

describe("DescribeLaunchTemplateVersions", () => {
  let h: Ec2Harness;
  let id: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    id = await createTemplate(h, "web", {
      VersionDescription: "v1",
      "LaunchTemplateData.MetadataOptions.HttpTokens": "required",
      "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "2",
    });
    h.clock.advance(60_000);
    await createVersion(h, id, { SourceVersion: "1", "LaunchTemplateData.InstanceType": "t3.large" });
    h.clock.advance(60_000);
    await createVersion(h, id, { "LaunchTemplateData.MetadataOptions.HttpTokens": "optional" });
  });
  afterEach(async () => {
    await h.close();
  });

  async function versionNumbers(params: Record<string, string>): Promise<number[]> {
    const result = await h.call(ACTION, params);
    expectOk(result);
    return itemsOf(result, ACTION, "launchTemplateVersionSet").map((v) => Number(v.versionNumber));
  }

  it("DescribeLaunchTemplateVersions: lists every version, newest first, echoing only stored fields", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id });
    expectOk(result);
    golden(ACTION, "success", result);
    const [v3, v2, v1] = itemsOf(result, ACTION, "launchTemplateVersionSet");
    assert.deepEqual([v3.versionNumber, v2.versionNumber, v1.versionNumber], ["3", "2", "1"]);
    assert.deepEqual(v3.launchTemplateData, { metadataOptions: { httpTokens: "optional" } }, "no imageId, no state, no defaults");
    assert.deepEqual(v2.launchTemplateData.metadataOptions, { httpTokens: "required", httpPutResponseHopLimit: "2" });
    assert.equal(v1.defaultVersion, "true");
    assert.equal(v2.defaultVersion, "false");
  });

  it("DescribeLaunchTemplateVersions: LaunchTemplateVersion.N takes numbers, $Latest and $Default, each version once", async () => {
    assert.deepEqual(await versionNumbers({ LaunchTemplateName: "web", "LaunchTemplateVersion.1": "2" }), [2]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateName: "web", "LaunchTemplateVersion.1": "$Latest" }), [3]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateName: "web", "LaunchTemplateVersion.1": "$Default" }), [1]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "LaunchTemplateVersion.1": "1", "LaunchTemplateVersion.2": "$Latest", "LaunchTemplateVersion.3": "3" }), [3, 1]);
  });

  it("DescribeLaunchTemplateVersions: $Default follows ModifyLaunchTemplate, $Latest follows new versions", async () => {
    expectOk(await h.call("ModifyLaunchTemplate", { LaunchTemplateId: id, SetDefaultVersion: "2" }));
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Default" }), [2]);
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k" });
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Latest" }), [4]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "Filter.1.Name": "is-default-version", "Filter.1.Value.1": "true" }), [2]);
  });

  it("DescribeLaunchTemplateVersions: a version the template lacks is VersionNotFound", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateVersion.1": "9" });
    expectError(result, "InvalidLaunchTemplateId.VersionNotFound", `Could not find the specified version 9 for the launch template with ID ${id}.`);
    golden(ACTION, "version-not-found", result);
  });

  it("DescribeLaunchTemplateVersions: MinVersion and MaxVersion are inclusive bounds", async () => {
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, MinVersion: "2" }), [3, 2]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, MaxVersion: "2" }), [2, 1]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, MinVersion: "2", MaxVersion: "2" }), [2]);
    const invalid = await h.call(ACTION, { LaunchTemplateId: id, MinVersion: "$Latest" });
    expectError(invalid, "InvalidParameterValue", "Value ($Latest) for parameter minVersion is invalid. Expecting a version number.");
    golden(ACTION, "min-version-invalid", invalid);
  });

  it("DescribeLaunchTemplateVersions: filters on the stored data", async () => {
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "Filter.1.Name": "is-default-version", "Filter.1.Value.1": "false" }), [3, 2]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "Filter.1.Name": "http-tokens", "Filter.1.Value.1": "required" }), [2, 1]);
    assert.deepEqual(await versionNumbers({ LaunchTemplateId: id, "Filter.1.Name": "instance-type", "Filter.1.Value.1": "t3.*" }), [2]);
    const invalid = await h.call(ACTION, { LaunchTemplateId: id, "Filter.1.Name": "launch-template-name", "Filter.1.Value.1": "web" });
    expectError(invalid, "InvalidParameterValue", "The filter 'launch-template-name' is invalid");
    golden(ACTION, "invalid-filter", invalid);
  });

  it("DescribeLaunchTemplateVersions: MaxResults pages through with NextToken", async () => {
    const first = await h.call(ACTION, { LaunchTemplateId: id, MaxResults: "2" });
    assert.deepEqual(itemsOf(first, ACTION, "launchTemplateVersionSet").map((v) => v.versionNumber), ["3", "2"]);
    const token = first.xml.DescribeLaunchTemplateVersionsResponse.nextToken;
    const second = await h.call(ACTION, { LaunchTemplateId: id, MaxResults: "2", NextToken: token });
    assert.deepEqual(itemsOf(second, ACTION, "launchTemplateVersionSet").map((v) => v.versionNumber), ["1"]);
    assert.equal(second.xml.DescribeLaunchTemplateVersionsResponse.nextToken, undefined);
  });

  it("DescribeLaunchTemplateVersions: without a template, $Latest and $Default of every template in the Region", async () => {
    const other = await createTemplate(h, "batch");
    await createTemplate(h, "elsewhere", {}, { region: "eu-west-1" });
    const result = await h.call(ACTION, { "LaunchTemplateVersion.1": "$Latest", "LaunchTemplateVersion.2": "$Default" });
    expectOk(result);
    golden(ACTION, "account-wide", result);
    const pairs = itemsOf(result, ACTION, "launchTemplateVersionSet").map((v) => `${v.launchTemplateId}:${v.versionNumber}`);
    assert.deepEqual(pairs, [`${id}:3`, `${id}:1`, `${other}:1`]);
  });

  it("DescribeLaunchTemplateVersions: without a template, versions must be given and be aliases only", async () => {
    const missing = await h.call(ACTION);
    expectError(missing, "MissingParameter", ACCOUNT_WIDE_VERSIONS_MESSAGE);
    golden(ACTION, "no-template-no-versions", missing);
    const numbers = await h.call(ACTION, { "LaunchTemplateVersion.1": "1" });
    expectError(numbers, "InvalidParameterValue", ACCOUNT_WIDE_VERSIONS_MESSAGE);
    golden(ACTION, "no-template-version-number", numbers);
  });

  it("DescribeLaunchTemplateVersions: unknown, malformed, doubly named and other-Region templates", async () => {
    const name = await h.call(ACTION, { LaunchTemplateName: "template_name" });
    expectError(name, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name template_name, does not exist.");
    golden(ACTION, "name-not-found", name);
    const unknown = await h.call(ACTION, { LaunchTemplateId: "lt-07ff4bb0369cd679c" });
    expectError(unknown, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-07ff4bb0369cd679c, does not exist.");
    golden(ACTION, "id-not-found", unknown);
    expectError(await h.call(ACTION, { LaunchTemplateId: "lt-xyz" }), "InvalidLaunchTemplateId.Malformed");
    const both = await h.call(ACTION, { LaunchTemplateId: id, LaunchTemplateName: "web" });
    expectError(both, "InvalidParameterCombination", "Either provide launch template ID or launch template name to describe the template versions.");
    expectError(await h.call(ACTION, { LaunchTemplateId: id }, { region: "us-west-2" }), "InvalidLaunchTemplateId.NotFound");
  });
});
