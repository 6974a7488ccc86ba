import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  describeImageIds,
  imagesOf,
  OTHER_ACCESS_KEY,
  OTHER_ACCOUNT,
  PLAIN_PUBLIC_IMAGE,
  PUBLIC_IMAGE_COUNT,
  register,
  V2_PUBLIC_IMAGE,
  withHarness,
} from "../../../test/support/images.ts";

const AMAZON = "137112412989";

test("DescribeImages: lists the public images and the caller's own, with EC2's elements", async () => {
  await withHarness(async (h) => {
    await register(h.call, {
      Name: "mine",
      ImdsSupport: "v2.0",
      Architecture: "arm64",
      "TagSpecification.1.ResourceType": "image",
      "TagSpecification.1.Tag.1.Key": "env",
      "TagSpecification.1.Tag.1.Value": "prod",
    });
    const result = await h.call("DescribeImages");
    golden("DescribeImages", "success", result);
    assert.equal(imagesOf(result).length, PUBLIC_IMAGE_COUNT + 1);
  });
});

test("DescribeImages: public images are in every Region, own images only in their own", async () => {
  await withHarness(async (h) => {
    const mine = await register(h.call, { Name: "regional" });
    const euIds = await describeImageIds(h.call, {}, { region: "eu-west-1" });
    assert.equal(euIds.length, PUBLIC_IMAGE_COUNT);
    assert.ok(!euIds.includes(mine));
    assert.ok(euIds.includes(V2_PUBLIC_IMAGE));
    expectError(await h.call("DescribeImages", { "ImageId.1": mine }, { region: "eu-west-1" }), "InvalidAMIID.NotFound");
  });
});

test("DescribeImages: another account's image is hidden until it is made public or shared", async () => {
  await withHarness(async (h) => {
    const call = createAccountsCaller(h.services);
    const theirs = await register(call, { Name: "theirs" }, { accessKeyId: OTHER_ACCESS_KEY });
    expectError(await call("DescribeImages", { "ImageId.1": theirs }), "InvalidAMIID.NotFound");
    const share = { ImageId: theirs, "LaunchPermission.Add.1.UserId": "123456789012" };
    assert.equal((await call("ModifyImageAttribute", share, { accessKeyId: OTHER_ACCESS_KEY })).status, 200);
    assert.deepEqual(await describeImageIds(call, { "ImageId.1": theirs }), [theirs]);
    const [image] = imagesOf(await call("DescribeImages", { "ImageId.1": theirs }));
    assert.equal(image.imageOwnerId, OTHER_ACCOUNT);
    assert.equal(image.isPublic, "false");
    assert.deepEqual(await describeImageIds(call, { "Owner.1": "self" }), []);
    assert.deepEqual(await describeImageIds(call, { "Owner.1": OTHER_ACCOUNT }), [theirs]);
  });
});

test("DescribeImages: an unknown id is InvalidAMIID.NotFound naming every missing id", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { "ImageId.1": "ami-0123456789abcdef0" });
    assert.equal(expectError(result, "InvalidAMIID.NotFound"), "The image id '[ami-0123456789abcdef0]' does not exist");
    golden("DescribeImages", "not-found", result);
    const both = await h.call("DescribeImages", { "ImageId.1": "ami-11111111", "ImageId.2": PLAIN_PUBLIC_IMAGE, "ImageId.3": "ami-22222222" });
    assert.equal(expectError(both, "InvalidAMIID.NotFound"), "The image id '[ami-11111111, ami-22222222]' does not exist");
  });
});

test("DescribeImages: a malformed id is InvalidAMIID.Malformed", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { "ImageId.1": "ami-xyz" });
    assert.equal(expectError(result, "InvalidAMIID.Malformed"), 'Invalid id: "ami-xyz" (expecting "ami-...")');
    golden("DescribeImages", "malformed-id", result);
    expectError(await h.call("DescribeImages", { "ImageId.1": "i-0123456789abcdef0" }), "InvalidAMIID.Malformed");
  });
});

test("DescribeImages: ImageId.N returns those images, each once", async () => {
  await withHarness(async (h) => {
    const ids = await describeImageIds(h.call, { "ImageId.1": V2_PUBLIC_IMAGE, "ImageId.2": PLAIN_PUBLIC_IMAGE, "ImageId.3": V2_PUBLIC_IMAGE });
    assert.deepEqual(ids.sort(), [PLAIN_PUBLIC_IMAGE, V2_PUBLIC_IMAGE].sort());
  });
});

test("DescribeImages: Owner.N takes self, amazon and account ids; ExecutableBy.N is ignored", async () => {
  await withHarness(async (h) => {
    const mine = await register(h.call, { Name: "mine" });
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "self" }), [mine]);
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "123456789012" }), [mine]);
    const amazon = await describeImageIds(h.call, { "Owner.1": "amazon" });
    assert.equal(amazon.length, 3);
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": AMAZON }), amazon);
    assert.equal((await describeImageIds(h.call, { "Owner.1": "self", "Owner.2": "amazon" })).length, 4);
    assert.deepEqual(await describeImageIds(h.call, { "Owner.1": "aws-marketplace" }), []);
    assert.equal((await describeImageIds(h.call, { "ExecutableBy.1": "all" })).length, PUBLIC_IMAGE_COUNT + 1);
  });
});

test("DescribeImages: an Owner that is neither an account id nor an alias is InvalidUserID.Malformed", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { "Owner.1": "12345" });
    assert.equal(expectError(result, "InvalidUserID.Malformed"), "User ID '12345' is invalid");
    golden("DescribeImages", "invalid-owner", result);
  });
});

test("DescribeImages: the name filter takes * and ? wildcards, values OR-ed", async () => {
  await withHarness(async (h) => {
    assert.deepEqual(await describeImageIds(h.call, { "Filter.1.Name": "name", "Filter.1.Value.1": "al2023-ami-*" }), [V2_PUBLIC_IMAGE]);
    assert.deepEqual(await describeImageIds(h.call, { "Filter.1.Name": "name", "Filter.1.Value.1": "al2023-ami" }), []);
    const either = await describeImageIds(h.call, { "Filter.1.Name": "name", "Filter.1.Value.1": "al202?-*", "Filter.1.Value.2": "amzn2-*" });
    assert.equal(either.length, 2);
  });
});

test("DescribeImages: filters are AND-ed and cover id, owner, state, architecture, is-public and tags", async () => {
  await withHarness(async (h) => {
    const tagged = await register(h.call, {
      Name: "tagged",
      Architecture: "arm64",
      "TagSpecification.1.ResourceType": "image",
      "TagSpecification.1.Tag.1.Key": "team",
      "TagSpecification.1.Tag.1.Value": "web",
    });
    const f = (name: string, value: string, extra: Record<string, string> = {}) =>
      describeImageIds(h.call, { "Filter.1.Name": name, "Filter.1.Value.1": value, ...extra });
    assert.deepEqual(await f("image-id", tagged), [tagged]);
    assert.deepEqual(await f("owner-id", "123456789012"), [tagged]);
    assert.deepEqual(await f("architecture", "arm64"), [tagged]);
    assert.deepEqual(await f("is-public", "false"), [tagged]);
    assert.equal((await f("is-public", "true")).length, PUBLIC_IMAGE_COUNT);
    assert.equal((await f("state", "available")).length, PUBLIC_IMAGE_COUNT + 1);
    assert.deepEqual(await f("tag:team", "web"), [tagged]);
    assert.deepEqual(await f("tag:team", "db"), []);
    assert.deepEqual(await f("tag-key", "team"), [tagged]);
    assert.deepEqual(await f("owner-alias", "amazon", { "Filter.2.Name": "name", "Filter.2.Value.1": "amzn2*" }), ["ami-0453ec754f44f9a4a"]);
    assert.deepEqual(await f("architecture", "arm64", { "Filter.2.Name": "is-public", "Filter.2.Value.1": "true" }), []);
  });
});

test("DescribeImages: an unknown filter name is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { "Filter.1.Name": "imds-support", "Filter.1.Value.1": "v2.0" });
    assert.equal(expectError(result, "InvalidParameterValue"), "The filter 'imds-support' is invalid");
    golden("DescribeImages", "invalid-filter", result);
  });
});

test("DescribeImages: no match is an empty imagesSet", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { "Filter.1.Name": "name", "Filter.1.Value.1": "nothing-like-this" });
    assert.deepEqual(imagesOf(result), []);
    golden("DescribeImages", "empty", result);
  });
});

test("DescribeImages: DryRun answers DryRunOperation 412", async () => {
  await withHarness(async (h) => {
    const result = await h.call("DescribeImages", { DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden("DescribeImages", "dry-run", result);
  });
});

test("DescribeImages: MaxResults/NextToken page through the same images in a stable order; block-device and ena filters match the root volume", () =>
  withHarness(async (h) => {
    for (let i = 0; i < 6; i++) expectOk(await h.call("RegisterImage", { Name: `paged-${i}`, Architecture: "x86_64" }));
    const ids = (r: { xml: any }) => {
      const set = r.xml.DescribeImagesResponse.imagesSet;
      return set === "" ? [] : set.item.map((i: any) => i.imageId as string);
    };
    const all = ids(await h.call("DescribeImages"));
    assert.ok(all.length >= 6);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.call("DescribeImages", { MaxResults: "5", ...(token === undefined ? {} : { NextToken: token }) });
      expectOk(page);
      seen.push(...ids(page));
      token = page.xml.DescribeImagesResponse.nextToken;
    } while (token !== undefined);
    assert.deepEqual(seen, all);
    assert.deepEqual(ids(await h.call("DescribeImages", { "Filter.1.Name": "block-device-mapping.volume-size", "Filter.1.Value.1": "8", "Filter.2.Name": "ena-support", "Filter.2.Value.1": "true" })), all);
    assert.deepEqual(ids(await h.call("DescribeImages", { "Filter.1.Name": "block-device-mapping.volume-type", "Filter.1.Value.1": "io2" })), []);
  }));
