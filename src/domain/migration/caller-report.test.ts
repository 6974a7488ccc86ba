import assert from "node:assert/strict";
import { test } from "node:test";
import type { CallerObservation, InstanceObservation } from "./caller-observation.ts";
import { buildCallerReport, callerLabel, type CallerReportInput } from "./caller-report.ts";

const METRICS = { metadataNoToken: 0, metadataNoTokenRejected: 0, metadataWithToken: 0, tokensIssued: 0, invalidTokens: 0 };

function instance(id: string, fields: Partial<InstanceObservation> = {}): InstanceObservation {
  return { instanceId: id, region: "us-east-1", state: "running", httpTokens: "optional", httpPutResponseHopLimit: 1, httpEndpoint: "enabled", metrics: METRICS, ...fields };
}

function caller(instanceId: string, key: string, fields: Partial<CallerObservation> = {}): CallerObservation {
  return {
    instanceId,
    key,
    attribution: "attributed",
    remoteAddresses: ["127.0.0.1"],
    userAgents: [],
    firstSeenMs: 0,
    lastSeenMs: 0,
    v1Requests: 0,
    v1Rejected: 0,
    v2Requests: 0,
    tokenPuts: 0,
    v1Paths: [],
    ...fields,
  };
}

function input(instances: InstanceObservation[], callers: CallerObservation[]): CallerReportInput {
  return {
    nowMs: Date.UTC(2026, 0, 2),
    startedMs: Date.UTC(2026, 0, 1),
    instances,
    callers,
    accessLog: { capacity: 10, recorded: 0, dropped: 0, overflowCallers: 0 },
    localAddresses: [],
    simulatedNetworks: [{ cidr: "172.17.0.0/16", hops: 2 }],
  };
}

test("caller-report: the verdict of each instance from what its callers did", () => {
  const app = { command: ["python3", "app.py"], comm: "python3", startTime: 5, parents: [] };
  const report = buildCallerReport(
    input(
      [
        instance("i-v1", { metrics: { ...METRICS, metadataNoToken: 3 } }),
        instance("i-v2", { metrics: { ...METRICS, metadataWithToken: 4 } }),
        instance("i-far", { metrics: { ...METRICS, metadataWithToken: 1 } }),
        instance("i-quiet"),
        instance("i-req", { httpTokens: "required", metrics: { ...METRICS, metadataNoTokenRejected: 2 } }),
        instance("i-off", { httpEndpoint: "disabled" }),
        instance("i-counted", { metrics: { ...METRICS, metadataNoToken: 1 } }),
      ],
      [
        caller("i-v1", "process:10:5", { process: { pid: 10, ...app }, v1Requests: 3, v1Paths: [{ path: "/latest/meta-data/", count: 3 }] }),
        caller("i-v2", "process:11:5", { v2Requests: 4, tokenPuts: 1 }),
        caller("i-far", "address:172.17.0.2|", { attribution: "not-local", remoteAddresses: ["172.17.0.2"], v2Requests: 1, tokenPuts: 1 }),
        caller("i-req", "process:12:5", { v1Rejected: 2 }),
      ],
    ),
  );
  const verdicts = Object.fromEntries(report.instances.map((i) => [i.instanceId, i.verdict]));
  assert.deepEqual(verdicts, {
    "i-v1": "breaks",
    "i-v2": "ready",
    "i-far": "hop-limit",
    "i-quiet": "no-traffic",
    "i-req": "rejecting",
    "i-off": "endpoint-disabled",
    // The counters see IMDSv1 use even when the caller table did not (log size 0, overflow).
    "i-counted": "breaks",
  });
  const v1 = report.instances[0]!;
  assert.equal(v1.v1Callers[0]?.label, "pid 10 python3 app.py");
  assert.deepEqual(v1.metrics, { MetadataNoToken: 3, MetadataNoTokenRejected: 0, tokenResponsesWithheld: 0 });
  const far = report.instances[2]!;
  assert.deepEqual(far.hopLimitCallers.map((c) => c.hop.requiredHopLimit), [2]);
  assert.equal(far.requiredHopLimit, 2);
  assert.equal(report.instances[4]!.rejectedCallers.length, 1);
  assert.equal(report.generatedAt, "2026-01-02T00:00:00.000Z");
});

test("caller-report: token answers withheld by the hop limit make an instance hop-limit even without a caller record", () => {
  const report = buildCallerReport(input([instance("i-1", { httpTokens: "required", httpPutResponseHopLimit: 1, metrics: { ...METRICS, tokenResponsesWithheld: 3 } })], []));
  assert.equal(report.instances[0]!.verdict, "hop-limit");
  assert.equal(report.instances[0]!.requiredHopLimit, 2);
});

test("caller-report: labels name the process and container, or the address and User-Agent", () => {
  const container = { runtime: "docker" as const, id: "3f2a9c0d1e2b3a4f5e6d" };
  assert.equal(
    callerLabel({ process: { pid: 7, command: ["node", "agent.js"], comm: "node", startTime: 1, parents: [], container }, remoteAddresses: [], userAgents: [] }),
    "pid 7 node agent.js [docker 3f2a9c0d1e2b]",
  );
  assert.equal(callerLabel({ remoteAddresses: ["127.0.0.1"], userAgents: ["curl/8.5.0"] }), "127.0.0.1 curl/8.5.0");
  assert.equal(callerLabel({ process: { pid: 8, command: [], comm: "kworker", startTime: 1, parents: [] }, remoteAddresses: [], userAgents: [] }), "pid 8 [kworker]");
});
