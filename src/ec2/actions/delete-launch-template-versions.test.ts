import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import {
  createTemplate,
  createVersion,
  templateState,
} from "../../../test/support/launch-templates.ts";

const ACTION = "DeleteLaunchTemplateVersions";

describe("DeleteLaunchTemplateVersions", () => {
  let h: Ec2Harness;
  let id: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    id = await createTemplate(h, "web");
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k2" });
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k3" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("DeleteLaunchTemplateVersions: deletes each version on its own and reports the rest", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2", "LaunchTemplateVersion.2": "1", "LaunchTemplateVersion.3": "9" });
    expectOk(result);
    golden(ACTION, "partial", result);
    assert.deepEqual(itemsOf(result, ACTION, "successfullyDeletedLaunchTemplateVersionSet").map((v) => v.versionNumber), ["2"]);
    const failed = itemsOf(result, ACTION, "unsuccessfullyDeletedLaunchTemplateVersionSet");
    assert.deepEqual(failed.map((v) => [v.versionNumber, v.responseError.code]), [["1", "unexpectedError"], ["9", "launchTemplateVersionDoesNotExist"]]);
    assert.deepEqual(h.store.launchTemplates.get(id)?.versions.map((v) => v.versionNumber), [1, 3]);
  });

  it("DeleteLaunchTemplateVersions: deleting the latest moves $Latest back", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateVersion.1": "3" });
    expectOk(result);
    golden(ACTION, "success", result);
    assert.equal(h.store.launchTemplates.get(id)?.latestVersionNumber, 2);
    const latest = await h.call("DescribeLaunchTemplateVersions", { LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Latest" });
    assert.equal(itemsOf(latest, "DescribeLaunchTemplateVersions", "launchTemplateVersionSet")[0].versionNumber, "2");
  });

  it("DeleteLaunchTemplateVersions: a version listed twice is deleted once and then does not exist", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2", "LaunchTemplateVersion.2": "2" });
    assert.equal(itemsOf(result, ACTION, "successfullyDeletedLaunchTemplateVersionSet").length, 1);
    assert.equal(itemsOf(result, ACTION, "unsuccessfullyDeletedLaunchTemplateVersionSet")[0].responseError.code, "launchTemplateVersionDoesNotExist");
  });

  it("DeleteLaunchTemplateVersions: versions are required numbers", async () => {
    const before = templateState(h);
    const missing = await h.call(ACTION, { LaunchTemplateId: id });
    expectError(missing, "MissingParameter", "The request must contain the parameter LaunchTemplateVersion");
    golden(ACTION, "missing-versions", missing);
    const alias = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Latest" });
    expectError(alias, "InvalidParameterValue", "Value ($Latest) for parameter launchTemplateVersion is invalid. Expecting a version number.");
    golden(ACTION, "version-not-a-number", alias);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`LaunchTemplateVersion.${i + 1}`, String(i + 2)]));
    expectError(await h.call(ACTION, { LaunchTemplateId: id, ...many }), "InvalidParameterValue", "You can specify up to 200 launch template version numbers.");
    assert.equal(templateState(h), before);
  });

  it("DeleteLaunchTemplateVersions: unknown templates fail the whole call", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "nope", "LaunchTemplateVersion.1": "2" });
    expectError(result, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name nope, does not exist.");
    golden(ACTION, "name-not-found", result);
    expectError(await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2" }, { region: "eu-west-1" }), "InvalidLaunchTemplateId.NotFound");
  });

  it("DeleteLaunchTemplateVersions: DryRun answers 412 and deletes nothing", async () => {
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2", DryRun: "true" });
    assert.equal(result.status, 412);
    assert.equal(templateState(h), before);
  });
});
