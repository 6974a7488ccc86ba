import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { launch, PLAIN_IMAGE, putImage, putTemplate, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";

const DESCRIBE = "DescribeTags";
const LT_ID = "lt-0123456789abcdef0";
const IMAGE_ID = "ami-00000000000000001";

async function tags(h: Ec2Harness, params: Record<string, string> = {}): Promise<string[]> {
  const result = await h.call(DESCRIBE, params);
  expectOk(result);
  return itemsOf(result, DESCRIBE, "tagSet").map((t) => `${t.resourceType}:${t.resourceId}:${t.key}=${t.value ?? ""}`);
}

async function estate(h: Ec2Harness): Promise<string> {
  putImage(h, { imageId: IMAGE_ID, tags: [{ key: "team", value: "images" }] });
  putTemplate(h, { id: LT_ID, name: "web", versions: [{ imageId: PLAIN_IMAGE }] });
  const [id] = await launch(h, {
    "TagSpecification.1.ResourceType": "instance",
    "TagSpecification.1.Tag.1.Key": "Name",
    "TagSpecification.1.Tag.1.Value": "web-1",
    "TagSpecification.1.Tag.2.Key": "team",
    "TagSpecification.1.Tag.2.Value": "core",
  });
  expectOk(await h.call("CreateTags", { "ResourceId.1": LT_ID, "Tag.1.Key": "team", "Tag.1.Value": "templates" }));
  return id!;
}

test("DescribeTags: lists the tags of instances, images and launch templates (golden)", () =>
  withHarness(async (h) => {
    const id = await estate(h);
    const result = await h.call(DESCRIBE);
    expectOk(result);
    golden(DESCRIBE, "success", result);
    assert.deepEqual(await tags(h), [
      `instance:${id}:Name=web-1`,
      `instance:${id}:team=core`,
      `image:${IMAGE_ID}:team=images`,
      `launch-template:${LT_ID}:team=templates`,
    ]);
    await launch(h, { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "west" }, { region: "us-west-2" });
    assert.equal((await tags(h)).length, 4, "other regions stay out");
  }));

test("DescribeTags: filters by resource-id, resource-type, key, value and tag:KEY", () =>
  withHarness(async (h) => {
    const id = await estate(h);
    const f = (name: string, value: string) => ({ "Filter.1.Name": name, "Filter.1.Value.1": value });
    assert.deepEqual(await tags(h, f("resource-id", id)), [`instance:${id}:Name=web-1`, `instance:${id}:team=core`]);
    assert.deepEqual(await tags(h, f("resource-type", "launch-template")), [`launch-template:${LT_ID}:team=templates`]);
    assert.deepEqual((await tags(h, f("key", "team"))).length, 3);
    assert.deepEqual(await tags(h, f("value", "*s")), [`image:${IMAGE_ID}:team=images`, `launch-template:${LT_ID}:team=templates`]);
    assert.deepEqual(await tags(h, f("tag:Name", "web-?")), [`instance:${id}:Name=web-1`]);
    assert.deepEqual(await tags(h, { ...f("key", "team"), "Filter.2.Name": "resource-type", "Filter.2.Value.1": "instance" }), [`instance:${id}:team=core`]);
    const invalid = await h.call(DESCRIBE, f("owner", "x"));
    assert.equal(expectError(invalid, "InvalidParameterValue"), "The filter 'owner' is invalid");
    golden(DESCRIBE, "error-invalid-filter", invalid);
  }));

test("DescribeTags: MaxResults pages with NextToken", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, Object.fromEntries([["TagSpecification.1.ResourceType", "instance"], ...Array.from({ length: 7 }, (_, i) => [`TagSpecification.1.Tag.${i + 1}.Key`, `k${i}`])]));
    const first = await h.call(DESCRIBE, { MaxResults: "5" });
    expectOk(first);
    const token = String(first.xml.DescribeTagsResponse.nextToken);
    assert.equal(itemsOf(first, DESCRIBE, "tagSet").length, 5);
    assert.deepEqual(await tags(h, { MaxResults: "5", NextToken: token }), [`instance:${id}:k5=`, `instance:${id}:k6=`]);
    expectError(await h.call(DESCRIBE, { MaxResults: "1" }), "InvalidParameterValue");
    golden(DESCRIBE, "error-invalid-next-token", await h.call(DESCRIBE, { NextToken: "eyJhIjoxfQ" }));
  }));
