import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError } from "../errors.ts";
import { positionAt, validateFaultScript, validateFaultSpec, type FaultScript } from "./fault-script.ts";
import { fullBucket, takeToken } from "./token-bucket.ts";

const slow = { latencyMs: 200 };
const down = { outage: "timeout" as const };

test("positionAt: steps follow each other, and a finite script ends with no fault", () => {
  const script: FaultScript = { steps: [{ fault: slow, durationMs: 1000 }, { fault: down, durationMs: 500 }], loop: false };
  assert.deepEqual(positionAt(script, 0), { index: 0, fault: slow, nextChangeAtMs: 1000 });
  assert.deepEqual(positionAt(script, 1000), { index: 1, fault: down, nextChangeAtMs: 1500 });
  assert.deepEqual(positionAt(script, 1500), { index: 2, fault: null, nextChangeAtMs: null });
});

test("positionAt: a looping script starts over; an open last step lasts", () => {
  const loop: FaultScript = { steps: [{ fault: slow, durationMs: 100 }, { fault: null, durationMs: 300 }], loop: true };
  assert.deepEqual(positionAt(loop, 850), { index: 0, fault: slow, nextChangeAtMs: 900 });
  assert.deepEqual(positionAt(loop, 950), { index: 1, fault: null, nextChangeAtMs: 1200 });
  assert.deepEqual(positionAt(loop, 1200), { index: 0, fault: slow, nextChangeAtMs: 1300 });
  const open: FaultScript = { steps: [{ fault: null, durationMs: 100 }, { fault: down, durationMs: null }], loop: false };
  assert.deepEqual(positionAt(open, 10_000_000), { index: 1, fault: down, nextChangeAtMs: null });
});

test("validateFaultScript: only the last step may be open, loops need durations, values in range", () => {
  const bad = (script: FaultScript) => assert.throws(() => validateFaultScript(script), (e: DomainError) => e.code === "InvalidParameterValue");
  bad({ steps: [], loop: false });
  bad({ steps: [{ fault: null, durationMs: null }, { fault: null, durationMs: 5 }], loop: false });
  bad({ steps: [{ fault: slow, durationMs: null }], loop: true });
  bad({ steps: [{ fault: { dropRate: 1.5 }, durationMs: 5 }], loop: false });
  assert.throws(() => validateFaultSpec({ throttle: { status: 500 as 503, ratePerSecond: 1, burst: 1, retryAfterSeconds: null } }));
  assert.doesNotThrow(() => validateFaultScript({ steps: [{ fault: { throttle: { status: 429, ratePerSecond: 10, burst: 10, retryAfterSeconds: null } }, durationMs: null }], loop: false }));
});

test("takeToken: a burst goes through at once, then requests are admitted at the rate", () => {
  let state = fullBucket(2, 0);
  for (let i = 0; i < 2; i++) state = takeToken(state, 0, 10, 2)!;
  assert.equal(takeToken(state, 0, 10, 2), null);
  assert.equal(takeToken(state, 99, 10, 2), null);
  const refilled = takeToken(state, 100, 10, 2);
  assert.ok(refilled !== null);
  assert.equal(takeToken(refilled, 100, 10, 2), null);
  assert.equal(takeToken(fullBucket(0, 0), 1_000_000, 0, 1), null);
});
