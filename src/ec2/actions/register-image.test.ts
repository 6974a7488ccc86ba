import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  describeImageIds,
  imagesOf,
  OTHER_ACCESS_KEY,
  register,
  withHarness,
} from "../../../test/support/images.ts";

test("RegisterImage: returns a new ami- id with 17 hex digits and the image is described as the caller's", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { Name: "web-2026.11", Description: "web tier", Architecture: "x86_64" });
    golden("RegisterImage", "success", result);
    const imageId = String(expectOk(result).RegisterImageResponse.imageId);
    assert.match(imageId, /^ami-[0-9a-f]{17}$/);
    const [image] = imagesOf(await h.call("DescribeImages", { "ImageId.1": imageId }));
    assert.equal(image.imageOwnerId, "123456789012");
    assert.equal(image.name, "web-2026.11");
    assert.equal(image.description, "web tier");
    assert.equal(image.architecture, "x86_64");
    assert.equal(image.imageState, "available");
    assert.equal(image.isPublic, "false");
    assert.equal(image.imageLocation, "123456789012/web-2026.11");
    assert.equal(image.imdsSupport, undefined, "imdsSupport is absent when not set");
  });
});

test("RegisterImage: ImdsSupport=v2.0 is kept and shown by DescribeImages", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "imdsv2-only", ImdsSupport: "v2.0" });
    const [image] = imagesOf(await h.call("DescribeImages", { "ImageId.1": imageId }));
    assert.equal(image.imdsSupport, "v2.0");
  });
});

test("RegisterImage: any ImdsSupport other than v2.0 is InvalidParameterValue and registers nothing", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { Name: "bad", ImdsSupport: "v1.0" });
    assert.match(expectError(result, "InvalidParameterValue"), /'v1\.0' is not valid for ImdsSupport/);
    golden("RegisterImage", "invalid-imds-support", result);
    for (const value of ["", "V2.0", "v2", "v2.0 "]) {
      expectError(await h.call("RegisterImage", { Name: "bad", ImdsSupport: value }), "InvalidParameterValue");
    }
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), []);
  });
});

test("RegisterImage: defaults are the API reference's (i386) and /dev/xvda; ImageLocation is echoed", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "defaults", ImageLocation: "my-bucket/image.manifest.xml" });
    const [image] = imagesOf(await h.call("DescribeImages", { "ImageId.1": imageId }));
    assert.equal(image.architecture, "i386");
    assert.equal(image.rootDeviceName, "/dev/xvda");
    assert.equal(image.imageLocation, "my-bucket/image.manifest.xml");
    assert.equal(image.description, undefined);
  });
});

test("RegisterImage: Name is required", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { ImdsSupport: "v2.0" });
    assert.equal(expectError(result, "MissingParameter"), "The request must contain the parameter Name");
    golden("RegisterImage", "missing-name", result);
  });
});

test("RegisterImage: a name outside 3-128 allowed characters is InvalidAMIName.Malformed", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { Name: "ab" });
    expectError(result, "InvalidAMIName.Malformed");
    golden("RegisterImage", "malformed-name", result);
    expectError(await h.call("RegisterImage", { Name: "a".repeat(129) }), "InvalidAMIName.Malformed");
    expectError(await h.call("RegisterImage", { Name: "semi;colon" }), "InvalidAMIName.Malformed");
    await register(h.call, { Name: "ok (v1) [x] it's @home/a_b.c-d" });
  });
});

test("RegisterImage: a name already used by the account in the Region is InvalidAMIName.Duplicate", async () => {
  await withHarness(async (h) => {
    const first = await register(h.call, { Name: "golden-base" });
    const result = await h.call("RegisterImage", { Name: "golden-base" });
    assert.equal(expectError(result, "InvalidAMIName.Duplicate"), `AMI name golden-base is already in use by AMI ${first}`);
    golden("RegisterImage", "duplicate-name", result);
  });
});

test("RegisterImage: names are unique per account and Region only", async () => {
  await withHarness(async (h) => {
    const call = createAccountsCaller(h.services);
    await register(call, { Name: "shared-name" });
    await register(call, { Name: "shared-name" }, { region: "eu-west-1" });
    await register(call, { Name: "shared-name" }, { accessKeyId: OTHER_ACCESS_KEY });
    // A public AMI's name belongs to its owner, not to the caller.
    await register(call, { Name: "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64" });
  });
});

test("RegisterImage: an unknown Architecture is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { Name: "arch", Architecture: "sparc" });
    expectError(result, "InvalidParameterValue");
    golden("RegisterImage", "invalid-architecture", result);
  });
});

test("RegisterImage: a Description over 255 characters is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    expectError(await h.call("RegisterImage", { Name: "long", Description: "d".repeat(256) }), "InvalidParameterValue");
    await register(h.call, { Name: "long", Description: "d".repeat(255) });
  });
});

test("RegisterImage: TagSpecification with ResourceType image tags the AMI", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, {
      Name: "tagged",
      "TagSpecification.1.ResourceType": "image",
      "TagSpecification.1.Tag.1.Key": "team",
      "TagSpecification.1.Tag.1.Value": "platform",
      "TagSpecification.1.Tag.2.Key": "empty",
    });
    const [image] = imagesOf(await h.call("DescribeImages", { "ImageId.1": imageId }));
    assert.deepEqual(image.tagSet.item, [
      { key: "team", value: "platform" },
      { key: "empty", value: "" },
    ]);
  });
});

test("RegisterImage: any other tag ResourceType, or a reserved aws: key, fails the call", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", {
      Name: "tagged",
      "TagSpecification.1.ResourceType": "snapshot",
      "TagSpecification.1.Tag.1.Key": "k",
    });
    assert.equal(expectError(result, "InvalidParameterValue"), "'snapshot' is not a valid taggable resource type for this operation.");
    golden("RegisterImage", "invalid-tag-resource-type", result);
    expectError(await h.call("RegisterImage", { Name: "tagged", "TagSpecification.1.Tag.1.Key": "k" }), "MissingParameter");
    expectError(
      await h.call("RegisterImage", { Name: "tagged", "TagSpecification.1.ResourceType": "image", "TagSpecification.1.Tag.1.Key": "aws:x" }),
      "InvalidParameterValue",
    );
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), []);
  });
});

test("RegisterImage: DryRun answers DryRunOperation 412 and registers nothing", async () => {
  await withHarness(async (h) => {
    const result = await h.call("RegisterImage", { Name: "dry", ImdsSupport: "v2.0", DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden("RegisterImage", "dry-run", result);
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), []);
  });
});

test("RegisterImage: boot properties are kept and shown by DescribeImages; bad values and TPM without UEFI are refused", () =>
  withHarness(async (h) => {
    const registered = await h.call("RegisterImage", {
      Name: "booted", Architecture: "x86_64", BootMode: "uefi", TpmSupport: "v2.0", EnaSupport: "false",
      SriovNetSupport: "simple", KernelId: "aki-12345678", RamdiskId: "ari-12345678", VirtualizationType: "paravirtual",
    });
    const imageId = registered.xml.RegisterImageResponse.imageId as string;
    const [image] = itemsOf(await h.call("DescribeImages", { "ImageId.1": imageId }), "DescribeImages", "imagesSet");
    assert.equal(image.bootMode, "uefi");
    assert.equal(image.tpmSupport, "v2.0");
    assert.equal(image.enaSupport, "false");
    assert.equal(image.sriovNetSupport, "simple");
    assert.equal(image.kernelId, "aki-12345678");
    assert.equal(image.ramdiskId, "ari-12345678");
    assert.equal(image.virtualizationType, "paravirtual");
    const byKernel = itemsOf(await h.call("DescribeImages", { "Filter.1.Name": "kernel-id", "Filter.1.Value.1": "aki-12345678" }), "DescribeImages", "imagesSet");
    assert.deepEqual(byKernel.map((i) => i.imageId), [imageId]);
    expectError(await h.call("RegisterImage", { Name: "boot-1", BootMode: "bios" }), "InvalidParameterValue", "Value (bios) for parameter BootMode is invalid.");
    expectError(await h.call("RegisterImage", { Name: "boot-2", TpmSupport: "v2.0" }), "InvalidParameterCombination");
    expectError(await h.call("RegisterImage", { Name: "boot-3", KernelId: "k-1" }), "InvalidParameterValue");
  }));
