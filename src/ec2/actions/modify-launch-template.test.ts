import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createTemplate,
  createVersion,
  templateState,
} from "../../../test/support/launch-templates.ts";

const ACTION = "ModifyLaunchTemplate";

describe("ModifyLaunchTemplate", () => {
  let h: Ec2Harness;
  let id: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    id = await createTemplate(h, "web");
    await createVersion(h, id, { "LaunchTemplateData.InstanceType": "t3.large" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("ModifyLaunchTemplate: SetDefaultVersion moves the default and answers the template", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, SetDefaultVersion: "2", ClientToken: "c" });
    expectOk(result);
    golden(ACTION, "success", result);
    assert.equal(result.xml.ModifyLaunchTemplateResponse.launchTemplate.defaultVersionNumber, "2");
    assert.equal(h.store.launchTemplates.get(id)?.defaultVersionNumber, 2);
  });

  it("ModifyLaunchTemplate: the template may be named; without SetDefaultVersion nothing changes", async () => {
    expectOk(await h.call(ACTION, { LaunchTemplateName: "web", SetDefaultVersion: "2" }));
    const before = templateState(h);
    const result = await h.call(ACTION, { LaunchTemplateName: "web" });
    expectOk(result);
    assert.equal(result.xml.ModifyLaunchTemplateResponse.launchTemplate.defaultVersionNumber, "2");
    assert.equal(templateState(h), before);
  });

  it("ModifyLaunchTemplate: a version that does not exist is VersionNotFound and changes nothing", async () => {
    const before = templateState(h);
    for (const version of ["3", "0", "$Latest", "two"]) {
      const result = await h.call(ACTION, { LaunchTemplateId: id, SetDefaultVersion: version });
      expectError(result, "InvalidLaunchTemplateId.VersionNotFound", `The launch template version ${version} is not found for the specified launch template.`);
    }
    golden(ACTION, "version-not-found", (await h.call(ACTION, { LaunchTemplateId: id, SetDefaultVersion: "3" })));
    assert.equal(templateState(h), before);
  });

  it("ModifyLaunchTemplate: exactly one of id and name; both is InvalidParameterCombination", async () => {
    const both = await h.call(ACTION, { LaunchTemplateId: "template_n", LaunchTemplateName: "web", SetDefaultVersion: "2" });
    expectError(both, "InvalidParameterCombination", "Either provide launch template ID or launch template name to modify the template.");
    golden(ACTION, "id-and-name", both);
    const neither = await h.call(ACTION, { SetDefaultVersion: "2" });
    expectError(neither, "MissingParameter", "The request must contain the parameter launch template ID or launch template name");
    golden(ACTION, "no-template", neither);
  });

  it("ModifyLaunchTemplate: unknown, malformed and other-Region templates", async () => {
    const unknownName = await h.call(ACTION, { LaunchTemplateName: "nope", SetDefaultVersion: "1" });
    expectError(unknownName, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name nope, does not exist.");
    golden(ACTION, "name-not-found", unknownName);
    const unknownId = await h.call(ACTION, { LaunchTemplateId: "lt-0123456789abcdef0", SetDefaultVersion: "1" });
    expectError(unknownId, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-0123456789abcdef0, does not exist.");
    golden(ACTION, "id-not-found", unknownId);
    const malformed = await h.call(ACTION, { LaunchTemplateId: "lt-0123", SetDefaultVersion: "1" });
    expectError(malformed, "InvalidLaunchTemplateId.Malformed");
    golden(ACTION, "id-malformed", malformed);
    expectError(await h.call(ACTION, { LaunchTemplateName: "web", SetDefaultVersion: "2" }, { region: "eu-west-1" }), "InvalidLaunchTemplateName.NotFoundException");
    assert.equal(h.store.launchTemplates.get(id)?.defaultVersionNumber, 1);
  });

  it("ModifyLaunchTemplate: DryRun answers 412 and keeps the default", async () => {
    const result = await h.call(ACTION, { LaunchTemplateId: id, SetDefaultVersion: "2", DryRun: "true" });
    assert.equal(result.status, 412);
    expectError(result, "DryRunOperation", { status: 412 });
    assert.equal(h.store.launchTemplates.get(id)?.defaultVersionNumber, 1);
  });
});
