import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  imagesOf,
  OTHER_ACCESS_KEY,
  register,
  V2_PUBLIC_IMAGE,
  withHarness,
  type Call,
} from "../../../test/support/images.ts";

const ACTION = "ModifyImageAttribute";

async function describe(call: Call, imageId: string, options: { accessKeyId?: string } = {}): Promise<any> {
  return imagesOf(await call("DescribeImages", { "ImageId.1": imageId }, options))[0];
}

test("ModifyImageAttribute: ImdsSupport.Value=v2.0 sets the flag and answers return true", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "to-v2" });
    const result = await h.call(ACTION, { ImageId: imageId, "ImdsSupport.Value": "v2.0" });
    golden(ACTION, "imds-support", result);
    assert.equal(expectOk(result).ModifyImageAttributeResponse.return, "true");
    assert.equal((await describe(h.call, imageId)).imdsSupport, "v2.0");
  });
});

test("ModifyImageAttribute: Attribute=imdsSupport with Value=v2.0 does the same, and repeating it is harmless", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "to-v2" });
    expectOk(await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport", Value: "v2.0" }));
    expectOk(await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport", Value: "v2.0" }));
    expectOk(await h.call(ACTION, { ImageId: imageId, "ImdsSupport.Value": "v2.0" }));
    assert.equal((await describe(h.call, imageId)).imdsSupport, "v2.0");
  });
});

test("ModifyImageAttribute: ImdsSupport can't be unset or changed: InvalidParameterValue saying it can't be undone", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "locked", ImdsSupport: "v2.0" });
    const result = await h.call(ACTION, { ImageId: imageId, "ImdsSupport.Value": "" });
    assert.match(expectError(result, "InvalidParameterValue"), /can't be undone or unset/);
    golden(ACTION, "imds-support-unset", result);
    const attempts: Record<string, string>[] = [
      { Attribute: "imdsSupport", Value: "" },
      { Attribute: "imdsSupport", Value: "v1.0" },
      { "ImdsSupport.Value": "none" },
      { "ImdsSupport.Value": "V2.0" },
    ];
    for (const attempt of attempts) {
      assert.match(expectError(await h.call(ACTION, { ImageId: imageId, ...attempt }), "InvalidParameterValue"), /can't be undone/);
    }
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport" }), "MissingParameter");
    assert.equal((await describe(h.call, imageId)).imdsSupport, "v2.0");
  });
});

test("ModifyImageAttribute: Description.Value or Attribute=description with Value replaces the description", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "desc", Description: "old" });
    expectOk(await h.call(ACTION, { ImageId: imageId, "Description.Value": "new" }));
    assert.equal((await describe(h.call, imageId)).description, "new");
    expectOk(await h.call(ACTION, { ImageId: imageId, Attribute: "description", Value: "newer" }));
    assert.equal((await describe(h.call, imageId)).description, "newer");
    expectError(await h.call(ACTION, { ImageId: imageId, "Description.Value": "x".repeat(256) }), "InvalidParameterValue");
  });
});

test("ModifyImageAttribute: two attributes at once is InvalidParameterCombination and changes nothing", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "two", Description: "kept" });
    const result = await h.call(ACTION, { ImageId: imageId, "Description.Value": "changed", "ImdsSupport.Value": "v2.0" });
    assert.equal(expectError(result, "InvalidParameterCombination"), "You can specify only one attribute at a time.");
    golden(ACTION, "two-attributes", result);
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "description", "ImdsSupport.Value": "v2.0" }), "InvalidParameterCombination");
    expectError(await h.call(ACTION, { ImageId: imageId, "ImdsSupport.Value": "v2.0", "LaunchPermission.Add.1.Group": "all" }), "InvalidParameterCombination");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport", Value: "v2.0", "ImdsSupport.Value": "v2.0" }), "InvalidParameterCombination");
    const image = await describe(h.call, imageId);
    assert.equal(image.description, "kept");
    assert.equal(image.imdsSupport, undefined);
  });
});

test("ModifyImageAttribute: a call naming no attribute, or misplaced parameters, is InvalidParameterCombination", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "none" });
    const result = await h.call(ACTION, { ImageId: imageId });
    assert.equal(expectError(result, "InvalidParameterCombination"), "No attributes specified.");
    golden(ACTION, "no-attribute", result);
    expectError(await h.call(ACTION, { ImageId: imageId, Value: "v2.0" }), "InvalidParameterCombination");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission", Value: "all" }), "InvalidParameterCombination");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "description", Value: "d", "UserId.1": "111122223333" }), "InvalidParameterCombination");
  });
});

test("ModifyImageAttribute: an Attribute other than description, imdsSupport or launchPermission is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "attr" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "kernel", Value: "aki-12345678" });
    expectError(result, "InvalidParameterValue");
    golden(ACTION, "invalid-attribute", result);
  });
});

test("ModifyImageAttribute: launch permissions make an AMI public or share it with accounts, and take it back", async () => {
  await withHarness(async (h) => {
    const call = createAccountsCaller(h.services);
    const imageId = await register(call, { Name: "shared" });
    expectOk(await call(ACTION, { ImageId: imageId, "LaunchPermission.Add.1.Group": "all" }));
    assert.equal((await describe(call, imageId)).isPublic, "true");
    assert.equal((await describe(call, imageId, { accessKeyId: OTHER_ACCESS_KEY })).imageId, imageId);
    expectOk(await call(ACTION, { ImageId: imageId, Attribute: "launchPermission", OperationType: "remove", "UserGroup.1": "all" }));
    expectError(await call("DescribeImages", { "ImageId.1": imageId }, { accessKeyId: OTHER_ACCESS_KEY }), "InvalidAMIID.NotFound");
    expectOk(await call(ACTION, { ImageId: imageId, Attribute: "launchPermission", OperationType: "add", "UserId.1": "210987654321" }));
    assert.equal((await describe(call, imageId, { accessKeyId: OTHER_ACCESS_KEY })).isPublic, "false");
    expectOk(await call(ACTION, { ImageId: imageId, "LaunchPermission.Remove.1.UserId": "210987654321" }));
    expectError(await call("DescribeImages", { "ImageId.1": imageId }, { accessKeyId: OTHER_ACCESS_KEY }), "InvalidAMIID.NotFound");
  });
});

test("ModifyImageAttribute: bad launch permission items are refused", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "perm" });
    const result = await h.call(ACTION, { ImageId: imageId, "LaunchPermission.Add.1.UserId": "not-an-account" });
    expectError(result, "InvalidAMIAttributeItemValue");
    golden(ACTION, "invalid-user-id", result);
    expectError(await h.call(ACTION, { ImageId: imageId, "LaunchPermission.Add.1.Group": "everyone" }), "InvalidAMIAttributeItemValue");
    expectError(await h.call(ACTION, { ImageId: imageId, "LaunchPermission.Add.1.UserId": "123456789012" }), "InvalidAMIAttributeItemValue");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission", OperationType: "share", "UserId.1": "111122223333" }), "InvalidParameterValue");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission", "UserId.1": "111122223333" }), "MissingParameter");
    expectError(await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission", OperationType: "add" }), "InvalidParameterCombination");
    const org = await h.call(ACTION, { ImageId: imageId, "LaunchPermission.Add.1.OrganizationArn": "arn:aws:organizations::123456789012:organization/o-1" });
    expectError(org, "UnsupportedOperation");
    expectError(await h.call(ACTION, { ImageId: imageId, "ProductCode.1": "abc" }), "UnsupportedOperation");
    assert.equal((await describe(h.call, imageId)).isPublic, "false");
  });
});

test("ModifyImageAttribute: an AMI the caller does not own is AuthFailure", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { ImageId: V2_PUBLIC_IMAGE, "Description.Value": "mine now" });
    assert.equal(expectError(result, "AuthFailure", { status: 401 }), `Not authorized for image:${V2_PUBLIC_IMAGE}`);
    golden(ACTION, "not-owner", result);
    const call = createAccountsCaller(h.services);
    const theirs = await register(call, { Name: "theirs" }, { accessKeyId: OTHER_ACCESS_KEY });
    expectError(await call(ACTION, { ImageId: theirs, "ImdsSupport.Value": "v2.0" }), "InvalidAMIID.NotFound");
    expectOk(await call(ACTION, { ImageId: theirs, "LaunchPermission.Add.1.Group": "all" }, { accessKeyId: OTHER_ACCESS_KEY }));
    expectError(await call(ACTION, { ImageId: theirs, "ImdsSupport.Value": "v2.0" }), "AuthFailure", { status: 401 });
  });
});

test("ModifyImageAttribute: unknown, malformed and missing image ids", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { ImageId: "ami-0123456789abcdef0", "ImdsSupport.Value": "v2.0" });
    expectError(result, "InvalidAMIID.NotFound");
    golden(ACTION, "not-found", result);
    const malformed = await h.call(ACTION, { ImageId: "ami-12", "ImdsSupport.Value": "v2.0" });
    expectError(malformed, "InvalidAMIID.Malformed");
    golden(ACTION, "malformed-id", malformed);
    const missing = await h.call(ACTION, { "ImdsSupport.Value": "v2.0" });
    assert.equal(expectError(missing, "MissingParameter"), "The request must contain the parameter ImageId");
    golden(ACTION, "missing-image-id", missing);
  });
});

test("ModifyImageAttribute: DryRun answers DryRunOperation 412 and changes nothing", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "dry" });
    const result = await h.call(ACTION, { ImageId: imageId, "ImdsSupport.Value": "v2.0", DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden(ACTION, "dry-run", result);
    assert.equal((await describe(h.call, imageId)).imdsSupport, undefined);
  });
});
