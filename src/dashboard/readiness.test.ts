import assert from "node:assert/strict";
import { test } from "node:test";
import type { InstanceObservation } from "../domain/migration/caller-observation.ts";
import { readinessFromCounters } from "./readiness.ts";

const instance: InstanceObservation = {
  instanceId: "i-0123456789abcdef0",
  region: "us-east-1",
  state: "running",
  httpTokens: "optional",
  httpPutResponseHopLimit: 1,
  httpEndpoint: "enabled",
  metrics: { metadataNoToken: 0, metadataNoTokenRejected: 0, metadataWithToken: 0, tokensIssued: 0, invalidTokens: 0 },
};

test("readinessFromCounters: the migration rules decide from the counters alone", () => {
  const verdicts = readinessFromCounters(
    [
      { ...instance, instanceId: "i-v1", metrics: { ...instance.metrics, metadataNoToken: 1, metadataWithToken: 50 } },
      { ...instance, instanceId: "i-v2", metrics: { ...instance.metrics, metadataWithToken: 5 } },
      { ...instance, instanceId: "i-refusing", httpTokens: "required", metrics: { ...instance.metrics, metadataNoTokenRejected: 2 } },
      { ...instance, instanceId: "i-off", httpEndpoint: "disabled" },
    ],
    0,
  );
  assert.deepEqual(
    [...verdicts].map(([id, r]) => [id, r.verdict, r.evidence]),
    [
      ["i-v1", "breaks", "counters"],
      ["i-v2", "ready", "counters"],
      ["i-refusing", "rejecting", "counters"],
      ["i-off", "endpoint-disabled", "counters"],
    ],
  );
});
