import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk } from "../../../test/support/ec2-answers.ts";
import { launch, withHarness } from "../../../test/support/instances.ts";

const ACTION = "DescribeInstanceAttribute";
const attr = async (h: Parameters<Parameters<typeof withHarness>[0]>[0], id: string, attribute: string) =>
  expectOk(await h.call(ACTION, { InstanceId: id, Attribute: attribute })).DescribeInstanceAttributeResponse;

test("DescribeInstanceAttribute: one attribute of the instance, as DescribeInstances shows it", () =>
  withHarness(async (h) => {
    const userData = Buffer.from("#!/bin/sh\n").toString("base64");
    const [id] = await launch(h, { InstanceType: "t3.micro", UserData: userData });
    assert.equal((await attr(h, id!, "instanceType")).instanceType.value, "t3.micro");
    assert.equal((await attr(h, id!, "userData")).userData.value, userData);
    assert.equal((await attr(h, id!, "disableApiTermination")).disableApiTermination.value, "false");
    assert.equal((await attr(h, id!, "instanceInitiatedShutdownBehavior")).instanceInitiatedShutdownBehavior.value, "stop");
    const groups = (await attr(h, id!, "groupSet")).groupSet.item;
    const described = (await h.call("DescribeInstances", { "InstanceId.1": id! })).xml.DescribeInstancesResponse.reservationSet.item[0].instancesSet.item[0];
    assert.deepEqual(groups, described.groupSet.item);
    assert.equal((await attr(h, id!, "instanceType")).instanceId, id);
  }));

test("DescribeInstanceAttribute: EC2's errors for a missing or unknown attribute and an unknown instance", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    expectError(await h.call(ACTION, { InstanceId: id! }), "MissingParameter", "The request must contain the parameter Attribute");
    expectError(await h.call(ACTION, { InstanceId: id!, Attribute: "color" }), "InvalidParameterValue", "Value (color) for parameter attribute is invalid. Unknown attribute.");
    expectError(await h.call(ACTION, { InstanceId: "i-00000000000000000", Attribute: "instanceType" }), "InvalidInstanceID.NotFound");
  }));
