import assert from "node:assert/strict";
import { test } from "node:test";
import { CallHistory } from "./call-history.ts";

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

test("CallHistory: each bucket holds what the counters grew by, summed across instances", () => {
  const history = new CallHistory(5_000, 4);
  history.record(T0, [{ instanceId: "a", v1: 2, v1Rejected: 0, v2: 1 }]);
  history.record(T0 + 1_000, [
    { instanceId: "a", v1: 3, v1Rejected: 0, v2: 1 },
    { instanceId: "b", v1: 0, v1Rejected: 4, v2: 0 },
  ]);
  history.record(T0 + 6_000, [{ instanceId: "a", v1: 3, v1Rejected: 0, v2: 9 }]);
  assert.deepEqual(history.series(T0 + 6_000).points, [
    { startMs: T0 - 10_000, v1: 0, v1Rejected: 0, v2: 0 },
    { startMs: T0 - 5_000, v1: 0, v1Rejected: 0, v2: 0 },
    { startMs: T0, v1: 3, v1Rejected: 4, v2: 1 },
    { startMs: T0 + 5_000, v1: 0, v1Rejected: 0, v2: 8 },
  ]);
});

test("CallHistory: a counter that went down (a new endpoint) counts from zero", () => {
  const history = new CallHistory(5_000, 1);
  history.record(T0, [{ instanceId: "a", v1: 10, v1Rejected: 0, v2: 0 }]);
  history.record(T0 + 5_000, [{ instanceId: "a", v1: 2, v1Rejected: 0, v2: 0 }]);
  assert.deepEqual(history.series(T0 + 5_000).points, [{ startMs: T0 + 5_000, v1: 2, v1Rejected: 0, v2: 0 }]);
});

test("CallHistory: buckets older than the chart are forgotten", () => {
  const history = new CallHistory(1_000, 3);
  history.record(T0, [{ instanceId: "a", v1: 1, v1Rejected: 0, v2: 0 }]);
  history.record(T0 + 10_000, [{ instanceId: "a", v1: 1, v1Rejected: 0, v2: 0 }]);
  const points = history.series(T0 + 2_000).points;
  assert.deepEqual(points.map((p) => p.v1), [0, 0, 0], "the T0 bucket was dropped when T0+10s was recorded");
});
