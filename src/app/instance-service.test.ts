import assert from "node:assert/strict";
import { test } from "node:test";
import { launch, stateSnapshot, withHarness } from "../../test/support/instances.ts";
import { DomainError } from "../domain/errors.ts";
import { metadataOptionsState } from "./instance-service.ts";

const SCOPE = { accountId: "123456789012", region: "us-east-1" };

test("instance-service: options are pending strictly before optionsPendingUntilMs", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const doc = h.store.instances.get(id!)!;
    const until = doc.optionsPendingUntilMs!;
    assert.equal(metadataOptionsState(doc, until - 1), "pending");
    assert.equal(metadataOptionsState(doc, until), "applied");
    assert.equal(metadataOptionsState({ ...doc, optionsPendingUntilMs: undefined }, 0), "applied");
  }));

test("instance-service: a state change plan is all or nothing and writes nothing", () =>
  withHarness(async (h) => {
    const [a, b] = await launch(h, { MinCount: "2", MaxCount: "2" });
    const before = stateSnapshot(h);
    const plan = h.services.instances.planStateChange(SCOPE, [a!, b!], "stop");
    assert.deepEqual(plan.map((c) => c.instance.record.state), ["stopped", "stopped"]);
    assert.equal(stateSnapshot(h), before);
    assert.throws(() => h.services.instances.planStateChange({ ...SCOPE, region: "eu-west-1" }, [a!], "stop"), (e: DomainError) => e.code === "InvalidInstanceID.NotFound");
  }));

test("instance-service: under enforcement a change leaving an optional instance optional still passes", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", httpTokensEnforced: "enabled" });
    const scope = { ...SCOPE, nowMs: h.clock.nowMs() };
    const doc = h.services.instances.planMetadataOptionsChange(scope, id!, { httpEndpoint: "disabled" });
    assert.equal(doc.record.metadataOptions.httpTokens, "optional");
    assert.equal(doc.record.metadataOptions.httpEndpoint, "disabled");
    assert.throws(() => h.services.instances.planMetadataOptionsChange(scope, id!, { httpTokens: "optional" }), (e: DomainError) => e.code === "UnsupportedOperation");
  }));
