import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import { launch, PLAIN_IMAGE, putTemplate, stateSnapshot, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";

const DELETE = "DeleteTags";
const LT_ID = "lt-0123456789abcdef0";

function tagged(...pairs: [string, string][]): Record<string, string> {
  const params: Record<string, string> = { "TagSpecification.1.ResourceType": "instance" };
  pairs.forEach(([key, value], i) => {
    params[`TagSpecification.1.Tag.${i + 1}.Key`] = key;
    params[`TagSpecification.1.Tag.${i + 1}.Value`] = value;
  });
  return params;
}

function tagsOf(h: Ec2Harness, id: string) {
  return h.store.instances.get(id)!.record.tags.map((t) => `${t.key}=${t.value}`);
}

test("DeleteTags: a key alone deletes whatever the value; a key with a value only on a match (golden)", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, tagged(["a", "1"], ["b", "2"], ["c", ""], ["d", "4"]));
    const result = await h.call(DELETE, {
      "ResourceId.1": id!,
      "Tag.1.Key": "a",
      "Tag.2.Key": "b",
      "Tag.2.Value": "other",
      "Tag.3.Key": "c",
      "Tag.3.Value": "",
      "Tag.4.Key": "d",
      "Tag.4.Value": "4",
    });
    expectOk(result);
    golden(DELETE, "success", result);
    assert.deepEqual(tagsOf(h, id!), ["b=2"]);
    expectOk(await h.call(DELETE, { "ResourceId.1": id!, "Tag.1.Key": "missing" }));
  }));

test("DeleteTags: without Tag.N every user tag goes and the aws: tags stay", () =>
  withHarness(async (h) => {
    putTemplate(h, { id: LT_ID, name: "web", versions: [{ imageId: PLAIN_IMAGE }] });
    const [id] = await launch(h, { ImageId: PLAIN_IMAGE, "LaunchTemplate.LaunchTemplateId": LT_ID, ...tagged(["Name", "web"], ["team", "x"]) });
    expectOk(await h.call(DELETE, { "ResourceId.1": id! }));
    assert.deepEqual(tagsOf(h, id!), [`aws:ec2launchtemplate:id=${LT_ID}`, "aws:ec2launchtemplate:version=1"]);
  }));

test("DeleteTags: a deleted key leaves tags/instance of the live IMDS at once", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, { ...tagged(["Name", "web"], ["env", "prod"]), "MetadataOptions.InstanceMetadataTags": "enabled" });
    const url = h.services.estate.endpointUrl(id!)!;
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/tags/instance" })).text(), "Name\nenv");
    expectOk(await h.call(DELETE, { "ResourceId.1": id!, "Tag.1.Key": "env" }));
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/tags/instance" })).text(), "Name");
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/tags/instance/env" })).status, 404);
  }));

test("DeleteTags: aws: keys cannot be deleted and unknown resources are refused", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, tagged(["Name", "web"]));
    const before = stateSnapshot(h);
    const reserved = await h.call(DELETE, { "ResourceId.1": id!, "Tag.1.Key": "aws:ec2launchtemplate:id" });
    assert.match(expectError(reserved, "InvalidParameterValue"), /Tag keys starting with 'aws:' are reserved for internal use/);
    golden(DELETE, "error-reserved-tag-key", reserved);
    const missing = await h.call(DELETE, { "ResourceId.1": id!, "ResourceId.2": "i-0123456789abcdef0" });
    expectError(missing, "InvalidInstanceID.NotFound");
    golden(DELETE, "error-instance-not-found", missing);
    golden(DELETE, "error-missing-resource-id", await h.call(DELETE, { "Tag.1.Key": "Name" }));
    expectError(await h.call(DELETE, { "ResourceId.1": id!, DryRun: "true" }), "DryRunOperation", { status: 412 });
    assert.equal(stateSnapshot(h), before);
  }));

test("DeleteTags: launch template tags can be deleted", () =>
  withHarness(async (h) => {
    putTemplate(h, { id: LT_ID, name: "web", versions: [{ imageId: PLAIN_IMAGE }] });
    expectOk(await h.call("CreateTags", { "ResourceId.1": LT_ID, "Tag.1.Key": "a", "Tag.2.Key": "b" }));
    expectOk(await h.call(DELETE, { "ResourceId.1": LT_ID, "Tag.1.Key": "a" }));
    assert.deepEqual(h.store.launchTemplates.get(LT_ID)!.tags, [{ key: "b", value: "" }]);
  }));
