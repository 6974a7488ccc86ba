import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk } from "../../../test/support/ec2-answers.ts";
import { withHarness } from "../../../test/support/instances.ts";

const OTHER_ACCOUNT = "111122223333";

test("ResetImageAttribute: launchPermission back to private, the all group and every account removed", () =>
  withHarness(async (h) => {
    const imageId = expectOk(await h.call("RegisterImage", { Name: "shared-image" })).RegisterImageResponse.imageId as string;
    expectOk(await h.call("ModifyImageAttribute", { ImageId: imageId, "LaunchPermission.Add.1.Group": "all", "LaunchPermission.Add.2.UserId": OTHER_ACCOUNT }));
    const before = expectOk(await h.call("DescribeImageAttribute", { ImageId: imageId, Attribute: "launchPermission" })).DescribeImageAttributeResponse;
    assert.equal(before.launchPermission.item.length, 2);
    assert.equal(expectOk(await h.call("ResetImageAttribute", { ImageId: imageId, Attribute: "launchPermission" })).ResetImageAttributeResponse.return, "true");
    const after = expectOk(await h.call("DescribeImageAttribute", { ImageId: imageId, Attribute: "launchPermission" })).DescribeImageAttributeResponse;
    assert.ok(after.launchPermission === "" || after.launchPermission === undefined, JSON.stringify(after));
  }));

test("ResetImageAttribute: only launchPermission can be reset; unknown images are EC2's NotFound", () =>
  withHarness(async (h) => {
    const imageId = expectOk(await h.call("RegisterImage", { Name: "private-image" })).RegisterImageResponse.imageId as string;
    expectError(await h.call("ResetImageAttribute", { ImageId: imageId, Attribute: "description" }), "InvalidParameterValue");
    expectError(await h.call("ResetImageAttribute", { ImageId: imageId }), "MissingParameter");
    expectError(await h.call("ResetImageAttribute", { ImageId: "ami-00000000000000000", Attribute: "launchPermission" }), "InvalidAMIID.NotFound");
  }));
