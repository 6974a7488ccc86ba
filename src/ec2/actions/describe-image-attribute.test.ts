import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  OTHER_ACCESS_KEY,
  register,
  V2_PUBLIC_IMAGE,
  withHarness,
} from "../../../test/support/images.ts";

const ACTION = "DescribeImageAttribute";

function answer(xml: any): any {
  return xml.DescribeImageAttributeResponse;
}

test("DescribeImageAttribute: imdsSupport of an AMI with v2.0 is <imdsSupport><value>v2.0</value></imdsSupport>", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "v2-image", ImdsSupport: "v2.0" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport" });
    golden(ACTION, "imds-support", result);
    assert.deepEqual(answer(expectOk(result)), { requestId: "req-0002", imageId, imdsSupport: { value: "v2.0" } });
  });
});

test("DescribeImageAttribute: imdsSupport of an AMI without it is the empty <imdsSupport/>", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "plain" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport" });
    golden(ACTION, "imds-support-unset", result);
    assert.match(result.body, /<imdsSupport\/>/);
  });
});

test("DescribeImageAttribute: description, set and unset", async () => {
  await withHarness(async (h) => {
    const described = await register(h.call, { Name: "described", Description: "base <image> & co" });
    const result = await h.call(ACTION, { ImageId: described, Attribute: "description" });
    golden(ACTION, "description", result);
    assert.deepEqual(answer(expectOk(result)).description, { value: "base <image> & co" });
    const bare = await register(h.call, { Name: "bare" });
    assert.match((await h.call(ACTION, { ImageId: bare, Attribute: "description" })).body, /<description\/>/);
  });
});

test("DescribeImageAttribute: launchPermission lists group all and the account ids granted", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "shared" });
    assert.match((await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission" })).body, /<launchPermission\/>/);
    expectOk(await h.call("ModifyImageAttribute", { ImageId: imageId, "LaunchPermission.Add.1.Group": "all", "LaunchPermission.Add.2.UserId": "111122223333" }));
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "launchPermission" });
    golden(ACTION, "launch-permission", result);
    assert.deepEqual(answer(expectOk(result)).launchPermission.item, [{ group: "all" }, { userId: "111122223333" }]);
  });
});

test("DescribeImageAttribute: other documented attributes answer empty, productCodes an empty list", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "others" });
    for (const attribute of ["kernel", "ramdisk", "sriovNetSupport", "bootMode", "tpmSupport", "uefiData", "lastLaunchedTime"]) {
      const body = (await h.call(ACTION, { ImageId: imageId, Attribute: attribute })).body;
      assert.match(body, new RegExp(`<${attribute}/>`), attribute);
    }
    assert.match((await h.call(ACTION, { ImageId: imageId, Attribute: "productCodes" })).body, /<productCodes\/>/);
    const protection = answer(expectOk(await h.call(ACTION, { ImageId: imageId, Attribute: "deregistrationProtection" })));
    assert.deepEqual(protection.deregistrationProtection, { value: "disabled" });
  });
});

test("DescribeImageAttribute: blockDeviceMapping is refused with AuthFailure, as the API reference documents", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "bdm" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "blockDeviceMapping" });
    assert.equal(expectError(result, "AuthFailure", { status: 401 }), "Unauthorized attempt to access restricted resource");
    golden(ACTION, "block-device-mapping", result);
  });
});

test("DescribeImageAttribute: an attribute outside the documented values is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "attr" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "imds-support" });
    assert.match(expectError(result, "InvalidParameterValue"), /Value \(imds-support\) for parameter Attribute is invalid/);
    golden(ACTION, "invalid-attribute", result);
    const missing = await h.call(ACTION, { ImageId: imageId });
    assert.equal(expectError(missing, "MissingParameter"), "The request must contain the parameter Attribute");
    golden(ACTION, "missing-attribute", missing);
    expectError(await h.call(ACTION, { Attribute: "imdsSupport" }), "MissingParameter");
  });
});

test("DescribeImageAttribute: an AMI the caller does not own is AuthFailure, even a public one", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { ImageId: V2_PUBLIC_IMAGE, Attribute: "imdsSupport" });
    assert.equal(expectError(result, "AuthFailure", { status: 401 }), `Not authorized for image:${V2_PUBLIC_IMAGE}`);
    golden(ACTION, "not-owner", result);
    const call = createAccountsCaller(h.services);
    const theirs = await register(call, { Name: "theirs" }, { accessKeyId: OTHER_ACCESS_KEY });
    expectOk(await call("ModifyImageAttribute", { ImageId: theirs, Attribute: "launchPermission", OperationType: "add", "UserGroup.1": "all" }, { accessKeyId: OTHER_ACCESS_KEY }));
    expectError(await call(ACTION, { ImageId: theirs, Attribute: "description" }), "AuthFailure", { status: 401 });
  });
});

test("DescribeImageAttribute: unknown and malformed ids", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { ImageId: "ami-0123456789abcdef0", Attribute: "imdsSupport" });
    expectError(result, "InvalidAMIID.NotFound");
    golden(ACTION, "not-found", result);
    const malformed = await h.call(ACTION, { ImageId: "ami-nothex", Attribute: "imdsSupport" });
    expectError(malformed, "InvalidAMIID.Malformed");
    golden(ACTION, "malformed-id", malformed);
  });
});

test("DescribeImageAttribute: DryRun answers DryRunOperation 412", async () => {
  await withHarness(async (h) => {
    const imageId = await register(h.call, { Name: "dry" });
    const result = await h.call(ACTION, { ImageId: imageId, Attribute: "imdsSupport", DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden(ACTION, "dry-run", result);
  });
});
