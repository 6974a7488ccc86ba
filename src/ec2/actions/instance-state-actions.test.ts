import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { describedInstances, launch, stateSnapshot, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";

type Change = [string, string, string, string, string];

async function change(h: Ec2Harness, action: string, ids: readonly string[]): Promise<Change[]> {
  const params = Object.fromEntries(ids.map((id, i) => [`InstanceId.${i + 1}`, id]));
  const result = await h.call(action, params);
  expectOk(result);
  return itemsOf(result, action, "instancesSet").map((c) => [
    c.instanceId,
    c.currentState.code,
    c.currentState.name,
    c.previousState.code,
    c.previousState.name,
  ]);
}

async function described(h: Ec2Harness, id: string) {
  return describedInstances(await h.call("DescribeInstances", { "InstanceId.1": id }))[0];
}

test("StopInstances: reports stopping, stores stopped and the IMDS endpoint stops listening (golden)", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const url = h.services.estate.endpointUrl(id!)!;
    const result = await h.call("StopInstances", { "InstanceId.1": id! });
    golden("StopInstances", "success", result);
    assert.deepEqual(await change(h, "StopInstances", [id!]), [[id, "80", "stopped", "80", "stopped"]], "stopping again is a no-op");
    const instance = await described(h, id!);
    assert.equal(instance.instanceState.name, "stopped");
    assert.equal(instance.instanceState.code, "80");
    assert.equal(instance.ipAddress, undefined, "a stopped instance has no public address");
    assert.equal(h.services.estate.endpointUrl(id!), null);
    await assert.rejects(rawRequest(url, { path: "/latest/meta-data/" }), /ECONNREFUSED/);
  }));

test("StopInstances: answers running -> stopping in the state change", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    assert.deepEqual(await change(h, "StopInstances", [id!]), [[id, "64", "stopping", "16", "running"]]);
  }));

test("StartInstances: a stopped instance reports pending, runs and is served again at the same address (golden)", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const url = h.services.estate.endpointUrl(id!)!;
    await change(h, "StopInstances", [id!]);
    const result = await h.call("StartInstances", { "InstanceId.1": id! });
    golden("StartInstances", "success", result);
    const [item] = itemsOf(result, "StartInstances", "instancesSet");
    assert.deepEqual([item.currentState.name, item.previousState.name], ["pending", "stopped"]);
    assert.equal((await described(h, id!)).instanceState.name, "running");
    assert.equal(h.services.estate.endpointUrl(id!), url);
    assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).text(), id);
    assert.deepEqual(await change(h, "StartInstances", [id!]), [[id, "16", "running", "16", "running"]]);
  }));

test("TerminateInstances: reports shutting-down; the instance stays listed as terminated (golden)", () =>
  withHarness(async (h) => {
    const [id, stopped] = await launch(h, { MinCount: "2", MaxCount: "2" });
    await change(h, "StopInstances", [stopped!]);
    const result = await h.call("TerminateInstances", { "InstanceId.1": id!, "InstanceId.2": stopped! });
    golden("TerminateInstances", "success", result);
    const changes = itemsOf(result, "TerminateInstances", "instancesSet").map((c) => [c.currentState.name, c.previousState.name]);
    assert.deepEqual(changes, [["shutting-down", "running"], ["shutting-down", "stopped"]]);
    const instance = await described(h, id!);
    assert.deepEqual(instance.instanceState, { code: "48", name: "terminated" });
    assert.equal(instance.privateIpAddress, undefined);
    assert.equal(h.services.estate.endpointUrl(id!), null);
    assert.deepEqual(await change(h, "TerminateInstances", [id!]), [[id, "48", "terminated", "48", "terminated"]]);
  }));

test("StartInstances: a terminated instance is IncorrectInstanceState and nothing in the call changes", () =>
  withHarness(async (h) => {
    const [gone, stopped] = await launch(h, { MinCount: "2", MaxCount: "2" });
    await change(h, "TerminateInstances", [gone!]);
    await change(h, "StopInstances", [stopped!]);
    const before = stateSnapshot(h);
    const start = await h.call("StartInstances", { "InstanceId.1": stopped!, "InstanceId.2": gone! });
    assert.equal(expectError(start, "IncorrectInstanceState"), `The instance '${gone}' is not in a state from which it can be started.`);
    golden("StartInstances", "error-terminated", start);
    const stop = await h.call("StopInstances", { "InstanceId.1": gone! });
    expectError(stop, "IncorrectInstanceState");
    golden("StopInstances", "error-terminated", stop);
    assert.equal(stateSnapshot(h), before);
  }));

test("StartInstances, StopInstances, TerminateInstances: instance id errors", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const before = stateSnapshot(h);
    for (const action of ["StartInstances", "StopInstances", "TerminateInstances"]) {
      const missing = await h.call(action, {});
      assert.equal(expectError(missing, "MissingParameter"), "The request must contain the parameter InstanceId");
      golden(action, "error-missing-instance-id", missing);
      golden(action, "error-instance-malformed", await h.call(action, { "InstanceId.1": "i-0" }));
      const unknown = await h.call(action, { "InstanceId.1": id!, "InstanceId.2": "i-0123456789abcdef0" });
      assert.equal(expectError(unknown, "InvalidInstanceID.NotFound"), "The instance ID 'i-0123456789abcdef0' does not exist");
      golden(action, "error-instance-not-found", unknown);
    }
    assert.equal(stateSnapshot(h), before);
    assert.equal(h.store.instances.get(id!)!.record.state, "running");
  }));

test("StopInstances: DryRun answers DryRunOperation and leaves the instance running", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    expectError(await h.call("StopInstances", { "InstanceId.1": id!, DryRun: "true" }), "DryRunOperation", { status: 412 });
    assert.equal(h.store.instances.get(id!)!.record.state, "running");
  }));
