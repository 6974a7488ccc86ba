import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  launch,
  PLAIN_IMAGE,
  putImage,
  putTemplate,
  stateSnapshot,
  withHarness,
} from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { MAX_USER_TAGS } from "../../domain/tags/tag-rules.ts";

const CREATE = "CreateTags";

async function refused(h: Ec2Harness, params: Record<string, string>, code: string, goldenName: string): Promise<string> {
  const before = stateSnapshot(h);
  const result = await h.call(CREATE, params);
  const message = expectError(result, code);
  golden(CREATE, goldenName, result);
  assert.equal(stateSnapshot(h), before, "a refused CreateTags must not write");
  return message;
}

function tagsOf(h: Ec2Harness, id: string) {
  return h.store.instances.get(id)!.record.tags.map((t) => `${t.key}=${t.value}`);
}

test("CreateTags: adds tags, overwrites a key's value and stores an absent value as empty (golden)", () =>
  withHarness(async (h) => {
    const [a, b] = await launch(h, { MinCount: "2", MaxCount: "2", "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": "old" });
    const result = await h.call(CREATE, { "ResourceId.1": a!, "ResourceId.2": b!, "Tag.1.Key": "Name", "Tag.1.Value": "new", "Tag.2.Key": "empty" });
    expectOk(result);
    golden(CREATE, "success", result);
    assert.equal(result.xml.CreateTagsResponse.return, "true");
    assert.deepEqual(tagsOf(h, a!), ["Name=new", "empty="]);
    assert.deepEqual(tagsOf(h, b!), ["Name=new", "empty="]);
  }));

test("CreateTags: with tags in metadata enabled a new key shows under tags/instance at once", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, { "MetadataOptions.InstanceMetadataTags": "enabled" });
    const url = h.services.estate.endpointUrl(id!)!;
    expectOk(await h.call(CREATE, { "ResourceId.1": id!, "Tag.1.Key": "Environment", "Tag.1.Value": "prod" }));
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/tags/instance" })).text(), "Environment");
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/tags/instance/Environment" })).text(), "prod");
  }));

test("CreateTags: keys IMDS cannot carry are refused only while the instance has tags in metadata", () =>
  withHarness(async (h) => {
    const [enabled] = await launch(h, { "MetadataOptions.InstanceMetadataTags": "enabled" });
    const [disabled] = await launch(h);
    const message = await refused(h, { "ResourceId.1": disabled!, "ResourceId.2": enabled!, "Tag.1.Key": "a b" }, "InvalidParameterValue", "error-tag-key-not-allowed-in-metadata");
    assert.match(message, /The tag key 'a b' is not valid for instance metadata/);
    expectOk(await h.call(CREATE, { "ResourceId.1": disabled!, "Tag.1.Key": "a b" }));
  }));

test("CreateTags: keys starting with aws: are reserved, and key and value lengths are bounded", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const message = await refused(h, { "ResourceId.1": id!, "Tag.1.Key": "aws:cloudformation:stack-name", "Tag.1.Value": "x" }, "InvalidParameterValue", "error-reserved-tag-key");
    assert.equal(message, "Value ( aws:cloudformation:stack-name ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use");
    await refused(h, { "ResourceId.1": id!, "Tag.1.Key": "k".repeat(129) }, "InvalidParameterValue", "error-tag-key-too-long");
    await refused(h, { "ResourceId.1": id!, "Tag.1.Key": "k", "Tag.1.Value": "v".repeat(257) }, "InvalidParameterValue", "error-tag-value-too-long");
    await refused(h, { "ResourceId.1": id!, "Tag.1.Key": "" }, "InvalidParameterValue", "error-tag-key-empty");
  }));

test("CreateTags: more than 50 user tags on a resource is TagLimitExceeded", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const tags = (from: number, count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`Tag.${i + 1}.Key`, `k${from + i}`]));
    expectOk(await h.call(CREATE, { "ResourceId.1": id!, ...tags(0, MAX_USER_TAGS) }));
    await refused(h, { "ResourceId.1": id!, ...tags(MAX_USER_TAGS, 1) }, "TagLimitExceeded", "error-tag-limit-exceeded");
    expectOk(await h.call(CREATE, { "ResourceId.1": id!, "Tag.1.Key": "k0", "Tag.1.Value": "replaced" }));
  }));

test("CreateTags: images and launch templates of the account can be tagged", () =>
  withHarness(async (h) => {
    putImage(h, { imageId: "ami-00000000000000001" });
    putTemplate(h, { id: "lt-0123456789abcdef0", name: "web", versions: [{ imageId: PLAIN_IMAGE }] });
    expectOk(await h.call(CREATE, { "ResourceId.1": "ami-00000000000000001", "ResourceId.2": "lt-0123456789abcdef0", "Tag.1.Key": "team", "Tag.1.Value": "core" }));
    assert.deepEqual(h.store.images.get("ami-00000000000000001")!.tags, [{ key: "team", value: "core" }]);
    assert.deepEqual(h.store.launchTemplates.get("lt-0123456789abcdef0")!.tags, [{ key: "team", value: "core" }]);
  }));

test("CreateTags: unknown, malformed and foreign resources are refused and nothing is tagged", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const tag = { "Tag.1.Key": "k" };
    await refused(h, { "ResourceId.1": id!, "ResourceId.2": "i-0123456789abcdef0", ...tag }, "InvalidInstanceID.NotFound", "error-instance-not-found");
    await refused(h, { "ResourceId.1": "i-bad", ...tag }, "InvalidInstanceID.Malformed", "error-instance-malformed");
    await refused(h, { "ResourceId.1": id!, "ResourceId.2": "ami-0123456789abcdef0", ...tag }, "InvalidAMIID.NotFound", "error-image-not-found");
    await refused(h, { "ResourceId.1": "ami-zz", ...tag }, "InvalidAMIID.Malformed", "error-image-malformed");
    await refused(h, { "ResourceId.1": PLAIN_IMAGE, ...tag }, "UnsupportedOperation", "error-public-image");
    await refused(h, { "ResourceId.1": "lt-0123456789abcdef0", ...tag }, "InvalidLaunchTemplateId.NotFound", "error-template-not-found");
    const other = await refused(h, { "ResourceId.1": "vol-0123456789abcdef0", ...tag }, "InvalidID", "error-invalid-id");
    assert.equal(other, "The ID 'vol-0123456789abcdef0' is not valid");
  }));

test("CreateTags: ResourceId and Tag are required, and every Tag needs a Key", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    await refused(h, { "Tag.1.Key": "k" }, "MissingParameter", "error-missing-resource-id");
    await refused(h, { "ResourceId.1": id! }, "MissingParameter", "error-missing-tag");
    const keyless = await refused(h, { "ResourceId.1": id!, "Tag.1.Value": "v" }, "MissingParameter", "error-missing-tag-key");
    assert.equal(keyless, "The request must contain the parameter Tag.1.Key");
    expectError(await h.call(CREATE, { "ResourceId.1": id!, "Tag.1.Key": "k", DryRun: "true" }), "DryRunOperation", { status: 412 });
    assert.deepEqual(tagsOf(h, id!), []);
  }));
