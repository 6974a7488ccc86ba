import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import { createTemplate, createVersion } from "../../../test/support/launch-templates.ts";

const ACTION = "DeleteLaunchTemplate";

describe("DeleteLaunchTemplate", () => {
  let h: Ec2Harness;
  let id: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    id = await createTemplate(h, "web", { "TagSpecification.1.ResourceType": "launch-template", "TagSpecification.1.Tag.1.Key": "team", "TagSpecification.1.Tag.1.Value": "platform" });
    await createVersion(h, id, { "LaunchTemplateData.KeyName": "k" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("DeleteLaunchTemplate: removes the template with all its versions and answers it as it was", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id });
    expectOk(result);
    golden(ACTION, "success", result);
    assert.equal(result.xml.DeleteLaunchTemplateResponse.launchTemplate.latestVersionNumber, "2");
    assert.equal(h.store.launchTemplates.size, 0);
    expectError(await h.call("DescribeLaunchTemplateVersions", { LaunchTemplateId: id }), "InvalidLaunchTemplateId.NotFound");
  });

  it("DeleteLaunchTemplate: by name", async () => {
    expectOk(await h.call(ACTION, { LaunchTemplateName: "web" }));
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("DeleteLaunchTemplate: unknown, malformed, doubly named and missing templates", async () => {
    const unknownId = await h.call(ACTION, { LaunchTemplateId: "lt-0123456789abcdef0" });
    expectError(unknownId, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-0123456789abcdef0, does not exist.");
    golden(ACTION, "id-not-found", unknownId);
    const unknownName = await h.call(ACTION, { LaunchTemplateName: "nope" });
    expectError(unknownName, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name nope, does not exist.");
    golden(ACTION, "name-not-found", unknownName);
    const malformed = await h.call(ACTION, { LaunchTemplateId: "web" });
    expectError(malformed, "InvalidLaunchTemplateId.Malformed", 'Invalid id: "web" (expecting "lt-...")');
    golden(ACTION, "id-malformed", malformed);
    const neither = await h.call(ACTION);
    expectError(neither, "MissingParameter", "The request must contain the parameter launch template ID or launch template name");
    golden(ACTION, "no-template", neither);
    expectError(await h.call(ACTION, { LaunchTemplateId: id, LaunchTemplateName: "web" }), "InvalidParameterCombination");
    assert.equal(h.store.launchTemplates.size, 1);
  });

  it("DeleteLaunchTemplate: a template in another Region is not found and survives", async () => {
    expectError(await h.call(ACTION, { LaunchTemplateId: id }, { region: "eu-west-1" }), "InvalidLaunchTemplateId.NotFound");
    assert.equal(h.store.launchTemplates.size, 1);
  });

  it("DeleteLaunchTemplate: DryRun answers 412 and deletes nothing", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", DryRun: "true" });
    assert.equal(result.status, 412);
    golden(ACTION, "dry-run", result);
    assert.equal(h.store.launchTemplates.size, 1);
  });
});
