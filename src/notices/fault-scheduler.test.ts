import { test } from "node:test";
import assert from "node:assert/strict";
import type { FaultSpec } from "../domain/faults/fault-script.ts";
import type { FaultStats } from "../imds/active-fault.ts";
import { ManualClock } from "../platform/clock.ts";
import { FaultScheduler } from "./fault-scheduler.ts";
import { ManualTimers } from "./timers.ts";

const I = "i-0123456789abcdef0";
const slow: FaultSpec = { latencyMs: 100 };
const down: FaultSpec = { outage: "timeout" };

function scheduler() {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const applied: Array<{ instanceId: string; fault: FaultSpec | null; stats: FaultStats }> = [];
  const faults = new FaultScheduler({ clock, timers, apply: async (instanceId, fault, stats) => void applied.push({ instanceId, fault, stats }) });
  return { clock, timers, faults, applied };
}

/** Lets the scheduler's async step (apply, then re-arm) finish after a timer fired. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("FaultScheduler: steps take effect in order and a finite script ends with no fault", async () => {
  const { timers, faults, applied } = scheduler();
  const view = await faults.set(I, { steps: [{ fault: slow, durationMs: 1000 }, { fault: down, durationMs: 500 }], loop: false });
  assert.equal(view.step, 0);
  assert.deepEqual(applied.map((a) => a.fault), [slow]);
  timers.advance(1000);
  await settle();
  assert.deepEqual(applied.map((a) => a.fault), [slow, down]);
  timers.advance(500);
  await settle();
  assert.deepEqual(applied.map((a) => a.fault), [slow, down, null]);
  assert.equal(faults.list(I)[0]?.step, 2);
  assert.equal(timers.size, 0);
  // One stats object for the whole script, so counts survive its steps.
  assert.equal(applied[0]!.stats, applied[2]!.stats);
});

test("FaultScheduler: a looping script keeps cycling; clear stops it and removes the fault", async () => {
  const { timers, faults, applied } = scheduler();
  await faults.set(I, { steps: [{ fault: slow, durationMs: 100 }, { fault: null, durationMs: 100 }], loop: true });
  for (let i = 0; i < 4; i++) {
    timers.advance(100);
    await settle();
  }
  assert.deepEqual(applied.map((a) => a.fault), [slow, null, slow, null, slow]);
  assert.equal(await faults.clear(I), true);
  assert.equal(applied.at(-1)?.fault, null);
  assert.equal(timers.size, 0);
  assert.deepEqual(faults.list(), []);
});

test("FaultScheduler: a new script replaces the running one, whose timer no longer acts", async () => {
  const { timers, faults, applied } = scheduler();
  await faults.set(I, { steps: [{ fault: slow, durationMs: 100 }], loop: false });
  await faults.set(I, { steps: [{ fault: down, durationMs: null }], loop: false });
  timers.advance(1000);
  await settle();
  assert.deepEqual(applied.map((a) => a.fault), [slow, down]);
});

test("FaultScheduler: an invalid script is refused before anything changes", async () => {
  const { faults, applied } = scheduler();
  await assert.rejects(faults.set(I, { steps: [], loop: false }), { code: "InvalidParameterValue" });
  assert.equal(applied.length, 0);
});
