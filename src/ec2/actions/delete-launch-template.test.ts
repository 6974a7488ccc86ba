import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { assertActionGolden, assertError, assertOk, createTemplate, createVersion } from "../../../test/support/launch-templates.ts";

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
    assertOk(result);
    assertActionGolden(ACTION, "success", result.body);
    assert.equal(result.xml.DeleteLaunchTemplateResponse.launchTemplate.latestVersionNumber, "2");
    assert.equal(h.store.launchTemplates.size, 0);
    assertError(await h.call("DescribeLaunchTemplateVersions", { LaunchTemplateId: id }), "InvalidLaunchTemplateId.NotFound");
  });

  it("DeleteLaunchTemplate: by name", async () => {
    assertOk(await h.call(ACTION, { LaunchTemplateName: "web" }));
    assert.equal(h.store.launchTemplates.size, 0);
  });

  it("DeleteLaunchTemplate: unknown, malformed, doubly named and missing templates", async () => {
    const unknownId = await h.call(ACTION, { LaunchTemplateId: "lt-0123456789abcdef0" });
    assertError(unknownId, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-0123456789abcdef0, does not exist.");
    assertActionGolden(ACTION, "id-not-found", unknownId.body);
    const unknownName = await h.call(ACTION, { LaunchTemplateName: "nope" });
    assertError(unknownName, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name nope, does not exist.");
    assertActionGolden(ACTION, "name-not-found", unknownName.body);
    const malformed = await h.call(ACTION, { LaunchTemplateId: "web" });
    assertError(malformed, "InvalidLaunchTemplateId.Malformed", 'Invalid id: "web" (expecting "lt-...")');
    assertActionGolden(ACTION, "id-malformed", malformed.body);
    const neither = await h.call(ACTION);
    assertError(neither, "MissingParameter", "The request must contain the parameter launch template ID or launch template name");
    assertActionGolden(ACTION, "no-template", neither.body);
    assertError(await h.call(ACTION, { LaunchTemplateId: id, LaunchTemplateName: "web" }), "InvalidParameterCombination");
    assert.equal(h.store.launchTemplates.size, 1);
  });

  it("DeleteLaunchTemplate: a template in another Region is not found and survives", async () => {
    assertError(await h.call(ACTION, { LaunchTemplateId: id }, { region: "eu-west-1" }), "InvalidLaunchTemplateId.NotFound");
    assert.equal(h.store.launchTemplates.size, 1);
  });

  it("DeleteLaunchTemplate: DryRun answers 412 and deletes nothing", async () => {
    const result = await h.call(ACTION, { LaunchTemplateName: "web", DryRun: "true" });
    assert.equal(result.status, 412);
    assertActionGolden(ACTION, "dry-run", result.body);
    assert.equal(h.store.launchTemplates.size, 1);
  });
});
