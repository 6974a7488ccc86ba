import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "../errors.ts";
import {
  checkLaunchTemplateId,
  checkLaunchTemplateName,
  checkResourceType,
  checkTags,
  checkVersionDescription,
  inheritLaunchTemplateData,
  TEMPLATE_DATA_RESOURCE_TYPES,
} from "./launch-template-rules.ts";

function code(expected: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === expected;
}

describe("launch-template-rules", () => {
  it("launch-template-rules: names are 3..128 of [a-zA-Z0-9().-/_]", () => {
    for (const ok of ["web", "a".repeat(128), "My.Template-(1)/x_y"]) checkLaunchTemplateName(ok);
    for (const bad of ["ab", "a".repeat(129), "has space", "semi;colon", "ünï", ""]) {
      assert.throws(() => checkLaunchTemplateName(bad), code("InvalidLaunchTemplateName.MalformedException"), bad);
    }
  });

  it("launch-template-rules: ids are lt- and 17 lower-case hex digits", () => {
    checkLaunchTemplateId("lt-0123456789abcdef0");
    for (const bad of ["lt-123", "lt-0123456789ABCDEF0", "i-0123456789abcdef0", "template_n", ""]) {
      assert.throws(() => checkLaunchTemplateId(bad), code("InvalidLaunchTemplateId.Malformed"), bad);
    }
  });

  it("launch-template-rules: tags follow EC2's length and aws: rules", () => {
    checkTags([{ key: "a".repeat(128), value: "v".repeat(256) }, { key: "Name", value: "" }]);
    for (const tag of [{ key: "", value: "x" }, { key: "a".repeat(129), value: "" }, { key: "k", value: "v".repeat(257) }, { key: "AWS:x", value: "" }]) {
      assert.throws(() => checkTags([tag]), code("InvalidParameterValue"), JSON.stringify(tag));
    }
  });

  it("launch-template-rules: template data tags only the four documented resource types", () => {
    for (const type of TEMPLATE_DATA_RESOURCE_TYPES) checkResourceType(type, TEMPLATE_DATA_RESOURCE_TYPES);
    assert.throws(() => checkResourceType("launch-template", TEMPLATE_DATA_RESOURCE_TYPES), (err) =>
      err instanceof DomainError && err.message === "'launch-template' is not a valid taggable resource type for this operation.");
  });

  it("launch-template-rules: version descriptions hold at most 255 characters", () => {
    checkVersionDescription("d".repeat(255));
    assert.throws(() => checkVersionDescription("d".repeat(256)), code("InvalidParameterValue"));
  });

  it("launch-template-rules: a new version inherits every member it does not give", () => {
    const source = { imageId: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" as const, httpPutResponseHopLimit: 2 } };
    assert.deepEqual(inheritLaunchTemplateData(source, { imageId: "ami-2" }), { ...source, imageId: "ami-2" });
  });

  it("launch-template-rules: a given member replaces the inherited one whole (MetadataOptions is not merged per field)", () => {
    const source = { metadataOptions: { httpTokens: "required" as const, httpPutResponseHopLimit: 2 }, iamInstanceProfile: { name: "a", arn: "arn:x" } };
    const merged = inheritLaunchTemplateData(source, { metadataOptions: { httpEndpoint: "disabled" }, iamInstanceProfile: { name: "b" } });
    assert.deepEqual(merged, { metadataOptions: { httpEndpoint: "disabled" }, iamInstanceProfile: { name: "b" } });
    assert.deepEqual(source.metadataOptions, { httpTokens: "required", httpPutResponseHopLimit: 2 }, "the source version is not changed");
  });
});
