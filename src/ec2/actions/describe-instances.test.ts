import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  describedInstances,
  launch,
  V2_IMAGE,
  withHarness,
} from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";

const DESCRIBE = "DescribeInstances";

async function describeIds(h: Ec2Harness, params: Record<string, string>, region?: string): Promise<string[]> {
  const result = await h.call(DESCRIBE, params, region === undefined ? {} : { region });
  expectOk(result);
  return describedInstances(result).map((i) => String(i.instanceId));
}

function filter(name: string, ...values: string[]): Record<string, string> {
  const params: Record<string, string> = { "Filter.1.Name": name };
  values.forEach((v, i) => (params[`Filter.1.Value.${i + 1}`] = v));
  return params;
}

test("DescribeInstances: lists the region's instances grouped by reservation (golden)", () =>
  withHarness(async (h) => {
    expectOk(await h.call(DESCRIBE));
    golden(DESCRIBE, "empty", await h.call(DESCRIBE));
    const [first] = await launch(h, { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": "a<b>&c" });
    const pair = await launch(h, { ImageId: V2_IMAGE, MinCount: "2", MaxCount: "2", "IamInstanceProfile.Name": "app" });
    const result = await h.call(DESCRIBE);
    expectOk(result);
    golden(DESCRIBE, "success", result);
    const reservations = result.xml.DescribeInstancesResponse.reservationSet.item;
    assert.equal(reservations.length, 2);
    assert.deepEqual(reservations[0].instancesSet.item.map((i: any) => i.instanceId), [first]);
    assert.deepEqual(reservations[1].instancesSet.item.map((i: any) => i.instanceId), pair);
    assert.equal(reservations[0].instancesSet.item[0].instanceState.name, "running");
  }));

test("DescribeInstances: metadata options stay pending until the apply delay has passed", () =>
  withHarness(async (h) => {
    await launch(h);
    const state = async () => describedInstances(await h.call(DESCRIBE))[0].metadataOptions.state;
    assert.equal(await state(), "pending");
    h.clock.advance(h.optionsApplyDelayMs - 1);
    assert.equal(await state(), "pending");
    h.clock.advance(1);
    assert.equal(await state(), "applied");
  }));

test("DescribeInstances: InstanceId.N names instances; unknown and malformed ids are refused", () =>
  withHarness(async (h) => {
    const ids = await launch(h, { MinCount: "3", MaxCount: "3" });
    assert.deepEqual(await describeIds(h, { "InstanceId.1": ids[2]!, "InstanceId.2": ids[0]! }), [ids[2], ids[0]]);
    const one = await h.call(DESCRIBE, { "InstanceId.1": "i-0123456789abcdef0" });
    assert.equal(expectError(one, "InvalidInstanceID.NotFound"), "The instance ID 'i-0123456789abcdef0' does not exist");
    golden(DESCRIBE, "error-instance-not-found", one);
    const two = await h.call(DESCRIBE, { "InstanceId.1": "i-0123456789abcdef0", "InstanceId.2": ids[0]!, "InstanceId.3": "i-12345678" });
    assert.equal(expectError(two, "InvalidInstanceID.NotFound"), "The instance IDs 'i-0123456789abcdef0, i-12345678' do not exist");
    golden(DESCRIBE, "error-instances-not-found", two);
    const malformed = await h.call(DESCRIBE, { "InstanceId.1": "web-1" });
    assert.equal(expectError(malformed, "InvalidInstanceID.Malformed"), 'Invalid id: "web-1"');
    golden(DESCRIBE, "error-instance-malformed", malformed);
  }));

test("DescribeInstances: only the caller's region is visible", () =>
  withHarness(async (h) => {
    const [east] = await launch(h);
    const [west] = await launch(h, {}, { region: "us-west-2" });
    assert.deepEqual(await describeIds(h, {}), [east]);
    assert.deepEqual(await describeIds(h, {}, "us-west-2"), [west]);
    expectError(await h.call(DESCRIBE, { "InstanceId.1": west! }), "InvalidInstanceID.NotFound");
  }));

test("DescribeInstances: every supported filter selects by its field", () =>
  withHarness(async (h) => {
    const [a] = await launch(h, {
      InstanceType: "t3.micro",
      "Placement.AvailabilityZone": "us-east-1b",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "web-1",
      "MetadataOptions.InstanceMetadataTags": "enabled",
    });
    const [b] = await launch(h, { ImageId: V2_IMAGE, "MetadataOptions.HttpProtocolIpv6": "enabled", "MetadataOptions.HttpEndpoint": "disabled" });
    h.clock.advance(h.optionsApplyDelayMs);
    expectOk(await h.call("ModifyInstanceMetadataOptions", { InstanceId: b!, HttpPutResponseHopLimit: "9" }));
    const docA = h.store.instances.get(a!)!.record;
    const cases: [Record<string, string>, (string | undefined)[]][] = [
      [filter("instance-id", b!), [b]],
      [filter("instance-state-name", "running"), [a, b]],
      [filter("instance-type", "t3.micro"), [a]],
      [filter("image-id", V2_IMAGE), [b]],
      [filter("reservation-id", docA.reservationId), [a]],
      [filter("availability-zone", "us-east-1b"), [a]],
      [filter("tag:Name", "web-?"), [a]],
      [filter("tag:Name", "web"), []],
      [filter("tag-key", "Na*"), [a]],
      [filter("tag-value", "*-1"), [a]],
      [filter("metadata-options.http-tokens", "required"), [b]],
      [filter("metadata-options.http-put-response-hop-limit", "9"), [b]],
      [filter("metadata-options.http-endpoint", "disabled"), [b]],
      [filter("metadata-options.http-protocol-ipv4", "enabled"), [a, b]],
      [filter("metadata-options.http-protocol-ipv6", "enabled"), [b]],
      [filter("metadata-options.instance-metadata-tags", "enabled"), [a]],
      [filter("metadata-options.state", "pending"), [b]],
      [filter("metadata-options.state", "applied"), [a]],
      [filter("instance-type", "t3.micro", "m1.small"), [a, b]],
      [{ ...filter("instance-state-name", "running"), "Filter.2.Name": "instance-type", "Filter.2.Value.1": "m1.*" }, [b]],
    ];
    for (const [params, expected] of cases) {
      assert.deepEqual(await describeIds(h, params), expected, JSON.stringify(params));
    }
  }));

test("DescribeInstances: wildcards follow EC2 (* any run, ? one character, backslash escapes)", () =>
  withHarness(async (h) => {
    const tag = (value: string) => ({ "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "k", "TagSpecification.1.Tag.1.Value": value });
    const [star] = await launch(h, tag("a*b"));
    const [plain] = await launch(h, tag("axxb"));
    assert.deepEqual(await describeIds(h, filter("tag:k", "a*b")), [star, plain]);
    assert.deepEqual(await describeIds(h, filter("tag:k", "a\\*b")), [star]);
    assert.deepEqual(await describeIds(h, filter("tag:k", "a??b")), [plain]);
    assert.deepEqual(await describeIds(h, filter("tag:k", "A*")), [], "matching is case-sensitive");
  }));

test("DescribeInstances: an unknown filter name is InvalidParameterValue", () =>
  withHarness(async (h) => {
    const result = await h.call(DESCRIBE, filter("flavour", "x"));
    assert.equal(expectError(result, "InvalidParameterValue"), "The filter 'flavour' is invalid");
    golden(DESCRIBE, "error-invalid-filter", result);
    assert.equal(expectError(await h.call(DESCRIBE, { "Filter.1.Value.1": "x" }), "InvalidParameterValue"), "The filter 'null' is invalid");
  }));

test("DescribeInstances: MaxResults pages through a stable order with an opaque NextToken", () =>
  withHarness(async (h) => {
    const ids = await launch(h, { MinCount: "7", MaxCount: "7" });
    const first = await h.call(DESCRIBE, { MaxResults: "5" });
    expectOk(first);
    golden(DESCRIBE, "page-1", first);
    const token = String(first.xml.DescribeInstancesResponse.nextToken);
    const later = await launch(h);
    const second = await h.call(DESCRIBE, { MaxResults: "5", NextToken: token });
    assert.deepEqual(describedInstances(first).map((i) => i.instanceId), ids.slice(0, 5));
    assert.deepEqual(describedInstances(second).map((i) => i.instanceId), [...ids.slice(5), ...later]);
    assert.equal(second.xml.DescribeInstancesResponse.nextToken, undefined);
    assert.deepEqual(await describeIds(h, { NextToken: token }), [...ids.slice(5), ...later]);
    assert.deepEqual(await describeIds(h, { MaxResults: "5", ...filter("launch-index", "6") }), [ids[6]]);
  }));

test("DescribeInstances: MaxResults bounds, its combination with InstanceId and bad tokens are refused", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const small = await h.call(DESCRIBE, { MaxResults: "4" });
    assert.equal(expectError(small, "InvalidParameterValue"), "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.");
    golden(DESCRIBE, "error-max-results-too-small", small);
    expectError(await h.call(DESCRIBE, { MaxResults: "1001" }), "InvalidParameterValue");
    const combined = await h.call(DESCRIBE, { MaxResults: "5", "InstanceId.1": id! });
    expectError(combined, "InvalidParameterCombination");
    golden(DESCRIBE, "error-max-results-with-instance-id", combined);
    const token = await h.call(DESCRIBE, { NextToken: "garbage" });
    expectError(token, "InvalidPaginationToken");
    golden(DESCRIBE, "error-invalid-next-token", token);
    const otherAction = Buffer.from(JSON.stringify({ a: "DescribeTags", o: 0 })).toString("base64url");
    expectError(await h.call(DESCRIBE, { NextToken: otherAction }), "InvalidPaginationToken");
  }));
