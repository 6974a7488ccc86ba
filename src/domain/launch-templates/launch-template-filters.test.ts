import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "../errors.ts";
import type { LaunchTemplateRecord } from "./launch-template.ts";
import {
  checkTemplateFilters,
  checkVersionFilters,
  templateMatchesFilters,
  versionMatchesFilters,
} from "./launch-template-filters.ts";

const RECORD: LaunchTemplateRecord = {
  templateId: "lt-0123456789abcdef0",
  templateName: "web-servers.prod",
  accountId: "123456789012",
  region: "us-east-1",
  createTime: "2026-11-29T12:00:00.000Z",
  createdBy: "arn:aws:iam::123456789012:root",
  defaultVersionNumber: 1,
  latestVersionNumber: 2,
  versions: [
    { versionNumber: 1, createTime: "2026-11-29T12:00:00.000Z", data: { imageId: "ami-1", metadataOptions: { httpTokens: "required" } } },
    { versionNumber: 2, createTime: "2026-11-29T13:00:00.000Z", data: { instanceType: "t3.micro", iamInstanceProfile: { arn: "arn:aws:iam::1:instance-profile/p" } } },
  ],
  tags: [{ key: "team", value: "Platform" }, { key: "env", value: "prod" }],
};
const [V1, V2] = RECORD.versions as [LaunchTemplateRecord["versions"][0], LaunchTemplateRecord["versions"][0]];

function invalid(name: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === "InvalidParameterValue" && err.message === `The filter '${name}' is invalid`;
}

describe("launch-template-filters", () => {
  it("launch-template-filters: values are OR-ed, filters AND-ed, with * and ? wildcards", () => {
    const match = (filters: { name: string; values: string[] }[]) => templateMatchesFilters(RECORD, filters);
    assert.equal(match([{ name: "launch-template-name", values: ["db", "web-*"] }]), true);
    assert.equal(match([{ name: "launch-template-name", values: ["web-servers?prod"] }]), true);
    assert.equal(match([{ name: "launch-template-name", values: ["WEB-*"] }]), false, "case-sensitive");
    assert.equal(match([{ name: "launch-template-name", values: ["web-servers.pro"] }]), false, "anchored");
    assert.equal(match([{ name: "launch-template-name", values: ["web*"] }, { name: "tag:env", values: ["dev"] }]), false);
    assert.equal(match([{ name: "launch-template-name", values: [] }]), false, "no value matches nothing");
  });

  it("launch-template-filters: regex characters in values are literal", () => {
    assert.equal(templateMatchesFilters(RECORD, [{ name: "launch-template-name", values: ["web-servers[.]prod"] }]), false);
    assert.equal(templateMatchesFilters(RECORD, [{ name: "launch-template-name", values: ["web-servers.+"] }]), false);
  });

  it("launch-template-filters: tag:KEY matches the value under that key; tag-key matches keys", () => {
    assert.equal(templateMatchesFilters(RECORD, [{ name: "tag:team", values: ["Plat*"] }]), true);
    assert.equal(templateMatchesFilters(RECORD, [{ name: "tag:team", values: ["prod"] }]), false);
    assert.equal(templateMatchesFilters(RECORD, [{ name: "tag-key", values: ["en?"] }]), true);
    assert.equal(templateMatchesFilters(RECORD, [{ name: "create-time", values: ["2026-11-29*"] }]), true);
  });

  it("launch-template-filters: unknown template filter names are InvalidParameterValue", () => {
    checkTemplateFilters([{ name: "tag:Name", values: [] }, { name: "create-time", values: [] }]);
    for (const name of ["tag:", "launch-template-id", "Launch-Template-Name"]) {
      assert.throws(() => checkTemplateFilters([{ name, values: ["x"] }]), invalid(name));
    }
  });

  it("launch-template-filters: version filters read what the version stores", () => {
    const pick = (name: string, value: string) => [V1, V2].filter((v) => versionMatchesFilters(RECORD, v, [{ name, values: [value] }])).map((v) => v.versionNumber);
    assert.deepEqual(pick("is-default-version", "true"), [1]);
    assert.deepEqual(pick("is-default-version", "false"), [2]);
    assert.deepEqual(pick("http-tokens", "required"), [1]);
    assert.deepEqual(pick("image-id", "ami-*"), [1]);
    assert.deepEqual(pick("instance-type", "t3.micro"), [2]);
    assert.deepEqual(pick("iam-instance-profile", "arn:aws:iam::1:instance-profile/p"), [2]);
    assert.deepEqual(pick("create-time", "2026-11-29T13*"), [2]);
    assert.deepEqual(pick("ebs-optimized", "*"), [], "a documented filter on a field never stored matches nothing");
  });

  it("launch-template-filters: unknown version filter names are InvalidParameterValue", () => {
    checkVersionFilters([{ name: "is-default-version", values: ["true"] }, { name: "kernel-id", values: ["x"] }]);
    assert.throws(() => checkVersionFilters([{ name: "launch-template-name", values: ["x"] }]), invalid("launch-template-name"));
  });
});
