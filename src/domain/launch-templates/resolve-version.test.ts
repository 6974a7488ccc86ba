import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "../errors.ts";
import type { LaunchTemplateRecord, LaunchTemplateVersion } from "./launch-template.ts";
import { findLaunchTemplateVersion, launchTemplateOptionsOf, parseVersionNumber } from "./resolve-version.ts";

function version(versionNumber: number): LaunchTemplateVersion {
  return { versionNumber, createTime: "2026-11-29T12:00:00.000Z", data: { imageId: `ami-${versionNumber}` } };
}

/** Versions 1, 2 and 4 (3 was deleted); 2 is the default, 4 the latest. */
const RECORD: LaunchTemplateRecord = {
  templateId: "lt-0123456789abcdef0",
  templateName: "web",
  accountId: "123456789012",
  region: "us-east-1",
  createTime: "2026-11-29T12:00:00.000Z",
  createdBy: "arn:aws:iam::123456789012:root",
  defaultVersionNumber: 2,
  latestVersionNumber: 4,
  issuedVersionNumber: 4,
  versions: [version(1), version(2), version(4)],
  tags: [],
};

function notFound(spec: string): (err: unknown) => boolean {
  return (err) =>
    err instanceof DomainError &&
    err.code === "InvalidLaunchTemplateId.VersionNotFound" &&
    err.message === `Could not find the specified version ${spec} for the launch template with ID lt-0123456789abcdef0.`;
}

describe("resolve-version", () => {
  it("resolve-version: no version string means the default version", () => {
    assert.equal(findLaunchTemplateVersion(RECORD, undefined).versionNumber, 2);
  });

  it("resolve-version: $Default and $Latest follow the record's pointers", () => {
    assert.equal(findLaunchTemplateVersion(RECORD, "$Default").versionNumber, 2);
    assert.equal(findLaunchTemplateVersion(RECORD, "$Latest").versionNumber, 4);
  });

  it("resolve-version: a number names that version, leading zeros read as Java's parseLong does", () => {
    assert.equal(findLaunchTemplateVersion(RECORD, "1").data.imageId, "ami-1");
    assert.equal(findLaunchTemplateVersion(RECORD, "04").versionNumber, 4);
  });

  it("resolve-version: a deleted or never-created number is VersionNotFound naming it", () => {
    assert.throws(() => findLaunchTemplateVersion(RECORD, "3"), notFound("3"));
    assert.throws(() => findLaunchTemplateVersion(RECORD, "99"), notFound("99"));
    assert.throws(() => findLaunchTemplateVersion(RECORD, "0"), notFound("0"));
  });

  it("resolve-version: aliases are exact and anything else is VersionNotFound", () => {
    for (const spec of ["$latest", "$DEFAULT", "latest", "-1", "1.0", " 1", "", "1e2", "9999999999999999999"]) {
      assert.throws(() => findLaunchTemplateVersion(RECORD, spec), notFound(spec), JSON.stringify(spec));
    }
  });

  it("resolve-version: parseVersionNumber accepts plain digits only", () => {
    assert.equal(parseVersionNumber("12"), 12);
    assert.equal(parseVersionNumber("+1"), undefined);
    assert.equal(parseVersionNumber("$Latest"), undefined);
  });

  it("resolve-version: launchTemplateOptionsOf gives the precedence layer its options and source", () => {
    const withOptions: LaunchTemplateVersion = { ...version(5), data: { metadataOptions: { httpTokens: "required" } } };
    assert.deepEqual(launchTemplateOptionsOf(RECORD, withOptions), {
      input: { httpTokens: "required" },
      templateId: "lt-0123456789abcdef0",
      templateName: "web",
      version: 5,
    });
    assert.deepEqual(launchTemplateOptionsOf(RECORD, version(1)).input, {});
  });
});
