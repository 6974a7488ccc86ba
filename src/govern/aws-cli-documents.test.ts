import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { readAccountDefaults, readImage, readLaunchParameters, readLaunchTemplate } from "./aws-cli-documents.ts";

// Shapes as `aws ec2 … --output json` prints them (CLI v1, botocore 1.43).
const DESCRIBE_IMAGES = { Images: [{ Architecture: "x86_64", ImageId: "ami-0a3c3a20c09d6f377", ImdsSupport: "v2.0", Name: "al2023", State: "available" }] };
const DESCRIBE_VERSIONS = {
  LaunchTemplateVersions: [
    { LaunchTemplateId: "lt-0abc", LaunchTemplateName: "web", VersionNumber: 2, DefaultVersion: false, LaunchTemplateData: { MetadataOptions: { HttpTokens: "required" } } },
    { LaunchTemplateId: "lt-0abc", LaunchTemplateName: "web", VersionNumber: 1, DefaultVersion: true, LaunchTemplateData: { ImageId: "ami-1", MetadataOptions: { HttpPutResponseHopLimit: 3, InstanceMetadataTags: "enabled" } } },
  ],
};

test("aws-cli documents: describe-images, a single image, or describe-image-attribute", () => {
  assert.deepEqual(readImage(DESCRIBE_IMAGES), { imageId: "ami-0a3c3a20c09d6f377", imdsSupport: "v2.0" });
  assert.deepEqual(readImage({ ImageId: "ami-1", Name: "x" }), { imageId: "ami-1", imdsSupport: null });
  assert.deepEqual(readImage({ ImageId: "ami-1", ImdsSupport: { Value: "v2.0" } }), { imageId: "ami-1", imdsSupport: "v2.0" });
  assert.deepEqual(readImage({ ImageId: "ami-1", ImdsSupport: {} }), { imageId: "ami-1", imdsSupport: null });
  assert.throws(() => readImage({ Images: [] }), /exactly one image, found 0/);
  assert.throws(() => readImage({ Images: [{ ImageId: "ami-1", ImdsSupport: "v1.0" }] }), /only be v2.0/);
});

test("aws-cli documents: a template version is the default one unless named", () => {
  const chosen = readLaunchTemplate(DESCRIBE_VERSIONS);
  assert.deepEqual(chosen, { input: { httpPutResponseHopLimit: 3, instanceMetadataTags: "enabled" }, templateId: "lt-0abc", templateName: "web", version: 1 });
  assert.equal(readLaunchTemplate(DESCRIBE_VERSIONS, "$Latest").version, 2);
  assert.equal(readLaunchTemplate(DESCRIBE_VERSIONS, "2").input.httpTokens, "required");
  assert.throws(() => readLaunchTemplate(DESCRIBE_VERSIONS, "7"), /no version 7/);
  assert.equal(readLaunchTemplate({ LaunchTemplateVersion: DESCRIBE_VERSIONS.LaunchTemplateVersions[0] }).version, 2);
  assert.deepEqual(readLaunchTemplate({ LaunchTemplateVersions: [{ VersionNumber: 1, LaunchTemplateData: {} }] }).input, {});
});

test("aws-cli documents: account defaults read as EC2 echoes them; values are validated like the API's", () => {
  assert.deepEqual(readAccountDefaults({ AccountLevel: { HttpTokens: "required", HttpPutResponseHopLimit: 2, ManagedBy: "account", HttpTokensEnforced: "enabled" } }), {
    managedBy: "account",
    httpTokens: "required",
    httpPutResponseHopLimit: 2,
    httpTokensEnforced: "enabled",
  });
  assert.deepEqual(readAccountDefaults({ AccountLevel: { ManagedBy: "account" } }), { managedBy: "account" });
  assert.throws(
    () => readAccountDefaults({ AccountLevel: { HttpTokens: "sometimes" } }),
    (e: unknown) => e instanceof DomainError && e.code === "InvalidParameterValue" && /HttpTokens/.test(e.message),
  );
});

test("aws-cli documents: launch parameters are MetadataOptions, bare or wrapped", () => {
  assert.deepEqual(readLaunchParameters({ HttpTokens: "optional" }), { httpTokens: "optional" });
  assert.deepEqual(readLaunchParameters({ MetadataOptions: { HttpPutResponseHopLimit: 4 } }), { httpPutResponseHopLimit: 4 });
  assert.throws(() => readLaunchParameters({ HttpPutResponseHopLimit: 65 }), /httpPutResponseHopLimit/);
  assert.throws(() => readLaunchParameters("optional"), /expected RunInstances MetadataOptions/);
});
