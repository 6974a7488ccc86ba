import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  describeImageIds,
  OTHER_ACCESS_KEY,
  register,
  V2_PUBLIC_IMAGE,
  withHarness,
} from "../../../test/support/images.ts";

const ACTION = "DeregisterImage";

test("DeregisterImage: answers return true and the AMI disappears from DescribeImages", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "short-lived", ImdsSupport: "v2.0" });
    const result = await h.call(ACTION, { ImageId: imageId });
    golden(ACTION, "success", result);
    assert.equal(expectOk(result).DeregisterImageResponse.return, "true");
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), []);
    expectError(await h.call("DescribeImages", { "ImageId.1": imageId }), "InvalidAMIID.NotFound");
    expectError(await h.call("DescribeImageAttribute", { ImageId: imageId, Attribute: "imdsSupport" }), "InvalidAMIID.NotFound");
  });
});

test("DeregisterImage: a second deregistration is InvalidAMIID.NotFound", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "twice" });
    expectOk(await h.call(ACTION, { ImageId: imageId }));
    const result = await h.call(ACTION, { ImageId: imageId });
    assert.equal(expectError(result, "InvalidAMIID.NotFound"), `The image id '[${imageId}]' does not exist`);
    golden(ACTION, "not-found", result);
  });
});

test("DeregisterImage: the name is free again afterwards", async () => {
  await withHarness(async (h) => {
    const first = await register(h.call, { Name: "reused" });
    expectOk(await h.call(ACTION, { ImageId: first }));
    const second = await register(h.call, { Name: "reused" });
    assert.notEqual(second, first);
  });
});

test("DeregisterImage: only the owner may deregister", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { ImageId: V2_PUBLIC_IMAGE });
    assert.equal(expectError(result, "AuthFailure", { status: 401 }), `Not authorized for image:${V2_PUBLIC_IMAGE}`);
    golden(ACTION, "not-owner", result);
    const call = createAccountsCaller(h.services);
    const theirs = await register(call, { Name: "theirs" }, { accessKeyId: OTHER_ACCESS_KEY });
    expectError(await call(ACTION, { ImageId: theirs }), "InvalidAMIID.NotFound");
    expectOk(await call(ACTION, { ImageId: theirs }, { accessKeyId: OTHER_ACCESS_KEY }));
  });
});

test("DeregisterImage: an image in another Region is not found from this one", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "eu-only" }, { region: "eu-west-1" });
    expectError(await h.call(ACTION, { ImageId: imageId }), "InvalidAMIID.NotFound");
    expectOk(await h.call(ACTION, { ImageId: imageId }, { region: "eu-west-1" }));
  });
});

test("DeregisterImage: malformed and missing ids", async () => {
  await withHarness(async (h) => {
    const malformed = await h.call(ACTION, { ImageId: "image-1" });
    expectError(malformed, "InvalidAMIID.Malformed");
    golden(ACTION, "malformed-id", malformed);
    const missing = await h.call(ACTION);
    expectError(missing, "MissingParameter");
    golden(ACTION, "missing-image-id", missing);
  });
});

test("DeregisterImage: DryRun answers DryRunOperation 412 and keeps the AMI", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "dry" });
    const result = await h.call(ACTION, { ImageId: imageId, DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden(ACTION, "dry-run", result);
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), [imageId]);
  });
});
