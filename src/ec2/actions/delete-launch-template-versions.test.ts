import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import {
  assertActionGolden,
  assertError,
  assertOk,
  createTemplate,
  createVersion,
  items,
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
    assertOk(result);
    assertActionGolden(ACTION, "partial", result.body);
    assert.deepEqual(items(result, ACTION, "successfullyDeletedLaunchTemplateVersionSet").map((v) => v.versionNumber), ["2"]);
    const failed = items(result, ACTION, "unsuccessfullyDeletedLaunchTemplateVersionSet");
    assert.deepEqual(failed.map((v) => [v.versionNumber, v.responseError.code]), [["1", "unexpectedError"], ["9", "launchTemplateVersionDoesNotExist"]]);
    assert.deepEqual(h.store.launchTemplates.get(id)?.versions.map((v) => v.versionNumber), [1, 3]);
  });

  it("DeleteLaunchTemplateVersions: deleting the latest moves $Latest back", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", "LaunchTemplateVersion.1": "3" });
    assertOk(result);
    assertActionGolden(ACTION, "success", result.body);
    assert.equal(h.store.launchTemplates.get(id)?.latestVersionNumber, 2);
    const latest = await h.call("DescribeLaunchTemplateVersions", { LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Latest" });
    assert.equal(items(latest, "DescribeLaunchTemplateVersions", "launchTemplateVersionSet")[0].versionNumber, "2");
  });

  it("DeleteLaunchTemplateVersions: a version listed twice is deleted once and then does not exist", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2", "LaunchTemplateVersion.2": "2" });
    assert.equal(items(result, ACTION, "successfullyDeletedLaunchTemplateVersionSet").length, 1);
    assert.equal(items(result, ACTION, "unsuccessfullyDeletedLaunchTemplateVersionSet")[0].responseError.code, "launchTemplateVersionDoesNotExist");
  });

  it("DeleteLaunchTemplateVersions: versions are required numbers", async () => {
    const before = templateState(h);
    const missing = await h.call(ACTION, { LaunchTemplateId: id });
    assertError(missing, "MissingParameter", "The request must contain the parameter LaunchTemplateVersion");
    assertActionGolden(ACTION, "missing-versions", missing.body);
    const alias = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "$Latest" });
    assertError(alias, "InvalidParameterValue", "Value ($Latest) for parameter launchTemplateVersion is invalid. Expecting a version number.");
    assertActionGolden(ACTION, "version-not-a-number", alias.body);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`LaunchTemplateVersion.${i + 1}`, String(i + 2)]));
    assertError(await h.call(ACTION, { LaunchTemplateId: id, ...many }), "InvalidParameterValue", "You can specify up to 200 launch template version numbers.");
    assert.equal(templateState(h), before);
  });

  it("DeleteLaunchTemplateVersions: unknown templates fail the whole call", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "nope", "LaunchTemplateVersion.1": "2" });
    assertError(result, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name nope, does not exist.");
    assertActionGolden(ACTION, "name-not-found", result.body);
    assertError(await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2" }, { region: "eu-west-1" }), "InvalidLaunchTemplateId.NotFound");
  });

  it("DeleteLaunchTemplateVersions: DryRun answers 412 and deletes nothing", async () => {
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateId: id, "LaunchTemplateVersion.1": "2", DryRun: "true" });
    assert.equal(result.status, 412);
    assert.equal(templateState(h), before);
  });
});
