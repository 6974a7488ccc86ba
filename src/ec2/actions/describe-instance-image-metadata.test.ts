import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { launch, PLAIN_IMAGE, V2_IMAGE, withHarness } from "../../../test/support/instances.ts";

const ACTION = "DescribeInstanceImageMetadata";
const items = (result: Parameters<typeof itemsOf>[0]) => itemsOf(result, ACTION, "instanceImageMetadataSet");

test("DescribeInstanceImageMetadata: each instance with the AMI it was launched from (golden)", () =>
  withHarness(async (h) => {
    const [plain] = await launch(h);
    const [v2] = await launch(h, { ImageId: V2_IMAGE });
    const result = await h.call(ACTION);
    golden(ACTION, "success", result);
    const [a, b] = items(result);
    assert.equal(a.instanceId, plain);
    assert.equal(a.imageMetadata.imageId, PLAIN_IMAGE);
    assert.equal(b.instanceId, v2);
    assert.equal(b.imageMetadata.imageId, V2_IMAGE);
    assert.equal(b.imageMetadata.imageOwnerAlias, "amazon");
    assert.equal(b.imageMetadata.imageState, "available");
    assert.equal(a.instanceState.name, "running");
    assert.equal(a.zoneId, "use1-az4");
  }));

test("DescribeInstanceImageMetadata: every state, filters and ids narrow, errors are EC2's", () =>
  withHarness(async (h) => {
    const [a, b] = await launch(h, { MinCount: "2", MaxCount: "2" });
    expectOk(await h.call("TerminateInstances", { "InstanceId.1": b! }));
    assert.deepEqual(items(await h.call(ACTION)).map((i) => i.instanceId), [a, b]);
    const terminated = items(await h.call(ACTION, { "Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "terminated" }));
    assert.deepEqual(terminated.map((i) => i.instanceId), [b]);
    assert.deepEqual(items(await h.call(ACTION, { "InstanceId.1": a! })).map((i) => i.instanceId), [a]);
    expectError(await h.call(ACTION, { "InstanceId.1": "i-00000000000000000" }), "InvalidInstanceID.NotFound");
    expectError(await h.call(ACTION, { "Filter.1.Name": "image-id", "Filter.1.Value.1": "x" }), "InvalidParameterValue", "The filter 'image-id' is invalid");
  }));
