import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk } from "../../../test/support/ec2-answers.ts";
import { launch, stateSnapshot, withHarness } from "../../../test/support/instances.ts";

test("RebootInstances: answers true for running and stopped instances and changes nothing", () =>
  withHarness(async (h) => {
    const [a, b] = await launch(h, { MinCount: "2", MaxCount: "2" });
    expectOk(await h.call("StopInstances", { "InstanceId.1": b! }));
    const before = stateSnapshot(h);
    const answer = await h.call("RebootInstances", { "InstanceId.1": a!, "InstanceId.2": b! });
    assert.equal(expectOk(answer).RebootInstancesResponse.return, "true");
    assert.equal(stateSnapshot(h), before);
  }));

test("RebootInstances: a terminated, unknown or missing instance id gets EC2's errors and nothing happens", () =>
  withHarness(async (h) => {
    const [a] = await launch(h);
    expectOk(await h.call("TerminateInstances", { "InstanceId.1": a! }));
    expectError(await h.call("RebootInstances", { "InstanceId.1": a! }), "IncorrectInstanceState", `The instance '${a}' is not in a state from which it can be rebooted.`);
    expectError(await h.call("RebootInstances", { "InstanceId.1": "i-00000000000000000" }), "InvalidInstanceID.NotFound");
    expectError(await h.call("RebootInstances"), "MissingParameter");
  }));
