import assert from "node:assert/strict";
import { test } from "node:test";
import { PLAIN_IMAGE, putTemplate, stateSnapshot, V2_IMAGE, withHarness } from "../../test/support/instances.ts";
import { DomainError } from "../domain/errors.ts";
import { DEFAULT_INSTANCE_TYPE, type LaunchRequest } from "./launch-service.ts";

const SCOPE = { accountId: "123456789012", region: "us-east-1", nowMs: Date.UTC(2026, 10, 29, 12) };
const REQUEST: LaunchRequest = { imageId: PLAIN_IMAGE, minCount: 1, maxCount: 1, metadataOptions: {}, tags: [] };

test("launch-service: planLaunch decides image, type, options and their sources without writing", () =>
  withHarness(async (h) => {
    const before = stateSnapshot(h);
    const plan = h.services.launches.planLaunch(SCOPE, { ...REQUEST, imageId: V2_IMAGE, metadataOptions: { httpEndpoint: "enabled" } });
    assert.equal(stateSnapshot(h), before);
    assert.equal(plan.instanceType, DEFAULT_INSTANCE_TYPE);
    assert.equal(plan.availabilityZone, "us-east-1a");
    assert.equal(plan.resolved.options.httpTokens, "required");
    assert.equal(plan.resolved.sources.httpTokens.level, "ami");
    assert.equal(plan.resolved.sources.httpEndpoint.level, "launch-parameters");
    assert.equal(plan.keyName, null);
    assert.equal(plan.roleName, null);
  }));

test("launch-service: a template's options are their own layer, below the request and above the account", () =>
  withHarness(async (h) => {
    putTemplate(h, { id: "lt-0123456789abcdef0", name: "web", versions: [{ imageId: PLAIN_IMAGE, metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 4 } }] });
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", httpPutResponseHopLimit: 2, instanceMetadataTags: "enabled" });
    const plan = h.services.launches.planLaunch(SCOPE, {
      ...REQUEST,
      imageId: undefined,
      launchTemplate: { name: "web" },
      metadataOptions: { httpTokens: "optional" },
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(plan.resolved.sources).map(([field, source]) => [field, source.level])),
      {
        httpTokens: "launch-parameters",
        httpPutResponseHopLimit: "launch-template",
        httpEndpoint: "ec2-default",
        httpProtocolIpv6: "ec2-default",
        instanceMetadataTags: "account-defaults",
      },
    );
    assert.equal(plan.resolved.options.httpPutResponseHopLimit, 4);
  }));

test("launch-service: launchInstances launches the plan's count in one reservation", () =>
  withHarness(async (h) => {
    const plan = h.services.launches.planLaunch(SCOPE, { ...REQUEST, minCount: 2, maxCount: 3, tags: [{ key: "Name", value: "x" }] });
    const docs = await h.services.launches.launch(plan);
    assert.deepEqual(docs.map((d) => d.record.launchIndex), [0, 1, 2]);
    assert.equal(new Set(docs.map((d) => d.record.reservationId)).size, 1);
    assert.ok(docs.every((d) => d.optionsPendingUntilMs === SCOPE.nowMs + h.optionsApplyDelayMs));
    assert.ok(docs.every((d) => d.record.tags[0]?.key === "Name"));
  }));

test("launch-service: counts are checked before anything is looked up", () =>
  withHarness(async (h) => {
    assert.throws(() => h.services.launches.planLaunch(SCOPE, { ...REQUEST, imageId: "ami-x", minCount: 2, maxCount: 1 }), (e: DomainError) => e.code === "InvalidParameterValue");
  }));

test("launch-service: a launch whose endpoints cannot all be opened leaves nothing behind (InsufficientInstanceCapacity)", () =>
  withHarness(async (h) => {
    const before = stateSnapshot(h);
    const listening = h.host.instanceIds();
    // The third endpoint of the launch hits the process's file descriptor limit, as `ulimit -n` makes it.
    const attach = h.host.attach.bind(h.host);
    let calls = 0;
    h.host.attach = (record, address, notices) => {
      calls++;
      if (calls === 3) return Promise.reject(Object.assign(new Error("listen EMFILE: too many open files"), { code: "EMFILE" }));
      return attach(record, address, notices);
    };
    const result = await h.call("RunInstances", { ImageId: PLAIN_IMAGE, MinCount: "5", MaxCount: "5", InstanceType: "t3.micro" });
    assert.equal(result.status, 500);
    assert.match(result.body, /<Code>InsufficientInstanceCapacity<\/Code>/);
    assert.match(result.body, /We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1a\)\./);
    assert.equal(stateSnapshot(h), before, "no instance is stored");
    assert.deepEqual(h.host.instanceIds(), listening, "the two endpoints already opened are closed again");
    h.host.attach = attach;
    const retried = await h.call("RunInstances", { ImageId: PLAIN_IMAGE, MinCount: "5", MaxCount: "5" });
    assert.equal(retried.status, 200);
    assert.equal(h.store.instances.list().length, 5);
  }));

test("launch-service: another failure to open an endpoint is not dressed up as capacity, and still leaves nothing", () =>
  withHarness(async (h) => {
    const before = stateSnapshot(h);
    h.host.attach = () => Promise.reject(new Error("the IMDS thread stopped"));
    const result = await h.call("RunInstances", { ImageId: PLAIN_IMAGE, MinCount: "2", MaxCount: "2" });
    assert.equal(result.status, 500);
    assert.match(result.body, /<Code>InternalError<\/Code>/);
    assert.equal(stateSnapshot(h), before);
  }));
